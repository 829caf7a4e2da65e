import type { ActionHandler } from './context.js';
import { EMPTY } from './context.js';
import { changeVisibilityByReceipt } from './receipts.js';

/**
 * ChangeMessageVisibility: the new timeout counts from now; 0 makes the message visible at once.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
 */
export const changeMessageVisibility: ActionHandler<'ChangeMessageVisibility'> = (input, context) => {
  const queue = context.store.resolve(input.QueueUrl, context.request);
  changeVisibilityByReceipt(queue, input.ReceiptHandle, input.VisibilityTimeout, context.now);
  return EMPTY;
};
