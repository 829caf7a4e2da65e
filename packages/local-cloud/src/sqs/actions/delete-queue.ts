import type { ActionHandler } from './context.js';
import { EMPTY } from './context.js';

/**
 * DeleteQueue: the queue and its messages go at once; its name is blocked for 60 s.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteQueue.html
 */
export const deleteQueue: ActionHandler<'DeleteQueue'> = (input, { store, request, now }) => {
  store.delete(store.resolve(input.QueueUrl, request), now);
  return EMPTY;
};
