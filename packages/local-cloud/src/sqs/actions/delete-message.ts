import type { ActionHandler } from './context.js';
import { EMPTY } from './context.js';
import { deleteByReceipt } from './receipts.js';

/** DeleteMessage. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html */
export const deleteMessage: ActionHandler<'DeleteMessage'> = (input, { store, request, now }) => {
  deleteByReceipt(store.resolve(input.QueueUrl, request), input.ReceiptHandle, now);
  return EMPTY;
};
