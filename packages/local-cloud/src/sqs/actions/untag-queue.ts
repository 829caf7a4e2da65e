import { SqsErrors } from '../errors.js';
import type { ActionHandler } from './context.js';
import { EMPTY } from './context.js';

/**
 * UntagQueue: removes the keys named; keys the queue does not have are ignored.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_UntagQueue.html
 */
export const untagQueue: ActionHandler<'UntagQueue'> = (input, { store, request }) => {
  const queue = store.resolve(input.QueueUrl, request);
  const keys = input.TagKeys ?? [];
  if (keys.length === 0 || keys.some((key) => key === '' || key.length > 128)) {
    throw SqsErrors.invalidParameterValue('Tag keys must be between 1 and 128 characters in length.');
  }
  for (const key of keys) queue.tags.delete(key);
  return EMPTY;
};
