import type { QueueAttributeName } from '@aws-sdk/client-sqs';
import { SqsErrors } from '../errors.js';
import type { SqsQueue } from '../queue.js';
import { ALL_ATTRIBUTE_NAMES } from '../queue-attributes.js';
import type { ActionHandler } from './context.js';

const FIFO_ONLY = new Set([
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
]);

/** Every attribute a queue reports now: stored ones, plus the computed ARN, counts and timestamps. */
export const reportedAttributes = (queue: SqsQueue, now: number): Record<string, string> => {
  const counts = queue.approximateCounts(now);
  const stored = { ...queue.attributes };
  if (stored.KmsMasterKeyId !== undefined) stored.KmsDataKeyReusePeriodSeconds ??= '300';
  return {
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.inflight),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    CreatedTimestamp: String(queue.createdTimestamp),
    LastModifiedTimestamp: String(queue.lastModifiedTimestamp),
    ...stored,
  };
};

/**
 * GetQueueAttributes: the names asked (or `All`); an unknown name is InvalidAttributeName, attributes a queue
 * does not have (FIFO ones of a standard queue, an unset policy) are left out, and without any the member is.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
 */
export const getQueueAttributes: ActionHandler<'GetQueueAttributes'> = (input, { store, request, now }) => {
  const queue = store.resolve(input.QueueUrl, request);
  const names: readonly string[] = input.AttributeNames ?? [];
  for (const name of names) {
    if (name !== 'All' && !ALL_ATTRIBUTE_NAMES.has(name)) throw SqsErrors.unknownAttribute(name);
  }
  if (names.length === 0) return {};
  const all = reportedAttributes(queue, now);
  const wanted = names.includes('All') ? Object.keys(all) : names;
  const attributes: Partial<Record<QueueAttributeName, string>> = {};
  for (const name of wanted) {
    const value = all[name];
    if (value !== undefined && (queue.fifo || !FIFO_ONLY.has(name))) {
      attributes[name as QueueAttributeName] = value;
    }
  }
  return Object.keys(attributes).length === 0 ? {} : { Attributes: attributes };
};
