import type { StoredMessage } from '../message.js';
import type { SqsQueue } from '../queue.js';

/**
 * ReceiveRequestAttemptId on FIFO queues: a receive retried with the same id within 5 minutes answers the same
 * messages and receipt handles, and resets their visibility timeout, as long as none of them was deleted or had
 * its visibility changed meanwhile; otherwise it is a new receive.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html#API_ReceiveMessage_RequestParameters
 */

interface Attempt {
  readonly messages: readonly StoredMessage[];
  readonly receipts: readonly number[];
  readonly visibleAt: readonly number[];
  readonly expiresAt: number;
}

const ATTEMPT_INTERVAL_MS = 5 * 60 * 1000;
const attemptsByQueue = new WeakMap<SqsQueue, Map<string, Attempt>>();

/** The messages of an earlier receive with this attempt id, still in flight and untouched; else undefined. */
export const repeatAttempt = (
  queue: SqsQueue,
  attemptId: string,
  visibilitySeconds: number,
  now: number,
): StoredMessage[] | undefined => {
  const attempts = attemptsByQueue.get(queue);
  const attempt = attempts?.get(attemptId);
  if (attempts === undefined || attempt === undefined) return undefined;
  if (attempt.expiresAt <= now) {
    attempts.delete(attemptId);
    return undefined;
  }
  queue.refresh(now);
  const untouched = attempt.messages.every(
    (message, index) =>
      message.state === 'inflight' &&
      message.receipt === attempt.receipts[index] &&
      message.visibleAt === attempt.visibleAt[index],
  );
  if (!untouched) {
    attempts.delete(attemptId);
    return undefined;
  }
  for (const message of attempt.messages) queue.hide(message, visibilitySeconds, now);
  attempts.set(attemptId, { ...attempt, visibleAt: attempt.messages.map((message) => message.visibleAt) });
  return [...attempt.messages];
};

/** Remembers what a receive with an attempt id returned. */
export const recordAttempt = (
  queue: SqsQueue,
  attemptId: string,
  messages: readonly StoredMessage[],
  now: number,
) => {
  let attempts = attemptsByQueue.get(queue);
  if (attempts === undefined) {
    attempts = new Map();
    attemptsByQueue.set(queue, attempts);
  }
  for (const [id, attempt] of attempts) if (attempt.expiresAt <= now) attempts.delete(id);
  attempts.set(attemptId, {
    messages: [...messages],
    receipts: messages.map((message) => message.receipt),
    visibleAt: messages.map((message) => message.visibleAt),
    expiresAt: now + ATTEMPT_INTERVAL_MS,
  });
};
