import { applyQueueAttributes, checkQueueAttributes } from '../queue-attributes.js';
import type { ActionHandler } from './context.js';
import { EMPTY } from './context.js';
import { deadLetterLookup } from './shared.js';

/**
 * SetQueueAttributes: validated as CreateQueue validates (the queue type cannot change), applied with AWS's
 * couplings (one kind of server-side encryption; an empty policy removes it).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
 */
export const setQueueAttributes: ActionHandler<'SetQueueAttributes'> = (input, { store, request, now }) => {
  const queue = store.resolve(input.QueueUrl, request);
  const checked = checkQueueAttributes(input.Attributes ?? {}, {
    fifo: queue.fifo,
    creating: false,
    lookup: deadLetterLookup(store),
  });
  queue.attributes = applyQueueAttributes(queue.attributes, checked);
  queue.lastModifiedTimestamp = Math.floor(now / 1000);
  return EMPTY;
};
