import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type ReceiveMessageCommandInput,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { expect, vi } from 'vitest';
import { type RawAnswer, signedRequest } from '../support/signed-request';
import type { ConformanceTarget } from '../support/target';

/** Helpers the SQS conformance cases share; they assert nothing about the engine themselves. */

export const API = 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference';
export const GUIDE = 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide';

/** A queue a case created (deleted when the file's target stops). */
export interface TestQueue {
  readonly url: string;
  readonly name: string;
  readonly arn: string;
}

export interface QueueOptions {
  readonly fifo?: boolean;
  readonly attributes?: Record<string, string>;
  readonly tags?: Record<string, string>;
}

export const createQueue = async (
  t: ConformanceTarget,
  prefix: string,
  { fifo = false, attributes = {}, tags }: QueueOptions = {},
): Promise<TestQueue> => {
  const name = `${t.uniqueName(prefix)}${fifo ? '.fifo' : ''}`;
  const { QueueUrl } = await t.sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: fifo ? { FifoQueue: 'true', ...attributes } : attributes,
      ...(tags === undefined ? {} : { tags }),
    }),
  );
  if (QueueUrl === undefined) throw new Error('CreateQueue returned no QueueUrl');
  t.onStop(() => t.sqs.send(new DeleteQueueCommand({ QueueUrl })));
  const { Attributes = {} } = await t.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: QueueUrl, name, arn: Attributes.QueueArn ?? '' };
};

/** A source queue whose redrive policy names a new dead-letter queue. */
export const createRedrivePair = async (
  t: ConformanceTarget,
  prefix: string,
  maxReceiveCount = 1,
  options: QueueOptions = {},
): Promise<{ source: TestQueue; dlq: TestQueue }> => {
  const dlq = await createQueue(t, `${prefix}-dlq`, { ...options, attributes: {} });
  const source = await createQueue(t, prefix, {
    ...options,
    attributes: {
      ...options.attributes,
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount }),
    },
  });
  return { source, dlq };
};

/** What an SDK error tells: its name (the query-compatible code mapped to the modelled error), code, status. */
export const sdkError = async (call: Promise<unknown>): Promise<Record<string, unknown>> => {
  try {
    await call;
  } catch (error) {
    const fields = error as Record<string, unknown> & { $metadata?: { httpStatusCode?: number } };
    return {
      ...fields,
      name: fields.name,
      message: fields.message,
      status: fields.$metadata?.httpStatusCode,
    };
  }
  throw new Error('the call succeeded; an error was expected');
};

/** Expects an SDK call to fail with the given error name (and, when given, query code and message). */
export const expectSdkError = async (
  call: Promise<unknown>,
  expected: { name: string; code?: string; message?: string | RegExp; status?: number },
): Promise<void> => {
  const error = await sdkError(call);
  expect(error.name).toBe(expected.name);
  if (expected.code !== undefined) expect(error.Code).toBe(expected.code);
  if (expected.status !== undefined) expect(error.status).toBe(expected.status);
  if (typeof expected.message === 'string') expect(error.message).toBe(expected.message);
  else if (expected.message !== undefined) expect(String(error.message)).toMatch(expected.message);
};

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const unescapeXml = (text: string): string =>
  text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return XML_ENTITIES[entity.toLowerCase()] ?? '';
  });

/** The text of every `<tag>…</tag>` element, in order. */
export const xmlValues = (text: string, tag: string): string[] =>
  [...text.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) =>
    unescapeXml(match[1] ?? ''),
  );

/** A query-protocol answer, with its error fields read when it is one. */
export interface QueryAnswer extends RawAnswer {
  readonly code: string | undefined;
  readonly type: string | undefined;
  readonly message: string | undefined;
}

/**
 * A query-protocol call (form-encoded `Action=…`, as older SDKs and the AWS CLI v1 before its JSON switch send
 * it): POST to the endpoint, or GET on `url` (a queue URL) with the parameters in the query string.
 */
export const queryCall = async (
  t: ConformanceTarget,
  params: Record<string, string>,
  {
    url,
    method = url === undefined ? 'POST' : 'GET',
    accept,
  }: { url?: string; method?: 'GET' | 'POST'; accept?: string } = {},
): Promise<QueryAnswer> => {
  const all = { Version: '2012-11-05', ...params };
  const headers: Record<string, string> = accept === undefined ? {} : { accept };
  const answer =
    method === 'GET'
      ? await signedRequest(t, {
          service: 'sqs',
          method,
          ...(url === undefined ? {} : { url }),
          query: all,
          headers,
        })
      : await signedRequest(t, {
          service: 'sqs',
          method,
          ...(url === undefined ? {} : { url }),
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
          body: new URLSearchParams(all).toString(),
        });
  return {
    ...answer,
    code: xmlValues(answer.text, 'Code')[0],
    type: xmlValues(answer.text, 'Type')[0],
    message: xmlValues(answer.text, 'Message')[0],
  };
};

/** A JSON-protocol call made by hand, to see the wire: status, headers (`x-amzn-query-error`) and body. */
export const jsonCall = async (
  t: ConformanceTarget,
  action: string,
  input: Record<string, unknown>,
  { url }: { url?: string } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> => {
  const answer = await signedRequest(t, {
    service: 'sqs',
    ...(url === undefined ? {} : { url }),
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${action}`,
      'x-amzn-query-mode': 'true',
    },
    body: JSON.stringify(input),
  });
  return {
    status: answer.status,
    headers: answer.headers,
    body: answer.text.trim() === '' ? {} : (JSON.parse(answer.text) as Record<string, unknown>),
  };
};

/** Receives until `count` messages came (each receive may return fewer), within a few seconds. */
export const receiveAll = async (
  t: ConformanceTarget,
  input: ReceiveMessageCommandInput,
  count: number,
): Promise<Message[]> => {
  const messages: Message[] = [];
  await vi.waitFor(
    async () => {
      const { Messages = [] } = await t.sqs.send(
        new ReceiveMessageCommand({ MaxNumberOfMessages: 10, ...input }),
      );
      messages.push(...Messages);
      if (messages.length < count) throw new Error(`received ${messages.length} of ${count}`);
    },
    { timeout: 10_000, interval: 50 },
  );
  return messages;
};

/** The queue's ApproximateNumberOf* counts, as numbers. */
export const counts = async (t: ConformanceTarget, url: string) => {
  const { Attributes = {} } = await t.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    notVisible: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed),
  };
};

/**
 * Polls until `check` passes. AWS updates approximate counts within about a minute; locally they are exact, so
 * this returns at once there.
 */
export const eventually = (check: () => Promise<void>, timeout = 70_000): Promise<void> =>
  vi.waitFor(check, { timeout, interval: 200 });

/** A client of the same target in another region (destroyed when the file's target stops). */
export const clientIn = (t: ConformanceTarget, region: string): SQSClient => {
  const client = new SQSClient({
    region,
    credentials: t.sqs.config.credentials,
    ...(t.endpoint === undefined ? {} : { endpoint: t.endpoint }),
  });
  t.onStop(async () => client.destroy());
  return client;
};
