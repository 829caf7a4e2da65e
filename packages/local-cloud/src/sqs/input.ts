import type {
  AddPermissionRequest,
  CancelMessageMoveTaskRequest,
  ChangeMessageVisibilityBatchRequest,
  ChangeMessageVisibilityBatchRequestEntry,
  ChangeMessageVisibilityRequest,
  CreateQueueRequest,
  DeleteMessageBatchRequest,
  DeleteMessageBatchRequestEntry,
  DeleteMessageRequest,
  DeleteQueueRequest,
  GetQueueAttributesRequest,
  GetQueueUrlRequest,
  ListDeadLetterSourceQueuesRequest,
  ListMessageMoveTasksRequest,
  ListQueuesRequest,
  ListQueueTagsRequest,
  MessageAttributeValue,
  MessageSystemAttributeName,
  MessageSystemAttributeValue,
  PurgeQueueRequest,
  QueueAttributeName,
  ReceiveMessageRequest,
  RemovePermissionRequest,
  SendMessageBatchRequest,
  SendMessageBatchRequestEntry,
  SendMessageRequest,
  SetQueueAttributesRequest,
  StartMessageMoveTaskRequest,
  TagQueueRequest,
  UntagQueueRequest,
} from '@aws-sdk/client-sqs';
import { SqsErrors } from './errors.js';

/**
 * The shape half of the SQS input validator: every action's input decoded from the JSON protocol's body (or the
 * query protocol's parameters, already turned into the same members) into the AWS SDK's own input type, so the
 * actions are typed by what SDKs send. It does what AWS's request deserializer does before any SQS rule:
 * scalars are read leniently (a number where a string is expected is its text, as AWS reads it), a structure or
 * list where a scalar belongs is a `SerializationException`. The value rules AWS applies next (ranges, formats,
 * characters) are in `rules.ts`; unknown members are ignored, as AWS ignores them.
 */

type Decoder<T> = (value: unknown, path: string) => T | undefined;

const structureWhereScalar = (path: string) =>
  SqsErrors.serialization(`Start of structure or map found where not expected (at ${path}).`);
const listWhereScalar = (path: string) =>
  SqsErrors.serialization(`Start of list found where not expected (at ${path}).`);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

const scalarText = (value: unknown, path: string): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) throw listWhereScalar(path);
  throw structureWhereScalar(path);
};

const text: Decoder<string> = scalarText;

/** Text typed as one of the SDK's name enums; unknown names pass on, for the rules to answer as AWS does. */
const names = <T extends string>(): Decoder<T[]> => list(text) as Decoder<T[]>;

/** Integers: JSON numbers, or text of one (the query protocol's form); other text is left to the rules. */
const integer: Decoder<number> = (value, path) => {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw SqsErrors.serialization(`${path} must be an integer.`);
    return value;
  }
  const raw = scalarText(value, path);
  if (raw === undefined) return undefined;
  if (/^-?\d+$/.test(raw.trim())) return Number(raw.trim());
  throw SqsErrors.invalidValue(path.split('.').at(-1) ?? path, raw, 'Must be an integer.');
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Blobs travel as base64 text in both protocols. */
const blob: Decoder<Uint8Array> = (value, path) => {
  if (value instanceof Uint8Array) return value;
  const raw = scalarText(value, path);
  if (raw === undefined) return undefined;
  const compact = raw.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw SqsErrors.serialization(`${path} is not valid base64.`);
  }
  return Buffer.from(compact, 'base64');
};

const list =
  <T>(item: Decoder<T>): Decoder<T[]> =>
  (value, path) => {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      if (isPlainObject(value)) throw structureWhereScalar(path);
      throw SqsErrors.serialization(`${path} must be a list.`);
    }
    const items: T[] = [];
    for (const [index, entry] of value.entries()) {
      const decoded = item(entry, `${path}.${index + 1}`);
      if (decoded !== undefined) items.push(decoded);
    }
    return items;
  };

