import type { ActionHandler } from './context.js';

/**
 * ListQueueTags: AWS leaves `Tags` out when the queue has none.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueueTags.html
 */
export const listQueueTags: ActionHandler<'ListQueueTags'> = (input, { store, request }) => {
  const queue = store.resolve(input.QueueUrl, request);
  return queue.tags.size === 0 ? {} : { Tags: Object.fromEntries(queue.tags) };
};
