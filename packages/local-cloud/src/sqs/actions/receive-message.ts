import type { Message, MessageAttributeValue, MessageSystemAttributeName } from '@aws-sdk/client-sqs';
import { md5OfAttributes, type StoredAttributes } from '../md5.js';
import { encodeReceiptHandle, type StoredMessage } from '../message.js';
import type { SqsQueue } from '../queue.js';
import { checkFifoToken, checkRange } from '../rules.js';
import type { ActionHandler } from './context.js';
import { recordAttempt, repeatAttempt } from './receive-attempts.js';
import { deadLetterMover } from './shared.js';

/**
 * ReceiveMessage: up to MaxNumberOfMessages (default 1), hidden for VisibilityTimeout (default the queue's),
 * long-polling up to WaitTimeSeconds (default the queue's ReceiveMessageWaitTimeSeconds) and returning as soon as
 * one message is there. System attributes come from MessageSystemAttributeNames and the older AttributeNames;
 * message attributes by name, `All`, `.*` or a prefix `<p>.*`, with the MD5 of the subset returned. AWS omits
 * `Messages` when there are none, and each member a message does not have.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
 */
export const receiveMessage: ActionHandler<'ReceiveMessage'> = async (input, context) => {
  const { store, request } = context;
  const queue = store.resolve(input.QueueUrl, request);
  const max =
    checkRange(
      input.MaxNumberOfMessages,
      'MaxNumberOfMessages',
      1,
      10,
      'Must be between 1 and 10, if provided.',
    ) ?? 1;
  const visibility =
    checkRange(
      input.VisibilityTimeout,
      'VisibilityTimeout',
      0,
      43_200,
      'Must be >= 0 and <= 43200, if provided.',
    ) ?? queue.visibilityTimeoutSeconds;
  const wait =
    checkRange(input.WaitTimeSeconds, 'WaitTimeSeconds', 0, 20, 'Must be >= 0 and <= 20, if provided.') ??
    queue.receiveWaitTimeSeconds;
  const attemptId = queue.fifo ? input.ReceiveRequestAttemptId : undefined;
  checkFifoToken(attemptId, 'ReceiveRequestAttemptId');
  const deadline = context.now + wait * 1000;
  let received: StoredMessage[] =
    (attemptId === undefined ? undefined : repeatAttempt(queue, attemptId, visibility, context.now)) ?? [];
  while (received.length === 0) {
    if (request.signal?.aborted) break;
    const now = Date.now();
    received = queue.receive(max, visibility, now, deadLetterMover(store, queue, now));
    if (received.length > 0) {
      if (attemptId !== undefined) recordAttempt(queue, attemptId, received, now);
      break;
    }
    if (now >= deadline) break;
    await queue.waitForChange(deadline - now, request.signal);
  }
  const systemNames = new Set<string>([
    ...(input.AttributeNames ?? []),
    ...(input.MessageSystemAttributeNames ?? []),
  ]);
  const attributeFilter = messageAttributeFilter(input.MessageAttributeNames ?? []);
  return {
    Messages:
      received.length === 0
        ? undefined
        : received.map((message) => shapeMessage(queue, message, systemNames, attributeFilter)),
  };
};

type AttributeFilter = (name: string) => boolean;

/** `All`, `.*` and `*` take every attribute; `<prefix>.*` those starting with the prefix; others are names. */
const messageAttributeFilter = (names: readonly string[]): AttributeFilter | undefined => {
  if (names.length === 0) return undefined;
  if (names.some((name) => name === 'All' || name === '.*' || name === '*')) return () => true;
  const exact = new Set(names.filter((name) => !name.endsWith('.*')));
  const prefixes = names.filter((name) => name.endsWith('.*')).map((name) => name.slice(0, -2));
  return (name) => exact.has(name) || prefixes.some((prefix) => name.startsWith(prefix));
};

const wireAttributes = (attributes: StoredAttributes): Record<string, MessageAttributeValue> =>
  Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { ...value }]));

const shapeMessage = (
  queue: SqsQueue,
  message: StoredMessage,
  systemNames: ReadonlySet<string>,
  attributeFilter: AttributeFilter | undefined,
): Message => {
  const all = systemNames.has('All');
  const wants = (name: MessageSystemAttributeName) => all || systemNames.has(name);
  const system: Partial<Record<MessageSystemAttributeName, string>> = {};
  if (wants('SenderId')) system.SenderId = message.senderId;
  if (wants('SentTimestamp')) system.SentTimestamp = String(message.sentTimestamp);
  if (wants('ApproximateReceiveCount')) system.ApproximateReceiveCount = String(message.receiveCount);
  if (wants('ApproximateFirstReceiveTimestamp') && message.firstReceiveTimestamp !== undefined) {
    system.ApproximateFirstReceiveTimestamp = String(message.firstReceiveTimestamp);
  }
  if (wants('SequenceNumber') && message.sequenceNumber !== undefined)
    system.SequenceNumber = message.sequenceNumber;
  if (wants('MessageDeduplicationId') && message.deduplicationId !== undefined) {
    system.MessageDeduplicationId = message.deduplicationId;
  }
  if (wants('MessageGroupId') && message.groupId !== undefined) system.MessageGroupId = message.groupId;
  const trace = message.systemAttributes?.AWSTraceHeader?.StringValue;
  if (wants('AWSTraceHeader') && trace !== undefined) system.AWSTraceHeader = trace;
  if (wants('DeadLetterQueueSourceArn') && message.deadLetterSourceArn !== undefined) {
    system.DeadLetterQueueSourceArn = message.deadLetterSourceArn;
  }
  const selected =
    attributeFilter === undefined || message.attributes === undefined
      ? undefined
      : Object.fromEntries(Object.entries(message.attributes).filter(([name]) => attributeFilter(name)));
  const md5 = md5OfAttributes(selected);
  return {
    MessageId: message.messageId,
    ReceiptHandle: encodeReceiptHandle({
      queueId: queue.id,
      messageId: message.messageId,
      receipt: message.receipt,
    }),
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(Object.keys(system).length === 0 ? {} : { Attributes: system }),
    ...(md5 === undefined || selected === undefined
      ? {}
      : { MD5OfMessageAttributes: md5, MessageAttributes: wireAttributes(selected) }),
  };
};
