import { createHash, randomBytes } from 'node:crypto';
import type { StoredAttributes } from './md5.js';

/** Where a message is in its life: waiting out a delay, receivable, received and invisible, or gone. */
export type MessageState = 'delayed' | 'visible' | 'inflight' | 'gone';

/** One message as a queue keeps it. */
export interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: StoredAttributes | undefined;
  readonly systemAttributes: StoredAttributes | undefined;
  readonly md5OfSystemAttributes: string | undefined;
  readonly senderId: string;
  /** Epoch ms of the send; a move to a dead-letter queue keeps it (so does AWS for standard queues). */
  readonly sentTimestamp: number;
  firstReceiveTimestamp: number | undefined;
  /** When the latest receive happened: a message stays invisible at most 12 hours from it. */
  lastReceiveTimestamp: number | undefined;
  receiveCount: number;
  /** FIFO queues, and standard queues used as fair queues. */
  readonly groupId: string | undefined;
  readonly deduplicationId: string | undefined;
  readonly sequenceNumber: string | undefined;
  /** The queue a dead-lettered message came from (AWS's DeadLetterQueueSourceArn). */
  readonly deadLetterSourceArn: string | undefined;
  state: MessageState;
  /** For delayed and in-flight messages: when they become visible (epoch ms). */
  visibleAt: number;
  /** Counts the receives; a receipt handle names the receive it came from. */
  receipt: number;
  /** When the message last became receivable, as an ever-growing number: FIFO groups are served in this order. */
  availableOrder: number;
}

/** What identifies a receive: the queue instance, the message and which of its receives. */
export interface ReceiptParts {
  readonly queueId: string;
  readonly messageId: string;
  readonly receipt: number;
}

/** Salts the padding of receipt handles, so they cannot be forged from a message id. */
const SALT = randomBytes(16).toString('hex');

/**
 * Receipt handles are opaque to clients (AWS's are long base64 strings); ours carry the queue instance, the
 * message id and the receive number, plus padding derived from them, so a handle of a deleted queue or of an
 * earlier receive is recognised as such, anything else is not a handle at all, and one receive always has the
 * same handle (a FIFO receive retried with its ReceiveRequestAttemptId answers the same handles).
 */
export const encodeReceiptHandle = ({ queueId, messageId, receipt }: ReceiptParts): string => {
  const padding = createHash('sha256').update(`${SALT}:${queueId}:${messageId}:${receipt}`).digest('base64');
  return Buffer.from(`${queueId}:${messageId}:${receipt}:${padding}`, 'utf8').toString('base64');
};

const HANDLE = /^([0-9a-f]{16}):([0-9a-f-]{36}):(\d+):[A-Za-z0-9+/=]+$/;

/** The parts of a receipt handle; undefined when it is not one of ours. */
export const decodeReceiptHandle = (handle: string): ReceiptParts | undefined => {
  if (handle.length < 40 || !/^[A-Za-z0-9+/]+={0,2}$/.test(handle)) return undefined;
  const match = HANDLE.exec(Buffer.from(handle, 'base64').toString('utf8'));
  if (match === null) return undefined;
  const [, queueId = '', messageId = '', receipt = '0'] = match;
  return { queueId, messageId, receipt: Number(receipt) };
};
