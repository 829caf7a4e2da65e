import { SqsErrors } from '../errors.js';
import type { ActionHandler } from './context.js';
import { EMPTY } from './context.js';

/** AWS allows one purge of a queue every 60 seconds. */
const PURGE_INTERVAL_MS = 60_000;

/**
 * PurgeQueue: every message goes, in flight and delayed ones included, and a FIFO queue forgets its
 * deduplication ids; a second purge within 60 s is PurgeQueueInProgress.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_PurgeQueue.html
 */
export const purgeQueue: ActionHandler<'PurgeQueue'> = (input, { store, request, now }) => {
  const queue = store.resolve(input.QueueUrl, request);
  if (queue.lastPurgeAt !== undefined && now - queue.lastPurgeAt < PURGE_INTERVAL_MS) {
    throw SqsErrors.purgeQueueInProgress(queue.name);
  }
  queue.purge(now);
  return EMPTY;
};
