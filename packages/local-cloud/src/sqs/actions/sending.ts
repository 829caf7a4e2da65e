import { createHash, randomUUID } from 'node:crypto';
import type { SendMessageBatchRequestEntry, SendMessageResult } from '@aws-sdk/client-sqs';
import { SqsErrors } from '../errors.js';
import { md5Hex, md5OfAttributes, type StoredAttributes } from '../md5.js';
import type { StoredMessage } from '../message.js';
import type { SqsQueue } from '../queue.js';
import {
  checkBodyCharacters,
  checkFifoToken,
  checkMessageAttributes,
  checkRange,
  checkSystemAttributes,
  messageSize,
} from '../rules.js';
import type { ActionContext } from './context.js';

/**
 * What SendMessage and each SendMessageBatch entry share: AWS's checks in AWS's order, then the message is
 * stored (or recognised as a duplicate on a FIFO queue) and the answer built.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 */

/** The members of a send, as SendMessage and a batch entry both carry them. */
export type SendInput = Omit<SendMessageBatchRequestEntry, 'Id'>;

/** How a size failure is worded: SendMessage and batch entries say it differently. */
export type SizeWording = 'single' | 'batch';

const NOT_FOR_THIS_QUEUE_TYPE = 'The request include parameter that is not valid for this queue type.';

/** Sends one message to `queue`; throws AWS's error for the first rule it breaks. */
export const sendOne = (
  queue: SqsQueue,
  input: SendInput,
  context: ActionContext,
  wording: SizeWording,
): Omit<SendMessageResult, never> => {
  const { now } = context;
  const body = input.MessageBody;
  if (body === undefined || body === '') throw SqsErrors.missingParameter('MessageBody');
  if (queue.fifo && input.DelaySeconds !== undefined && input.DelaySeconds !== 0) {
    throw SqsErrors.invalidValue('DelaySeconds', input.DelaySeconds, NOT_FOR_THIS_QUEUE_TYPE);
  }
  checkRange(input.DelaySeconds, 'DelaySeconds', 0, 900, 'DelaySeconds must be >= 0 and <= 900.');
  const attributes = checkMessageAttributes(input.MessageAttributes);
  const explicitSystem = checkSystemAttributes(input.MessageSystemAttributes);
  checkBodyCharacters(body);
  const limit = queue.maximumMessageSize;
  if (messageSize(body, attributes) > limit) {
    throw SqsErrors.invalidParameterValue(
      wording === 'single'
        ? `One or more parameters are invalid. Reason: Message must be shorter than ${limit} bytes.`
        : `One or more parameters cannot be validated. Reason: Message must be shorter than ${limit} bytes.`,
    );
  }
  const groupId = input.MessageGroupId;
  let deduplicationId = input.MessageDeduplicationId;
  if (queue.fifo) {
    if (groupId === undefined) throw SqsErrors.missingParameter('MessageGroupId');
    checkFifoToken(groupId, 'MessageGroupId');
    checkFifoToken(deduplicationId, 'MessageDeduplicationId');
    if (deduplicationId === undefined) {
      if (!queue.contentBasedDeduplication) {
        throw SqsErrors.invalidParameterValue(
          'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
        );
      }
      deduplicationId = createHash('sha256').update(body, 'utf8').digest('hex');
    }
  } else {
    // Standard queues take a MessageGroupId since fair queues; a deduplication id belongs to FIFO queues only.
    checkFifoToken(groupId, 'MessageGroupId');
    if (deduplicationId !== undefined) {
      throw SqsErrors.invalidValue('MessageDeduplicationId', deduplicationId, NOT_FOR_THIS_QUEUE_TYPE);
    }
  }
  const md5OfBody = md5Hex(body);
  const md5OfMessageAttributes = md5OfAttributes(attributes);
  const md5OfMessageSystemAttributes = md5OfAttributes(explicitSystem);
  const digests = {
    MD5OfMessageBody: md5OfBody,
    ...(md5OfMessageAttributes === undefined ? {} : { MD5OfMessageAttributes: md5OfMessageAttributes }),
    ...(md5OfMessageSystemAttributes === undefined
      ? {}
      : { MD5OfMessageSystemAttributes: md5OfMessageSystemAttributes }),
  };
  if (queue.fifo && deduplicationId !== undefined) {
    const duplicate = queue.duplicateOf(deduplicationId, groupId, now);
    if (duplicate !== undefined) {
      // Accepted, not delivered again: the answer names the message already sent.
      return { ...digests, MessageId: duplicate.messageId, SequenceNumber: duplicate.sequenceNumber };
    }
  }
  const traceHeader = explicitSystem?.AWSTraceHeader?.StringValue ?? context.request.traceHeader;
  const systemAttributes: StoredAttributes | undefined =
    traceHeader === undefined
      ? undefined
      : { AWSTraceHeader: { DataType: 'String', StringValue: traceHeader } };
  const sequenceNumber = queue.fifo ? queue.nextSequenceNumber() : undefined;
  const message: StoredMessage = {
    messageId: randomUUID(),
    body,
    md5OfBody,
    attributes,
    systemAttributes,
    md5OfSystemAttributes: md5OfMessageSystemAttributes,
    senderId: context.senderId,
    sentTimestamp: now,
    firstReceiveTimestamp: undefined,
    lastReceiveTimestamp: undefined,
    receiveCount: 0,
    groupId,
    deduplicationId: queue.fifo ? deduplicationId : undefined,
    sequenceNumber,
    deadLetterSourceArn: undefined,
    state: 'visible',
    visibleAt: now,
    receipt: 0,
    availableOrder: 0,
  };
  // A FIFO queue delays every message by its own DelaySeconds; a standard queue's is the default per message.
  queue.enqueue(message, queue.fifo ? queue.delaySeconds : (input.DelaySeconds ?? queue.delaySeconds), now);
  return {
    ...digests,
    MessageId: message.messageId,
    ...(sequenceNumber === undefined ? {} : { SequenceNumber: sequenceNumber }),
  };
};
