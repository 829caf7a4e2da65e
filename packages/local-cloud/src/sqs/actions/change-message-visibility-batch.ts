import { checkBatchEntries } from '../rules';
import { runEntries } from './batch-results';
import type { ActionHandler } from './context';
import { changeVisibilityByReceipt } from './receipts';

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
