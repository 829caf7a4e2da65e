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
import { type Decoder, decoderKit } from '../support/input/decoders.js';
import { SqsErrors } from './errors.js';

/**
 * The shape half of the SQS input validator: every action's input decoded from the JSON protocol's body (or the
 * query protocol's parameters, already turned into the same members) into the AWS SDK's own input type, so the
 * actions are typed by what SDKs send, with the one validator's typed decoders (`support/input/decoders.ts`) in
 * SQS's words: a structure or list where a scalar belongs is a `SerializationException`. The value rules AWS applies
 * next (ranges, formats, characters) are in `rules.ts`.
 */

const { text, names, integer, blob, list, map, structure } = decoderKit({
  serialization: SqsErrors.serialization,
  invalidValue: SqsErrors.invalidValue,
});

/** A map of scalars (queue attributes, tags): a list as a value is Jackson's "Unrecognized collection type". */
const textMap: Decoder<Record<string, string>> = (value, path) =>
  map<string>((entry, entryPath) => {
    if (Array.isArray(entry))
      throw SqsErrors.serialization('Unrecognized collection type class java.lang.String');
    return text(entry, entryPath);
  })(value, path);

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
