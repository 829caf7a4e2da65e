import type { SqsQueue } from '../queue.js';
import type { DeadLetterLookup } from '../queue-attributes.js';
import type { SqsStore } from '../store.js';

/** How attribute validation sees other queues: whether a dead-letter target exists, and its type. */
export const deadLetterLookup =
  (store: SqsStore): DeadLetterLookup =>
  (arn) => {
    const queue = store.byArn(arn);
    return queue === undefined ? undefined : { fifo: queue.fifo };
  };

/** The move of a message past its receive count, as a receive hands it to the queue. */
export const deadLetterMover = (store: SqsStore, queue: SqsQueue, now: number) =>
  queue.redrive === undefined
    ? undefined
    : (message: Parameters<SqsStore['moveToDeadLetter']>[1]) => store.moveToDeadLetter(queue, message, now);
