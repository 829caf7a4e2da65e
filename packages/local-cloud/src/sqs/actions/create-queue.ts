import { SqsErrors } from '../errors.js';
import { applyQueueAttributes, checkQueueAttributes, defaultAttributes } from '../queue-attributes.js';
import { isValidQueueName } from '../sqs-names.js';
import type { ActionHandler } from './context.js';
import { deadLetterLookup } from './shared.js';

/**
 * CreateQueue: a new queue, or the URL of the existing one when every attribute given has its current value
 * (otherwise QueueNameExists, `QueueAlreadyExists` on the wire). A name deleted less than 60 s ago is refused.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
 */
export const createQueue: ActionHandler<'CreateQueue'> = (input, context) => {
  const { store, request, now } = context;
  const name = input.QueueName;
  if (name === undefined) {
    throw SqsErrors.invalidParameterValue(
      'Value for parameter QueueName is invalid. Reason: Must specify a queue name.',
    );
  }
  if (name === '') throw SqsErrors.invalidParameterValue('Queue name cannot be empty');
  const requested = input.Attributes ?? {};
  const fifoFlag = requested.FifoQueue?.toLowerCase();
  // Only a FIFO queue has the attribute, and only as true: false names an attribute standard queues lack.
  if (fifoFlag === 'false') throw SqsErrors.unknownAttribute('FifoQueue');
  if (fifoFlag !== undefined && fifoFlag !== 'true') throw SqsErrors.invalidAttributeValue('FifoQueue');
  const fifo = fifoFlag === 'true';
  if (fifo && !name.endsWith('.fifo')) {
    throw SqsErrors.invalidParameterValue(
      'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix. 1 to 80 in length.',
    );
  }
  if (!isValidQueueName(name, fifo)) {
    throw SqsErrors.invalidParameterValue(
      'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    );
  }
  const checked = checkQueueAttributes(requested, { fifo, creating: true, lookup: deadLetterLookup(store) });
  const arn = store.arnOf(request.region, name);
  const existing = store.byArn(arn);
  if (existing !== undefined) {
    for (const [attribute, value] of Object.entries(checked)) {
      const current =
        existing.attributes[attribute] ?? (attribute === 'KmsDataKeyReusePeriodSeconds' ? '300' : '');
      if (value !== current) throw SqsErrors.queueNameExists(attribute);
    }
    return { QueueUrl: store.urlOf(existing, request.host) };
  }
  if (store.deletedRecently(arn, now)) throw SqsErrors.queueDeletedRecently();
  const attributes = applyQueueAttributes(defaultAttributes(fifo), checked);
  const queue = store.create(
    { name, region: request.region, accountId: store.accountId, arn, fifo },
    attributes,
    now,
  );
  for (const [key, value] of Object.entries(input.tags ?? {})) queue.tags.set(key, value);
  return { QueueUrl: store.urlOf(queue, request.host) };
};
