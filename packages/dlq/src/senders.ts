import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  type MessageAttributeValue,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { awsErrorCode, errorMessage, isAccessDenied, isResourceMissing, isThrottling } from './aws-errors.js';
import type { Destination } from './destinations.js';
import { PermissionDeniedError } from './errors.js';
import { replayAttributes } from './message.js';
import type { DlqMessage } from './types.js';

/** How one send went. A retryable failure (throttling, a server fault) is tried again after a back-off. */
export type SendOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string; readonly retryable: boolean };

/**
 * The clients a replay sends through; Lambda and EventBridge only when a destination needs them.
 *
 * @example
 * ```ts
 * import { SQSClient } from '@aws-sdk/client-sqs';
 *
 * const clients: ReplayClients = { sqs: new SQSClient({}) }; // lambda and eventBridge only for those targets
 * ```
 */
export interface ReplayClients {
  readonly sqs: SQSClient;
  readonly lambda?: LambdaClient;
  readonly eventBridge?: EventBridgeClient;
}

/** SQS's limit on the total size of one SendMessageBatch (and of one message). */
export const MAX_BATCH_BYTES = 262_144;

const attributeBytes = (attributes: Readonly<Record<string, MessageAttributeValue>>): number =>
  Object.entries(attributes).reduce(
    (sum, [name, value]) =>
      sum +
      Buffer.byteLength(name) +
      Buffer.byteLength(value.DataType ?? '') +
      Buffer.byteLength(value.StringValue ?? '') +
      (value.BinaryValue?.byteLength ?? 0),
    0,
  );

/** How {@link sendEntry} builds an entry; every option defaults to off. */
export interface SendEntryOptions {
  /** Keep the consumer's failure-reason attributes (default: dropped, a replayed message starts fresh). */
  readonly keepFailureReason?: boolean;
  /** The trace header of a message that has none of its own (inside the replay function: the invocation's). */
  readonly fallbackTraceHeader?: string | undefined;
}

/**
 * The SendMessageBatch entry for a message: body, attributes (minus EventBridge's delivery-failure attributes on a
 * re-delivery, and minus the consumer's failure reason unless `keepFailureReason`), the X-Ray trace header (the
 * message's own, else `fallbackTraceHeader`), and for a FIFO destination the message group and deduplication ids.
 * A FIFO destination needs a group id; without one the message fails. The deduplication id falls back to the
 * domain event id, so that replaying one event twice within five minutes is dropped by SQS itself. Pure.
 */
export const sendEntry = (
  message: DlqMessage,
  id: string,
  destination: Extract<Destination, { kind: 'sqs' }>,
  { keepFailureReason = false, fallbackTraceHeader }: SendEntryOptions = {},
): { entry: SendMessageBatchRequestEntry; bytes: number } | { error: string } => {
  const attributes = replayAttributes(message, destination.redelivery, keepFailureReason);
  const entry: SendMessageBatchRequestEntry = { Id: id, MessageBody: message.body };
  if (Object.keys(attributes).length > 0) entry.MessageAttributes = attributes;
  const traceHeader = message.traceHeader ?? fallbackTraceHeader;
  if (traceHeader !== undefined) {
    entry.MessageSystemAttributes = { AWSTraceHeader: { DataType: 'String', StringValue: traceHeader } };
  }
  if (destination.queue.fifo) {
    if (message.messageGroupId === undefined) {
      return { error: `destination ${destination.queue.name} is FIFO but the message has no MessageGroupId` };
    }
    entry.MessageGroupId = message.messageGroupId;
    entry.MessageDeduplicationId = message.messageDeduplicationId ?? message.eventId ?? message.messageId;
  }
  return { entry, bytes: Buffer.byteLength(message.body) + attributeBytes(attributes) };
};

/** Splits entries into batches of at most 10 and `MAX_BATCH_BYTES`, keeping their order (FIFO order). Pure. */
export const splitBatches = <T extends { bytes: number }>(items: readonly T[]): T[][] => {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length > 0 && (current.length === 10 || bytes + item.bytes > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};

/** Maps a failed call to the outcome of every message in it; throws on a permission problem (fatal for the run). */
const callFailure = (error: unknown, action: string, label: string): SendOutcome => {
  if (isAccessDenied(error))
    throw new PermissionDeniedError(`${action} on ${label}`, errorMessage(error), { cause: error });
  if (isThrottling(error)) return { ok: false, reason: `throttled: ${awsErrorCode(error)}`, retryable: true };
  if (isResourceMissing(error))
    return { ok: false, reason: `destination missing: ${label}`, retryable: false };
  return { ok: false, reason: `${action} failed: ${errorMessage(error)}`, retryable: true };
};

const sendToQueue = async (
  sqs: SQSClient,
  destination: Extract<Destination, { kind: 'sqs' }>,
  messages: readonly DlqMessage[],
  keepFailureReason: boolean,
  traceHeader: string | undefined,
): Promise<SendOutcome[]> => {
  const outcomes: SendOutcome[] = new Array<SendOutcome>(messages.length);
  const ready: { entry: SendMessageBatchRequestEntry; bytes: number; index: number }[] = [];
  messages.forEach((message, index) => {
    const built = sendEntry(message, String(index), destination, {
      keepFailureReason,
      fallbackTraceHeader: traceHeader,
    });
    if ('error' in built) outcomes[index] = { ok: false, reason: built.error, retryable: false };
    else ready.push({ ...built, index });
  });
  for (const batch of splitBatches(ready)) {
    try {
      const out = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: destination.queue.url,
          Entries: batch.map((item) => item.entry),
        }),
      );
      for (const ok of out.Successful ?? []) outcomes[Number(ok.Id)] = { ok: true };
      for (const failed of out.Failed ?? []) {
        const retryable = failed.SenderFault !== true || isThrottling({ name: failed.Code });
        outcomes[Number(failed.Id)] = {
          ok: false,
          reason: `${failed.Code}: ${failed.Message ?? ''}`.trim(),
          retryable,
        };
      }
    } catch (error) {
      const outcome = callFailure(error, 'sqs:SendMessageBatch', destination.queue.name);
      for (const item of batch) outcomes[item.index] = outcome;
    }
  }
  return messages.map(
    (_, index) => outcomes[index] ?? { ok: false, reason: 'no answer for entry', retryable: true },
  );
};

