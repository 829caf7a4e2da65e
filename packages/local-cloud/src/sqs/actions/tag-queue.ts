import { SqsErrors } from '../errors.js';
import type { ActionHandler } from './context.js';
import { EMPTY } from './context.js';

/** AWS's tag limits: 50 tags a queue, keys up to 128 characters, values up to 256. */
const MAX_TAGS = 50;

/**
 * TagQueue: adds tags, a key already there takes the new value; keys are case-sensitive.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_TagQueue.html
 */
export const tagQueue: ActionHandler<'TagQueue'> = (input, { store, request }) => {
  const queue = store.resolve(input.QueueUrl, request);
  const tags = Object.entries(input.Tags ?? {});
  if (tags.length === 0) throw SqsErrors.missingParameter('Tags');
  for (const [key, value] of tags) {
    if (key === '' || key.length > 128)
      throw SqsErrors.invalidValue('Tag.Key', key, 'Tag keys must be 1 to 128 characters.');
    if (value.length > 256)
      throw SqsErrors.invalidValue('Tag.Value', value, 'Tag values must be at most 256 characters.');
  }
  const merged = new Map([...queue.tags, ...tags]);
  if (merged.size > MAX_TAGS) {
    throw SqsErrors.invalidParameterValue(`Too many tags added for queue ${queue.name}.`);
  }
  for (const [key, value] of tags) queue.tags.set(key, value);
  return EMPTY;
};
