import { SQSClient } from '@aws-sdk/client-sqs';
import { type DynamoDbLocal, startDynamoDbLocal } from '../dynamodb/dynamodb-local';
import { createSecretsManager } from '../secrets/secrets-manager';
import { createSsmParameterStore } from '../secrets/ssm';
import { type FauxqsServer, startFauxqsServer } from '../sqs/fauxqs-server';
import { fauxqsPassThroughBackend, sqsBackend } from '../sqs/sqs-backend';
import { createSqsExtension } from '../sqs/sqs-extension';
import { type JsonProtocolService, LOCAL_REGION } from '../support/aws-protocol';
import { proxyBackend } from './backends';
import { type Edge, startEdge } from './edge-server';

/** Options of {@link startCoreServices}; every one has a default. */
export interface CoreServicesOptions {
  /** Edge port; default `BREAKWATER_EDGE_PORT`, else 4566; 0 picks a free port. */
  readonly edgePort?: number;
  /** Edge interface; default `127.0.0.1`. */
  readonly edgeHost?: string;
  /**
   * A DynamoDB Local already starting (the main command starts the JVM first, while it loads everything else);
   * it is stopped with the rest. Default: one is started here.
   */
  readonly dynamoDb?: Promise<DynamoDbLocal>;
  /** DynamoDB Local's own port; default a free port. */
  readonly dynamoDbPort?: number;
  /** fauxqs's own port; default a free port. */
  readonly fauxqsPort?: number;
  /** Default region; default `us-east-1`. */
  readonly region?: string;
  /** Where unexpected errors are reported; default standard error. */
  readonly log?: (message: string) => void;
}

/** The running core of the local cloud. */
export interface CoreServices {
  /** The edge: register more services on it (EventBridge, ...). */
  readonly edge: Edge;
  readonly endpoints: {
    /** The one URL for `AWS_ENDPOINT_URL`. */
    readonly edge: string;
    /** fauxqs's own endpoint (direct, bypassing the edge). */
    readonly sqs: string;
    /** DynamoDB Local's own endpoint (direct, bypassing the edge). */
    readonly dynamodb: string;
  };
  readonly fauxqs: FauxqsServer;
  readonly secretsManager: JsonProtocolService;
  readonly ssm: JsonProtocolService;
  /** Stops everything started here; safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Starts fauxqs (SQS, with the move-task extension), DynamoDB Local (with Streams), Secrets Manager and SSM, and
 * the edge in front of them. If any part fails to start, the parts already started are stopped before throwing.
 */
export const startCoreServices = async (options: CoreServicesOptions = {}): Promise<CoreServices> => {
  const region = options.region ?? LOCAL_REGION;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    const pending = stops.splice(0).reverse();
    for (const stop of pending) await stop().catch(() => undefined);
  };
  try {
    const [dynamodb, fauxqs] = await Promise.all([
      (
        options.dynamoDb ??
        startDynamoDbLocal(options.dynamoDbPort === undefined ? {} : { port: options.dynamoDbPort })
      ).then((started: DynamoDbLocal) => {
        stops.push(() => started.stop());
        return started;
      }),
      startFauxqsServer({ port: options.fauxqsPort ?? 0, region }).then((started) => {
        stops.push(() => started.stop());
        return started;
      }),
    ]);
    // The extension moves messages through fauxqs's own endpoint, never through the edge (no loop).
    const sqs = new SQSClient({
      endpoint: fauxqs.endpoint,
      region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const extension = createSqsExtension({ sqs });
    stops.push(async () => {
      await extension.stop();
      sqs.destroy();
    });
    const secretsManager = createSecretsManager();
    const ssm = createSsmParameterStore();
    const edge = await startEdge({
      ...(options.edgePort === undefined ? {} : { port: options.edgePort }),
      ...(options.edgeHost === undefined ? {} : { host: options.edgeHost }),
      ...(options.log === undefined ? {} : { log: options.log }),
      services: [secretsManager, ssm],
      backends: [
        proxyBackend({
          name: 'dynamodb',
          upstream: dynamodb.endpoint,
          targetPrefixes: ['DynamoDB_20120810', 'DynamoDBStreams_20120810'],
          signingNames: ['dynamodb'],
        }),
        fauxqsPassThroughBackend(fauxqs),
      ],
    });
    stops.push(() => edge.stop());
    edge.registerBackend(
      sqsBackend({ fauxqs, extension, edgeHost: new URL(edge.url).host, log: options.log }),
    );
    return {
      edge,
      endpoints: { edge: edge.url, sqs: fauxqs.endpoint, dynamodb: dynamodb.endpoint },
      fauxqs,
      secretsManager,
      ssm,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
