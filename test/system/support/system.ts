import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { inject } from 'vitest';
import { GatewayAdminClient } from '../../../local/gateway';
import { RedisAdminClient } from '../../../packages/local-cloud/src/upstash';
import type { SystemDescription } from './description';

/** An answer of the orders API. */
export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** Static credentials of an IAM principal. */
export interface ApiCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * Calls the orders API, signing requests with SigV4 when the target enforces IAM authorization, or as given
 * credentials (see `as`).
 */
export class OrdersApi {
  private readonly signer: SignatureV4 | undefined;

  public constructor(
    private readonly description: SystemDescription,
    credentials?: ApiCredentials,
  ) {
    this.signer =
      description.signApiRequests || credentials !== undefined
        ? new SignatureV4({
            service: 'execute-api',
            region: description.region,
            credentials: credentials ?? defaultProvider(),
            sha256: Hash.bind(null, 'sha256'),
          })
        : undefined;
  }

  /**
   * The same API, called as another IAM principal. Locally any access key will do (the local HTTP API front derives
   * the caller from it, one principal per key); on AWS the credentials must be real.
   */
  public as(credentials: ApiCredentials): OrdersApi {
    return new OrdersApi(this.description, credentials);
  }

  public async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const url = new URL(`${this.description.apiUrl}${path}`);
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    let allHeaders: Record<string, string> = {
      host: url.host,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    };
    if (this.signer !== undefined) {
      const signed = await this.signer.sign({
        method,
        protocol: url.protocol,
        hostname: url.hostname,
        path: url.pathname,
        headers: allHeaders,
        ...(payload === undefined ? {} : { body: payload }),
      });
      allHeaders = signed.headers as Record<string, string>;
    }
    const { host: _host, ...sendable } = allHeaders;
    const response = await fetch(url, {
      method,
      headers: sendable,
      ...(payload === undefined ? {} : { body: payload }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed } satisfies ApiAnswer;
  }

  public post(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request('POST', path, body, headers);
  }

  public get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, undefined, headers);
  }
}

/** The system under test and clients for it, for one test file. */
export interface System {
  readonly description: SystemDescription;
  readonly api: OrdersApi;
  readonly sqs: SQSClient;
  readonly eventBridge: EventBridgeClient;
  readonly dynamodb: DynamoDBClient;
  /** The fake gateway's admin API, when the target runs one. */
  readonly gateway: GatewayAdminClient | undefined;
  /** The local Redis endpoint's admin API (stop and start Redis), when the target is the local cloud. */
  readonly redis: RedisAdminClient | undefined;
  /** A stack output, or a clear failure naming the missing key. */
  output(key: string): string;
  close(): void;
}

/** Connects to the system the global setup brought up (see global-setup.ts). */
export const connectToSystem = (): System => {
  const description = inject('breakwater');
  const clientConfig = {
    region: description.region,
    ...(description.awsEndpointUrl === undefined
      ? {}
      : {
          endpoint: description.awsEndpointUrl,
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        }),
  };
  const sqs = new SQSClient(clientConfig);
  const eventBridge = new EventBridgeClient(clientConfig);
  const dynamodb = new DynamoDBClient(clientConfig);
  return {
    description,
    api: new OrdersApi(description),
    sqs,
    eventBridge,
    dynamodb,
    gateway:
      description.gatewayAdminUrl === undefined
        ? undefined
        : new GatewayAdminClient(description.gatewayAdminUrl),
    redis:
      description.redisAdminUrl === undefined ? undefined : new RedisAdminClient(description.redisAdminUrl),
    output: (key) => {
      const value = description.outputs[key];
      if (value === undefined)
        throw new Error(`stack output ${key} not found; have ${Object.keys(description.outputs).join(', ')}`);
      return value;
    },
    close: () => {
      sqs.destroy();
      eventBridge.destroy();
      dynamodb.destroy();
    },
  };
};

/** The suites' one polling helper, re-exported for the system tests. */
export { eventually } from '../../support/eventually';

/**
 * Deletes every message a queue shows, by receive and delete. Not PurgeQueue: SQS allows one purge a minute per
 * queue (PurgeQueueInProgress), which the test files sharing a DLQ would exceed. On AWS each receive long-polls a
 * second, since a short poll may miss messages.
 */
export const drainQueue = async (system: System, queueUrl: string): Promise<void> => {
  const wait = system.description.target === 'aws' ? 1 : 0;
  for (;;) {
    const { Messages = [] } = await system.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 60,
        WaitTimeSeconds: wait,
      }),
    );
    if (Messages.length === 0) return;
    await system.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
        })),
      }),
    );
  }
};
