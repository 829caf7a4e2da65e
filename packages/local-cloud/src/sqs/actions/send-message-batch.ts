import type { SendMessageBatchResultEntry } from '@aws-sdk/client-sqs';
import { SqsErrors } from '../errors.js';
import { checkBatchEntries, messageSize } from '../rules.js';
import { runEntries } from './batch-results.js';
import type { ActionHandler } from './context.js';
import { sendOne } from './sending.js';

/** The whole batch counts against 1 MiB, whatever the queue's MaximumMessageSize. */
const MAX_BATCH_BYTES = 1_048_576;

/**
 * SendMessageBatch: the envelope checks fail the whole request (entries, ids, total size, and on a FIFO queue a
 * missing group or deduplication id); each entry then succeeds or fails alone, in order. AWS omits an empty
 * `Failed` (or `Successful`) list.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
 */
export const sendMessageBatch: ActionHandler<'SendMessageBatch'> = (input, context) => {
  const queue = context.store.resolve(input.QueueUrl, context.request);
  const entries = checkBatchEntries(input.Entries, 'SendMessageBatchRequestEntry');
  const total = entries.reduce((sum, entry) => {
    const attributes = Object.entries(entry.MessageAttributes ?? {}).map(([name, value]) => [
      name,
      { DataType: value.DataType ?? '', StringValue: value.StringValue, BinaryValue: value.BinaryValue },
    ]);
    return sum + messageSize(entry.MessageBody ?? '', Object.fromEntries(attributes));
  }, 0);
  if (total > MAX_BATCH_BYTES) throw SqsErrors.batchRequestTooLong(MAX_BATCH_BYTES, total);
  if (queue.fifo) {
    if (entries.some((entry) => entry.MessageGroupId === undefined)) {
      throw SqsErrors.invalidParameterValue('The request must contain the parameter MessageGroupId.');
    }
    if (
      !queue.contentBasedDeduplication &&
      entries.some((entry) => entry.MessageDeduplicationId === undefined)
    ) {
      throw SqsErrors.invalidParameterValue(
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
    }
  }
  const successful: SendMessageBatchResultEntry[] = [];
  const { Failed } = runEntries(entries, ({ Id, ...message }) => {
    const sent = sendOne(queue, message, context, 'batch');
    successful.push({
      Id: Id ?? '',
      ...sent,
      MessageId: sent.MessageId ?? '',
      MD5OfMessageBody: sent.MD5OfMessageBody ?? '',
    });
  });
  // Undefined members vanish from the JSON answer, as AWS leaves empty lists out.
  return {
    Successful: successful.length === 0 ? undefined : successful,
    Failed,
  };
};
