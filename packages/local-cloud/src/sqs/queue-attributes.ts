import { SqsErrors } from './errors.js';
import { parseQueueArn } from './sqs-names.js';

/**
 * Queue attributes as CreateQueue and SetQueueAttributes take them: which names exist for which queue type, the
 * range and form of each value, and the values as AWS then reports them (booleans lower-cased, the redrive policy
 * as canonical JSON, defaults that AWS drops dropped). Sources: the Attributes member of
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html and
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html.
 */

/** The attributes a queue stores (everything GetQueueAttributes reports that is not computed). */
export type StoredQueueAttributes = Record<string, string>;

const RANGES: Readonly<Record<string, readonly [number, number]>> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};
const BOOLEANS = new Set(['SqsManagedSseEnabled', 'ContentBasedDeduplication', 'FifoQueue']);
const FIFO_ONLY = new Set([
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
]);
const OTHERS = new Set(['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId']);
/** What GetQueueAttributes computes: never settable. */
export const COMPUTED_ATTRIBUTES = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
] as const;

/** Every attribute name GetQueueAttributes knows. */
export const ALL_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set([
  ...COMPUTED_ATTRIBUTES,
  ...Object.keys(RANGES),
  ...BOOLEANS,
  ...FIFO_ONLY,
  ...OTHERS,
]);

/** The attributes of a new queue that its creator did not set. */
export const defaultAttributes = (fifo: boolean): StoredQueueAttributes => ({
  DelaySeconds: '0',
  MaximumMessageSize: '1048576',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  SqsManagedSseEnabled: 'true',
  ...(fifo
    ? {
        FifoQueue: 'true',
        ContentBasedDeduplication: 'false',
        DeduplicationScope: 'queue',
        FifoThroughputLimit: 'perQueue',
      }
    : {}),
});

/** What validation needs to know about other queues: a dead-letter target's type, or that it does not exist. */
export type DeadLetterLookup = (arn: string) => { readonly fifo: boolean } | undefined;

const integerText = (name: string, value: string): string => {
  const range = RANGES[name];
  if (range === undefined || !/^\d+$/.test(value)) throw SqsErrors.invalidAttributeValue(name);
  const number = Number(value);
  if (number < range[0] || number > range[1]) throw SqsErrors.invalidAttributeValue(name);
  return String(number);
};

const booleanText = (name: string, value: string): string => {
  const lower = value.toLowerCase();
  if (lower !== 'true' && lower !== 'false') throw SqsErrors.invalidAttributeValue(name);
  return lower;
};

const redrivePolicyError = (value: string, reason: string) =>
  SqsErrors.invalidValue('RedrivePolicy', value, reason);

/** Validates a RedrivePolicy and returns it as AWS reports it: `{"deadLetterTargetArn":…,"maxReceiveCount":n}`. */
const redrivePolicy = (value: string, fifo: boolean, lookup: DeadLetterLookup): string => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw redrivePolicyError(value, 'Redrive policy is not a valid JSON map.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw redrivePolicyError(value, 'Redrive policy is not a valid JSON map.');
  }
  const { deadLetterTargetArn, maxReceiveCount } = parsed as Record<string, unknown>;
  if (deadLetterTargetArn === undefined) {
    throw redrivePolicyError(
      value,
      'Redrive policy does not contain mandatory attribute: deadLetterTargetArn.',
    );
  }
  if (maxReceiveCount === undefined) {
    throw redrivePolicyError(value, 'Redrive policy does not contain mandatory attribute: maxReceiveCount.');
  }
  const count = typeof maxReceiveCount === 'number' ? maxReceiveCount : Number(String(maxReceiveCount));
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw redrivePolicyError(
      value,
      `Invalid value for maxReceiveCount: ${String(maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`,
    );
  }
  const arn = String(deadLetterTargetArn);
  if (parseQueueArn(arn) === undefined) {
    throw redrivePolicyError(value, 'Only SQS queues are valid resources for deadLetterTargetArn.');
  }
  const target = lookup(arn);
  if (target === undefined) throw redrivePolicyError(value, 'Dead letter target does not exist.');
  if (target.fifo !== fifo) {
    throw redrivePolicyError(value, 'Dead-letter queue must be same type of queue as the source..');
  }
  return JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: count });
};

const REDRIVE_PERMISSIONS = new Set(['allowAll', 'denyAll', 'byQueue']);