const map =
  <T>(entry: Decoder<T>): Decoder<Record<string, T>> =>
  (value, path) => {
    if (value === undefined || value === null) return undefined;
    if (!isPlainObject(value)) {
      if (Array.isArray(value)) throw listWhereScalar(path);
      throw SqsErrors.serialization(`${path} must be a map.`);
    }
    const result: Record<string, T> = {};
    for (const [key, raw] of Object.entries(value)) {
      const decoded = entry(raw, `${path}.${key}`);
      if (decoded !== undefined) result[key] = decoded;
    }
    return result;
  };

/** A map of scalars (queue attributes, tags): a list as a value is Jackson's "Unrecognized collection type". */
const textMap: Decoder<Record<string, string>> = (value, path) =>
  map<string>((entry, entryPath) => {
    if (Array.isArray(entry))
      throw SqsErrors.serialization('Unrecognized collection type class java.lang.String');
    return text(entry, entryPath);
  })(value, path);

type Members<T> = { readonly [K in keyof Required<T>]: Decoder<NonNullable<T[K]>> };

const structure =
  <T>(members: Members<T>): Decoder<T> =>
  (value, path) => {
    if (value === undefined || value === null) return undefined;
    if (!isPlainObject(value)) {
      if (Array.isArray(value)) throw listWhereScalar(path);
      throw SqsErrors.serialization(`${path} must be a structure.`);
    }
    const result: Record<string, unknown> = {};
    for (const [name, decode] of Object.entries(members) as [string, Decoder<unknown>][]) {
      const decoded = decode(value[name], path === '' ? name : `${path}.${name}`);
      if (decoded !== undefined) result[name] = decoded;
    }
    return result as T;
  };

const attributeValue = structure<MessageAttributeValue>({
  StringValue: text,
  BinaryValue: blob,
  StringListValues: list(text),
  BinaryListValues: list(blob),
  DataType: text,
});
const systemAttributeValue = structure<MessageSystemAttributeValue>({
  StringValue: text,
  BinaryValue: blob,
  StringListValues: list(text),
  BinaryListValues: list(blob),
  DataType: text,
});

const sendEntry = structure<SendMessageBatchRequestEntry>({
  Id: text,
  MessageBody: text,
  DelaySeconds: integer,
  MessageAttributes: map(attributeValue),
  MessageSystemAttributes: map(systemAttributeValue),
  MessageDeduplicationId: text,
  MessageGroupId: text,
});

/** Every SQS action and the SDK input type it decodes to. */
export interface SqsInputs {
  AddPermission: AddPermissionRequest;
  CancelMessageMoveTask: CancelMessageMoveTaskRequest;
  ChangeMessageVisibility: ChangeMessageVisibilityRequest;
  ChangeMessageVisibilityBatch: ChangeMessageVisibilityBatchRequest;
  CreateQueue: CreateQueueRequest;
  DeleteMessage: DeleteMessageRequest;
  DeleteMessageBatch: DeleteMessageBatchRequest;
  DeleteQueue: DeleteQueueRequest;
  GetQueueAttributes: GetQueueAttributesRequest;
  GetQueueUrl: GetQueueUrlRequest;
  ListDeadLetterSourceQueues: ListDeadLetterSourceQueuesRequest;
  ListMessageMoveTasks: ListMessageMoveTasksRequest;
  ListQueues: ListQueuesRequest;
  ListQueueTags: ListQueueTagsRequest;
  PurgeQueue: PurgeQueueRequest;
  ReceiveMessage: ReceiveMessageRequest;
  RemovePermission: RemovePermissionRequest;
  SendMessage: SendMessageRequest;
  SendMessageBatch: SendMessageBatchRequest;
  SetQueueAttributes: SetQueueAttributesRequest;
  StartMessageMoveTask: StartMessageMoveTaskRequest;
  TagQueue: TagQueueRequest;
  UntagQueue: UntagQueueRequest;
}

export type SqsAction = keyof SqsInputs;

