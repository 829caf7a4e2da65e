import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { QueueRef } from '@breakwater/dlq';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { createEvent, EventTypes } from '../../../shared/contracts';

/** A fauxqs server in library mode and an SQS client pointed at it. */
export interface LocalSqs {
  readonly server: FauxqsServer;
  readonly sqs: SQSClient;
  stop(): Promise<void>;
}

/** Starts fauxqs on a free port. */
export const startLocalSqs = async (): Promise<LocalSqs> => {
  const server = await startFauxqs({ port: 0, logger: false });
  const sqs = new SQSClient({
    region: 'us-east-1',
    endpoint: server.address,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    useQueueUrlAsEndpoint: false,
  });
  return {
    server,
    sqs,
    stop: async () => {
      sqs.destroy();
      await server.stop();
    },
  };
};

/** Creates a queue and returns its reference. */
export const createQueue = async (
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string> = {},
  tags: Record<string, string> = {},
): Promise<QueueRef> => {
  const fifo = name.endsWith('.fifo');
  const created = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: { ...(fifo ? { FifoQueue: 'true' } : {}), ...attributes },
      ...(Object.keys(tags).length > 0 ? { tags } : {}),
    }),
  );
  const url = created.QueueUrl ?? '';
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { url, arn: out.Attributes?.QueueArn ?? '', name, fifo };
};

/** A source queue and its DLQ, joined by a redrive policy (like the CDK app's consumers). */
export const createRedrivePair = async (
  sqs: SQSClient,
  base: string,
  fifo = false,
): Promise<{ source: QueueRef; dlq: QueueRef }> => {
  const suffix = fifo ? '.fifo' : '';
  const dlq = await createQueue(sqs, `${base}-dlq${suffix}`, {}, { 'breakwater:role': 'dlq' });
  const source = await createQueue(sqs, `${base}${suffix}`, {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }),
  });
  return { source, dlq };
};

/** An EventBridge event body (as EventBridge delivers it to a queue) carrying an order.created envelope. */
export const orderCreatedBody = (
  options: { currency?: string; eventId?: string; orderId?: string } = {},
): string => {
  const envelope = createEvent({
    type: EventTypes.orderCreated,
    id: options.eventId ?? randomUUID(),
    correlationId: randomUUID(),
    data: {
      orderId: options.orderId ?? randomUUID(),
      customerId: 'c-1',
      items: [{ sku: 'sku-1', quantity: 1, unitPriceCents: 1250 }],
      totalCents: 1250,
      currency: options.currency ?? 'EUR',
    },
  });
  return JSON.stringify({
    version: '0',
    id: randomUUID(),
    'detail-type': envelope.type,
    source: envelope.source,
    account: '000000000000',
    time: envelope.occurredAt,
    region: 'us-east-1',
    resources: [],
    detail: envelope,
  });
};

/** The domain event id inside a body made by `orderCreatedBody`. */
export const eventIdOf = (body: string): string => (JSON.parse(body) as { detail: { id: string } }).detail.id;

/** One message to seed. */
export interface Seed {
  readonly body: string;
  readonly attributes?: Record<string, MessageAttributeValue>;
  readonly groupId?: string;
  readonly dedupId?: string;
}

/** Sends messages in batches of 10. */
export const seed = async (sqs: SQSClient, queue: QueueRef, messages: readonly Seed[]): Promise<void> => {
  for (let start = 0; start < messages.length; start += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: messages.slice(start, start + 10).map((message, index) => ({
          Id: String(index),
          MessageBody: message.body,
          ...(message.attributes === undefined ? {} : { MessageAttributes: message.attributes }),
          ...(message.groupId === undefined ? {} : { MessageGroupId: message.groupId }),
          ...(message.dedupId === undefined ? {} : { MessageDeduplicationId: message.dedupId }),
        })),
      }),
    );
  }
};

/** Receives and deletes everything in a queue; returns the messages with all attributes. */
export const drain = async (sqs: SQSClient, queue: QueueRef): Promise<Message[]> => {
  const all: Message[] = [];
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) return all;
    all.push(...messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle ?? '',
        })),
      }),
    );
  }
};

/** Visible plus in-flight messages of a queue. */
export const depthOf = async (
  sqs: SQSClient,
  queue: QueueRef,
): Promise<{ visible: number; inFlight: number }> => {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['All'] }));
  return {
    visible: Number(out.Attributes?.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
};

/** A string message attribute. */
export const str = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

/** Runs the real `breakwater-dlq` bin in a child process, configured only through the environment, as an operator would. */
export const runDlqBin = (
  args: readonly string[],
  endpoint: string,
  /** Replaces the region and test credentials the bin gets by default (undefined values unset a variable). */
  environment: Readonly<Record<string, string | undefined>> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  },
): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const merged: Record<string, string | undefined> = {
      ...process.env,
      AWS_ENDPOINT_URL: endpoint,
      ...environment,
    };
    const env = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
    const child = spawn(process.execPath, [join(process.cwd(), 'bin/breakwater-dlq.mjs'), ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