const invokeFunction = async (
  lambda: LambdaClient,
  functionArn: string,
  messages: readonly DlqMessage[],
): Promise<SendOutcome[]> =>
  Promise.all(
    messages.map(async (message): Promise<SendOutcome> => {
      try {
        // Asynchronous invoke, as EventBridge invokes its Lambda targets: the function gets the event itself.
        await lambda.send(
          new InvokeCommand({
            FunctionName: functionArn,
            InvocationType: 'Event',
            Payload: new TextEncoder().encode(message.body),
          }),
        );
        return { ok: true };
      } catch (error) {
        return callFailure(error, 'lambda:InvokeFunction', functionArn);
      }
    }),
  );

const putEntry = (message: DlqMessage, busName: string, traceHeader?: string): PutEventsRequestEntry => {
  const event = message.json as { detail?: unknown; time?: unknown; resources?: unknown } | undefined;
  // An EventBridge event carries the envelope in `detail`; a bare envelope is the detail itself.
  const detail = event !== undefined && 'detail-type' in event ? event.detail : message.json;
  return {
    EventBusName: busName,
    Source: message.eventSource,
    DetailType: message.detailType,
    Detail: JSON.stringify(detail),
    ...(typeof event?.time === 'string' ? { Time: new Date(event.time) } : {}),
    ...(Array.isArray(event?.resources)
      ? { Resources: event.resources.filter((r) => typeof r === 'string') }
      : {}),
    ...(traceHeader === undefined ? {} : { TraceHeader: traceHeader }),
  };
};

const putOnBus = async (
  eventBridge: EventBridgeClient,
  busName: string,
  messages: readonly DlqMessage[],
  traceHeader: string | undefined,
): Promise<SendOutcome[]> => {
  const outcomes: SendOutcome[] = [];
  for (let start = 0; start < messages.length; start += 10) {
    const batch = messages.slice(start, start + 10);
    try {
      const out = await eventBridge.send(
        new PutEventsCommand({
          Entries: batch.map((m) => putEntry(m, busName, m.traceHeader ?? traceHeader)),
        }),
      );
      batch.forEach((_, index) => {
        const entry = out.Entries?.[index];
        if (entry?.ErrorCode === undefined && entry?.EventId !== undefined) outcomes.push({ ok: true });
        else {
          const code = entry?.ErrorCode ?? 'NoEventId';
          const retryable = isThrottling({ name: code }) || code === 'InternalFailure';
          outcomes.push({ ok: false, reason: `${code}: ${entry?.ErrorMessage ?? ''}`.trim(), retryable });
        }
      });
    } catch (error) {
      const outcome = callFailure(error, 'events:PutEvents', busName);
      for (const _ of batch) outcomes.push(outcome);
    }
  }
  return outcomes;
};

const noClient = (service: string): SendOutcome => ({
  ok: false,
  reason: `no ${service} client configured for this replay`,
  retryable: false,
});

/**
 * Sends messages to one destination. Returns one outcome per message, in order. Throws `PermissionDeniedError`
 * when the credentials may not send there: every further send would fail the same way. `keepFailureReason` keeps
 * the consumer's `breakwater.failure.*` attributes on messages sent to a queue (default: dropped).
 */
export const sendMessages = (
  clients: ReplayClients,
  destination: Destination,
  messages: readonly DlqMessage[],
  {
    keepFailureReason = false,
    traceHeader,
  }: {
    readonly keepFailureReason?: boolean;
    /** For messages that carry no trace header of their own (inside a function: the invocation's). */
    readonly traceHeader?: string | undefined;
  } = {},
): Promise<SendOutcome[]> => {
  switch (destination.kind) {
    case 'sqs':
      return sendToQueue(clients.sqs, destination, messages, keepFailureReason, traceHeader);
    case 'lambda':
      if (clients.lambda === undefined) return Promise.resolve(messages.map(() => noClient('Lambda')));
      return invokeFunction(clients.lambda, destination.functionArn, messages);
    case 'bus':
      if (clients.eventBridge === undefined)
        return Promise.resolve(messages.map(() => noClient('EventBridge')));
      return putOnBus(clients.eventBridge, destination.busName, messages, traceHeader);
  }
};