const decoders: { readonly [A in SqsAction]: Decoder<SqsInputs[A]> } = {
  AddPermission: structure<AddPermissionRequest>({
    QueueUrl: text,
    Label: text,
    AWSAccountIds: list(text),
    Actions: list(text),
  }),
  CancelMessageMoveTask: structure<CancelMessageMoveTaskRequest>({ TaskHandle: text }),
  ChangeMessageVisibility: structure<ChangeMessageVisibilityRequest>({
    QueueUrl: text,
    ReceiptHandle: text,
    VisibilityTimeout: integer,
  }),
  ChangeMessageVisibilityBatch: structure<ChangeMessageVisibilityBatchRequest>({
    QueueUrl: text,
    Entries: list(
      structure<ChangeMessageVisibilityBatchRequestEntry>({
        Id: text,
        ReceiptHandle: text,
        VisibilityTimeout: integer,
      }),
    ),
  }),
  CreateQueue: structure<CreateQueueRequest>({ QueueName: text, Attributes: textMap, tags: textMap }),
  DeleteMessage: structure<DeleteMessageRequest>({ QueueUrl: text, ReceiptHandle: text }),
  DeleteMessageBatch: structure<DeleteMessageBatchRequest>({
    QueueUrl: text,
    Entries: list(structure<DeleteMessageBatchRequestEntry>({ Id: text, ReceiptHandle: text })),
  }),
  DeleteQueue: structure<DeleteQueueRequest>({ QueueUrl: text }),
  GetQueueAttributes: structure<GetQueueAttributesRequest>({
    QueueUrl: text,
    AttributeNames: names<QueueAttributeName>(),
  }),
  GetQueueUrl: structure<GetQueueUrlRequest>({ QueueName: text, QueueOwnerAWSAccountId: text }),
  ListDeadLetterSourceQueues: structure<ListDeadLetterSourceQueuesRequest>({
    QueueUrl: text,
    NextToken: text,
    MaxResults: integer,
  }),
  ListMessageMoveTasks: structure<ListMessageMoveTasksRequest>({ SourceArn: text, MaxResults: integer }),
  ListQueues: structure<ListQueuesRequest>({ QueueNamePrefix: text, NextToken: text, MaxResults: integer }),
  ListQueueTags: structure<ListQueueTagsRequest>({ QueueUrl: text }),
  PurgeQueue: structure<PurgeQueueRequest>({ QueueUrl: text }),
  ReceiveMessage: structure<ReceiveMessageRequest>({
    QueueUrl: text,
    AttributeNames: names<QueueAttributeName>(),
    MessageSystemAttributeNames: names<MessageSystemAttributeName>(),
    MessageAttributeNames: list(text),
    MaxNumberOfMessages: integer,
    VisibilityTimeout: integer,
    WaitTimeSeconds: integer,
    ReceiveRequestAttemptId: text,
  }),
  RemovePermission: structure<RemovePermissionRequest>({ QueueUrl: text, Label: text }),
  SendMessage: structure<SendMessageRequest>({
    QueueUrl: text,
    MessageBody: text,
    DelaySeconds: integer,
    MessageAttributes: map(attributeValue),
    MessageSystemAttributes: map(systemAttributeValue),
    MessageDeduplicationId: text,
    MessageGroupId: text,
  }),
  SendMessageBatch: structure<SendMessageBatchRequest>({ QueueUrl: text, Entries: list(sendEntry) }),
  SetQueueAttributes: structure<SetQueueAttributesRequest>({ QueueUrl: text, Attributes: textMap }),
  StartMessageMoveTask: structure<StartMessageMoveTaskRequest>({
    SourceArn: text,
    DestinationArn: text,
    MaxNumberOfMessagesPerSecond: integer,
  }),
  TagQueue: structure<TagQueueRequest>({ QueueUrl: text, Tags: textMap }),
  UntagQueue: structure<UntagQueueRequest>({ QueueUrl: text, TagKeys: list(text) }),
};

/** Whether an action name is an SQS action (own keys only: `constructor` is not one). */
export const isSqsAction = (action: string): action is SqsAction => Object.hasOwn(decoders, action);

/** Decodes the input of one action; throws the SerializationException AWS answers for ill-typed members. */
export const decodeInput = <A extends SqsAction>(action: A, body: unknown): SqsInputs[A] =>
  (decoders[action] as Decoder<SqsInputs[A]>)(body ?? {}, '') ?? ({} as SqsInputs[A]);
