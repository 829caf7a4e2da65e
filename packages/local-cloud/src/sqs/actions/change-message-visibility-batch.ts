import { checkBatchEntries } from '../rules.js';
import { runEntries } from './batch-results.js';
import type { ActionHandler } from './context.js';
import { changeVisibilityByReceipt } from './receipts.js';

/**
 * ChangeMessageVisibilityBatch.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibilityBatch.html
 */
export const changeMessageVisibilityBatch: ActionHandler<'ChangeMessageVisibilityBatch'> = (
  input,
  context,
) => {
  const queue = context.store.resolve(input.QueueUrl, context.request);
  const entries = checkBatchEntries(input.Entries, 'ChangeMessageVisibilityBatchRequestEntry');
  return runEntries(entries, (entry) =>
    changeVisibilityByReceipt(queue, entry.ReceiptHandle, entry.VisibilityTimeout, context.now),
  );
};
