import { SqsErrors } from '../errors';
import { decodeReceiptHandle, type StoredMessage } from '../message';
import type { SqsQueue } from '../queue';

/**
 * What a receipt handle names, as DeleteMessage and ChangeMessageVisibility (single or batch) see it:
 * not a handle of this queue at all; a message gone since; an earlier receive of a message received again; the
 * latest receive of a message still in flight; or the latest receive of a message whose visibility timeout ran
 * out (visible again, not received since).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html
 */
export type Receipt =
  | { readonly kind: 'gone' }
  | { readonly kind: 'stale' }
  | { readonly kind: 'current'; readonly message: StoredMessage }
  | { readonly kind: 'expired'; readonly message: StoredMessage };

export const readReceipt = (queue: SqsQueue, handle: string | undefined, now: number): Receipt => {
  if (handle === undefined || handle === '') throw SqsErrors.missingParameter('ReceiptHandle');
  const parts = decodeReceiptHandle(handle);
  if (parts === undefined || parts.queueId !== queue.id) throw SqsErrors.receiptHandleIsInvalid(handle);
  queue.refresh(now);
  const message = queue.find(parts.messageId);
  if (message === undefined) return { kind: 'gone' };
  if (message.receipt !== parts.receipt) return { kind: 'stale' };
  return message.state === 'inflight' ? { kind: 'current', message } : { kind: 'expired', message };
};

const expired = (handle: string) =>
  SqsErrors.invalidValue('ReceiptHandle', handle, 'The receipt handle has expired.');

/**
 * Deletes what a handle names. An old handle succeeds without deleting (AWS: "the request will succeed, but the
 * message might not be deleted"); on a standard queue the latest handle still deletes after the visibility
 * timeout, on a FIFO queue it has expired.
 */
export const deleteByReceipt = (queue: SqsQueue, handle: string | undefined, now: number): void => {
  const receipt = readReceipt(queue, handle, now);
  if (receipt.kind === 'gone' || receipt.kind === 'stale') return;
  if (receipt.kind === 'expired' && queue.fifo) throw expired(handle ?? '');
  queue.remove(receipt.message);
};

/** Changes the visibility timeout of what a handle names (a standard queue hides an expired one again). */
export const changeVisibilityByReceipt = (
  queue: SqsQueue,
  handle: string | undefined,
  timeout: number | undefined,
  now: number,
): void => {
  if (timeout === undefined) throw SqsErrors.missingParameter('VisibilityTimeout');
  if (timeout < 0 || timeout > 43_200) {
    throw SqsErrors.invalidValue(
      'VisibilityTimeout',
      timeout,
      'VisibilityTimeout must be an integer between 0 and 43200.',
    );
  }
  const receipt = readReceipt(queue, handle, now);
  if (receipt.kind === 'gone' || receipt.kind === 'stale') {
    throw SqsErrors.invalidValue(
      'ReceiptHandle',
      handle,
      'Message does not exist or is not available for visibility timeout change.',
    );
  }
  if (receipt.kind === 'expired' && queue.fifo) throw expired(handle ?? '');
  queue.hide(receipt.message, timeout, now);
};
