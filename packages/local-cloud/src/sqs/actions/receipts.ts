import { SqsErrors } from '../errors.js';
import { decodeReceiptHandle, type StoredMessage } from '../message.js';
import type { SqsQueue } from '../queue.js';

/**
 * What a receipt handle names, as DeleteMessage and ChangeMessageVisibility (single or batch) see it: not a
 * handle of this queue at all (ReceiptHandleIsInvalid); a message gone since; the latest receive of a message
 * still in flight; or an outdated receive (the visibility timeout ran out, or the message was received again).
 * A standard queue acts on an outdated handle as on the latest (AWS: an old handle "will succeed"); a FIFO queue
 * refuses it as expired, which keeps a group's order.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html
 */
export type Receipt =
  | { readonly kind: 'gone' }
  | { readonly kind: 'current'; readonly message: StoredMessage }
  | { readonly kind: 'outdated'; readonly message: StoredMessage };

export const readReceipt = (queue: SqsQueue, handle: string | undefined, now: number): Receipt => {
  if (handle === undefined || handle === '') throw SqsErrors.missingParameter('ReceiptHandle');
  const parts = decodeReceiptHandle(handle);
  if (parts === undefined || parts.queueId !== queue.id) throw SqsErrors.receiptHandleIsInvalid(handle);
  queue.refresh(now);
  const message = queue.find(parts.messageId);
  if (message === undefined) return { kind: 'gone' };
  return message.receipt === parts.receipt && message.state === 'inflight'
    ? { kind: 'current', message }
    : { kind: 'outdated', message };
};

/** A message stays invisible at most 12 hours after it was received. */
const MAX_VISIBILITY_SECONDS = 43_200;

const expired = (handle: string) =>
  SqsErrors.invalidValue('ReceiptHandle', handle, 'The receipt handle has expired.');

/** Deletes what a handle names; deleting a message that is gone already succeeds. */
export const deleteByReceipt = (queue: SqsQueue, handle: string | undefined, now: number): void => {
  const receipt = readReceipt(queue, handle, now);
  if (receipt.kind === 'gone') return;
  if (receipt.kind === 'outdated' && queue.fifo) throw expired(handle ?? '');
  queue.remove(receipt.message);
};

/** Changes the visibility timeout of what a handle names (hiding it again when it had become visible). */
export const changeVisibilityByReceipt = (
  queue: SqsQueue,
  handle: string | undefined,
  timeout: number | undefined,
  now: number,
): void => {
  if (timeout === undefined) throw SqsErrors.missingParameter('VisibilityTimeout');
  const beyondLimit = () =>
    SqsErrors.invalidValue(
      'VisibilityTimeout',
      timeout,
      'Total VisibilityTimeout for the message is beyond the limit [43200 seconds]',
    );
  if (timeout < 0) {
    throw SqsErrors.invalidValue('VisibilityTimeout', timeout, 'Must be >= 0 and <= 43200, if provided.');
  }
  if (timeout > MAX_VISIBILITY_SECONDS) throw beyondLimit();
  const receipt = readReceipt(queue, handle, now);
  if (receipt.kind === 'gone') {
    throw SqsErrors.invalidValue(
      'ReceiptHandle',
      handle,
      'Message does not exist or is not available for visibility timeout change.',
    );
  }
  if (receipt.kind === 'outdated' && queue.fifo) throw expired(handle ?? '');
  // The 12 hours count from the receive: "the maximum time left" is what a change may ask for.
  const received = receipt.message.lastReceiveTimestamp ?? now;
  if ((now - received) / 1000 + timeout > MAX_VISIBILITY_SECONDS) throw beyondLimit();
  queue.hide(receipt.message, timeout, now);
};
