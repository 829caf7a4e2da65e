import {
  ChangeMessageVisibilityBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type ReceiveMessageCommandInput,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { chunk, mapWithConcurrency } from './async.js';
import { translateQueueError } from './aws-errors.js';
import { toDlqMessage } from './message.js';
import type { DlqMessage, EventCheck, QueueRef } from './types.js';

/**
 * Options of `peekMessages`.
 *
 * @example
 * ```ts
 * const messages = await peekMessages(sqs, queue, { max: 5 });
 * ```
 */
export interface PeekOptions {
  /** How many messages to show at most. Default 10. */
  readonly max?: number;
  /**
   * How long peeked messages stay hidden if this process dies before releasing them. Default 30 s: short, since
   * they are made visible again as soon as the peek is done.
   */
  readonly visibilityTimeoutSeconds?: number;
  /** Long-poll seconds of each receive. Default 1 (a short poll may miss messages on a standard queue). */
  readonly waitTimeSeconds?: number;
  /** Receive calls at most; default until `max` messages or an empty receive. `list` takes one sample. */
  readonly receives?: number;
  /** Checks each event envelope; a refused one is shown as malformed (see `ReplayOptions.checkEvent`). */
  readonly checkEvent?: EventCheck;
}

/** The receive parameters every reader of a DLQ uses: all system and message attributes. */
export const receiveAllAttributes = (): Pick<
  ReceiveMessageCommandInput,
  'MessageSystemAttributeNames' | 'MessageAttributeNames'
> => ({ MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] });

/**
 * Makes received messages visible again at once (ChangeMessageVisibility 0). Errors are swallowed on purpose: a
 * handle that cannot be released (already deleted, expired) becomes visible by itself when its timeout ends.
 */
export const releaseMessages = async (
  sqs: SQSClient,
  queueUrl: string,
  receiptHandles: readonly string[],
): Promise<void> => {
  await mapWithConcurrency(chunk(receiptHandles, 10), 8, async (handles) => {
    try {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: handles.map((handle, index) => ({
            Id: String(index),
            ReceiptHandle: handle,
            VisibilityTimeout: 0,
          })),
        }),
      );
    } catch {
      // Best effort, see above.
    }
  });
};

/**
 * Shows up to `max` messages without removing any: it receives with a short visibility timeout, keeps what it saw
 * hidden only while it collects more, and then makes everything visible again. Nothing is deleted.
 *
 * Peeking counts as a receive: it raises each message's ApproximateReceiveCount, which matters only when the DLQ
 * has a redrive policy of its own.
 *
 * @example
 * ```ts
 * import { SQSClient } from '@aws-sdk/client-sqs';
 * import { peekMessages, resolveQueue } from '@breakwater/dlq';
 *
 * const sqs = new SQSClient({});
 * const queue = await resolveQueue(sqs, 'billing-dlq');
 * for (const message of await peekMessages(sqs, queue, { max: 5 })) console.log(message.eventType, message.malformed);
 * ```
 */
export const peekMessages = async (
  sqs: SQSClient,
  queue: QueueRef,
  options: PeekOptions = {},
): Promise<DlqMessage[]> => {
  const max = Math.max(1, options.max ?? 10);
  const seen = new Map<string, Message>();
  const handles: string[] = [];
  let receives = 0;
  try {
    while (seen.size < max && receives < (options.receives ?? Number.POSITIVE_INFINITY)) {
      receives += 1;
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queue.url,
          MaxNumberOfMessages: Math.min(10, max - seen.size),
          VisibilityTimeout: options.visibilityTimeoutSeconds ?? 30,
          WaitTimeSeconds: options.waitTimeSeconds ?? 1,
          ...receiveAllAttributes(),
        }),
      );
      const messages = out.Messages ?? [];
      if (messages.length === 0) break;
      for (const message of messages) {
        if (message.ReceiptHandle !== undefined) handles.push(message.ReceiptHandle);
        if (message.MessageId !== undefined && !seen.has(message.MessageId))
          seen.set(message.MessageId, message);
      }
    }
  } catch (error) {
    throw translateQueueError(error, queue.url, 'sqs:ReceiveMessage');
  } finally {
    await releaseMessages(sqs, queue.url, handles);
  }
  return [...seen.values()].slice(0, max).map((message) => toDlqMessage(message, options.checkEvent));
};
