import { checkBatchEntries } from '../rules.js';
import { runEntries } from './batch-results.js';
import type { ActionHandler } from './context.js';
import { deleteByReceipt } from './receipts.js';

/**
 * DeleteMessageBatch. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessageBatch.html
 */
export const deleteMessageBatch: ActionHandler<'DeleteMessageBatch'> = (input, { store, request, now }) => {
  const queue = store.resolve(input.QueueUrl, request);
  const entries = checkBatchEntries(input.Entries, 'DeleteMessageBatchRequestEntry');
  return runEntries(entries, (entry) => deleteByReceipt(queue, entry.ReceiptHandle, now));
};