const redriveAllowPolicy = (value: string): string => {
  const fail = (reason: string) => SqsErrors.invalidValue('RedriveAllowPolicy', value, reason);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw fail('Redrive allow policy is not a valid JSON map.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw fail('Redrive allow policy is not a valid JSON map.');
  }
  const { redrivePermission, sourceQueueArns } = parsed as Record<string, unknown>;
  if (typeof redrivePermission !== 'string' || !REDRIVE_PERMISSIONS.has(redrivePermission)) {
    throw fail("Amazon SQS can't create the redrive allow policy, as it’s in an unsupported format.");
  }
  if (redrivePermission === 'byQueue') {
    if (!Array.isArray(sourceQueueArns) || sourceQueueArns.length === 0 || sourceQueueArns.length > 10) {
      throw fail('You must specify between 1 and 10 source queue ARNs when redrivePermission is byQueue.');
    }
  } else if (sourceQueueArns !== undefined) {
    throw fail('You can specify sourceQueueArns only when redrivePermission is set to byQueue.');
  }
  return JSON.stringify(parsed);
};

const policyText = (value: string): string => {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
  } catch {
    throw SqsErrors.invalidAttributeValue('Policy');
  }
  return value;
};

/** Options of {@link checkQueueAttributes}. */
export interface AttributeCheck {
  readonly fifo: boolean;
  /** CreateQueue (the type is being chosen) or SetQueueAttributes (the type is fixed). */
  readonly creating: boolean;
  readonly lookup: DeadLetterLookup;
}

/**
 * Validates attributes a request sets and returns them normalized; an empty value of Policy, RedrivePolicy,
 * RedriveAllowPolicy or KmsMasterKeyId stays empty, meaning "remove". Throws AWS's errors.
 */
export const checkQueueAttributes = (
  attributes: Readonly<Record<string, string>>,
  { fifo, creating, lookup }: AttributeCheck,
): StoredQueueAttributes => {
  const result: StoredQueueAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (!ALL_ATTRIBUTE_NAMES.has(name) || (COMPUTED_ATTRIBUTES as readonly string[]).includes(name)) {
      throw SqsErrors.unknownAttribute(name);
    }
    if (FIFO_ONLY.has(name) && !fifo) {
      if (name === 'DeduplicationScope' || name === 'FifoThroughputLimit') {
        throw SqsErrors.invalidAttributeName(
          `You can specify the ${name} only when FifoQueue is set to true.`,
        );
      }
      throw SqsErrors.unknownAttribute(name);
    }
    if (name in RANGES) result[name] = integerText(name, value);
    else if (BOOLEANS.has(name)) result[name] = booleanText(name, value);
    else if (name === 'DeduplicationScope') {
      if (value !== 'messageGroup' && value !== 'queue') throw SqsErrors.invalidAttributeValue(name);
      result[name] = value;
    } else if (name === 'FifoThroughputLimit') {
      if (value !== 'perQueue' && value !== 'perMessageGroupId') throw SqsErrors.invalidAttributeValue(name);
      result[name] = value;
    } else if (name === 'RedrivePolicy')
      result[name] = value === '' ? '' : redrivePolicy(value, fifo, lookup);
    else if (name === 'RedriveAllowPolicy') result[name] = value === '' ? '' : redriveAllowPolicy(value);
    else if (name === 'Policy') result[name] = value === '' ? '' : policyText(value);
    else result[name] = value;
  }
  if (result.FifoQueue === 'false' && fifo) {
    throw SqsErrors.invalidAttributeValue('FifoQueue', 'Modifying queue type is not supported.');
  }
  if (!creating) delete result.FifoQueue;
  if (
    result.KmsMasterKeyId !== undefined &&
    result.KmsMasterKeyId !== '' &&
    result.SqsManagedSseEnabled === 'true'
  ) {
    throw SqsErrors.invalidAttributeName(
      'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.',
    );
  }
  return result;
};

/** Applies checked attributes to a queue's stored ones, with AWS's couplings; returns the new set. */
export const applyQueueAttributes = (
  current: Readonly<StoredQueueAttributes>,
  changes: Readonly<StoredQueueAttributes>,
): StoredQueueAttributes => {
  const next: StoredQueueAttributes = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (value === '' && (OTHERS.has(name) || name === 'KmsMasterKeyId')) delete next[name];
    else next[name] = value;
  }
  // One kind of server-side encryption at a time: a KMS key turns SSE-SQS off; SSE-SQS drops the key.
  if (changes.KmsMasterKeyId !== undefined && changes.KmsMasterKeyId !== '')
    next.SqsManagedSseEnabled = 'false';
  if (changes.SqsManagedSseEnabled === 'true') {
    delete next.KmsMasterKeyId;
    delete next.KmsDataKeyReusePeriodSeconds;
  }
  // The data key reuse period means something only with a key; at its default without one AWS drops it.
  if (next.KmsMasterKeyId === undefined && next.KmsDataKeyReusePeriodSeconds === '300') {
    delete next.KmsDataKeyReusePeriodSeconds;
  }
  if (next.FifoThroughputLimit === 'perMessageGroupId' && next.DeduplicationScope !== 'messageGroup') {
    throw SqsErrors.invalidAttributeValue(
      'FifoThroughputLimit',
      'To set FifoThroughputLimit to perMessageGroupId, the DeduplicationScope must be messageGroup.',
    );
  }
  return next;
};
