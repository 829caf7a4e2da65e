import { type QueryStructure, q } from '../support/query-protocol.js';

/**
 * The SQS API (2012-11-05) as the query protocol serializes it: what older AWS CLIs (e.g. Debian's awscli 2.9)
 * send. Inputs decode to the JSON protocol's members; outputs encode back to XML. Taken from the service model's
 * member names, `locationName`s and `flattened` flags.
 */

const attributeValue = q.structure({
  StringValue: q.string,
  BinaryValue: q.blob,
  StringListValues: q.named(q.list(q.string, 'StringListValue'), 'StringListValue'),
  BinaryListValues: q.named(q.list(q.blob, 'BinaryListValue'), 'BinaryListValue'),
  DataType: q.string,
});
const messageAttributes = q.named(q.map(attributeValue), 'MessageAttribute');
const messageSystemAttributes = q.named(q.map(attributeValue), 'MessageSystemAttribute');
const queueAttributes = q.named(q.map(q.string), 'Attribute');
const batchError = q.structure({ Id: q.string, SenderFault: q.boolean, Code: q.string, Message: q.string });

const sendEntry = q.structure({
  Id: q.string,
  MessageBody: q.string,
  DelaySeconds: q.integer,
  MessageAttributes: messageAttributes,
  MessageSystemAttributes: messageSystemAttributes,
  MessageDeduplicationId: q.string,
  MessageGroupId: q.string,
});

const moveTaskEntry = q.structure({
  TaskHandle: q.string,
  Status: q.string,
  SourceArn: q.string,
  DestinationArn: q.string,
  MaxNumberOfMessagesPerSecond: q.integer,
  ApproximateNumberOfMessagesMoved: q.long,
  ApproximateNumberOfMessagesToMove: q.long,
  FailureReason: q.string,
  StartedTimestamp: q.long,
});

/** One operation: its input and (when it has one) output. */
export interface QueryOperation {
  readonly input: QueryStructure;
  readonly output?: QueryStructure;
}

/** Every SQS operation, by action name. */
export const SQS_QUERY_OPERATIONS: Readonly<Record<string, QueryOperation>> = {
  AddPermission: {
    input: q.structure({
      QueueUrl: q.string,
      Label: q.string,
      AWSAccountIds: q.list(q.string, 'AWSAccountId'),
      Actions: q.list(q.string, 'ActionName'),
    }),
  },
  RemovePermission: { input: q.structure({ QueueUrl: q.string, Label: q.string }) },
  ChangeMessageVisibility: {
    input: q.structure({ QueueUrl: q.string, ReceiptHandle: q.string, VisibilityTimeout: q.integer }),
  },
  ChangeMessageVisibilityBatch: {
    input: q.structure({
      QueueUrl: q.string,
      Entries: q.list(
        q.structure({ Id: q.string, ReceiptHandle: q.string, VisibilityTimeout: q.integer }),
        'ChangeMessageVisibilityBatchRequestEntry',
      ),
    }),
    output: q.structure({
      Successful: q.list(q.structure({ Id: q.string }), 'ChangeMessageVisibilityBatchResultEntry'),
      Failed: q.list(batchError, 'BatchResultErrorEntry'),
    }),
  },
  CreateQueue: {
    input: q.structure({
      QueueName: q.string,
      Attributes: queueAttributes,
      tags: q.named(q.map(q.string, 'Key'), 'Tag'),
    }),
    output: q.structure({ QueueUrl: q.string }),
  },
  DeleteMessage: { input: q.structure({ QueueUrl: q.string, ReceiptHandle: q.string }) },
  DeleteMessageBatch: {
    input: q.structure({
      QueueUrl: q.string,
      Entries: q.list(
        q.structure({ Id: q.string, ReceiptHandle: q.string }),
        'DeleteMessageBatchRequestEntry',
      ),
    }),
    output: q.structure({
      Successful: q.list(q.structure({ Id: q.string }), 'DeleteMessageBatchResultEntry'),
      Failed: q.list(batchError, 'BatchResultErrorEntry'),
    }),
  },
  DeleteQueue: { input: q.structure({ QueueUrl: q.string }) },
  GetQueueAttributes: {
    input: q.structure({ QueueUrl: q.string, AttributeNames: q.list(q.string, 'AttributeName') }),
    output: q.structure({ Attributes: queueAttributes }),
  },
  GetQueueUrl: {
    input: q.structure({ QueueName: q.string, QueueOwnerAWSAccountId: q.string }),
    output: q.structure({ QueueUrl: q.string }),
  },
  ListDeadLetterSourceQueues: {
    input: q.structure({ QueueUrl: q.string, NextToken: q.string, MaxResults: q.integer }),
    output: q.structure({ queueUrls: q.list(q.string, 'QueueUrl'), NextToken: q.string }),
  },
  ListQueueTags: {
    input: q.structure({ QueueUrl: q.string }),
    output: q.structure({ Tags: q.named(q.map(q.string, 'Key'), 'Tag') }),
  },
  ListQueues: {
    input: q.structure({ QueueNamePrefix: q.string, NextToken: q.string, MaxResults: q.integer }),
    output: q.structure({ QueueUrls: q.list(q.string, 'QueueUrl'), NextToken: q.string }),
  },
  PurgeQueue: { input: q.structure({ QueueUrl: q.string }) },
  ReceiveMessage: {
    input: q.structure({
      QueueUrl: q.string,
      AttributeNames: q.list(q.string, 'AttributeName'),
      MessageSystemAttributeNames: q.list(q.string, 'MessageSystemAttributeName'),
      MessageAttributeNames: q.list(q.string, 'MessageAttributeName'),
      MaxNumberOfMessages: q.integer,
      VisibilityTimeout: q.integer,
      WaitTimeSeconds: q.integer,
      ReceiveRequestAttemptId: q.string,
    }),
    output: q.structure({
      Messages: q.list(
        q.structure({
          MessageId: q.string,
          ReceiptHandle: q.string,
          MD5OfBody: q.string,
          Body: q.string,
          Attributes: queueAttributes,
          MD5OfMessageAttributes: q.string,
          MessageAttributes: messageAttributes,
        }),
        'Message',
      ),
    }),
  },
  SendMessage: {
    input: q.structure({
      QueueUrl: q.string,
      MessageBody: q.string,
      DelaySeconds: q.integer,
      MessageAttributes: messageAttributes,
      MessageSystemAttributes: messageSystemAttributes,
      MessageDeduplicationId: q.string,
      MessageGroupId: q.string,
    }),
    output: q.structure({
      MD5OfMessageBody: q.string,
      MD5OfMessageAttributes: q.string,
      MD5OfMessageSystemAttributes: q.string,
      MessageId: q.string,
      SequenceNumber: q.string,
    }),
  },
  SendMessageBatch: {
    input: q.structure({ QueueUrl: q.string, Entries: q.list(sendEntry, 'SendMessageBatchRequestEntry') }),
    output: q.structure({
      Successful: q.list(
        q.structure({
          Id: q.string,
          MessageId: q.string,
          MD5OfMessageBody: q.string,
          MD5OfMessageAttributes: q.string,
          MD5OfMessageSystemAttributes: q.string,
          SequenceNumber: q.string,
        }),
        'SendMessageBatchResultEntry',
      ),
      Failed: q.list(batchError, 'BatchResultErrorEntry'),
    }),
  },
  SetQueueAttributes: { input: q.structure({ QueueUrl: q.string, Attributes: queueAttributes }) },
  TagQueue: { input: q.structure({ QueueUrl: q.string, Tags: q.named(q.map(q.string, 'Key'), 'Tag') }) },
  UntagQueue: { input: q.structure({ QueueUrl: q.string, TagKeys: q.list(q.string, 'TagKey') }) },
  StartMessageMoveTask: {
    input: q.structure({
      SourceArn: q.string,
      DestinationArn: q.string,
      MaxNumberOfMessagesPerSecond: q.integer,
    }),
    output: q.structure({ TaskHandle: q.string }),
  },
  CancelMessageMoveTask: {
    input: q.structure({ TaskHandle: q.string }),
    output: q.structure({ ApproximateNumberOfMessagesMoved: q.long }),
  },
  ListMessageMoveTasks: {
    input: q.structure({ SourceArn: q.string, MaxResults: q.integer }),
    output: q.structure({ Results: q.list(moveTaskEntry, 'ListMessageMoveTasksResultEntry') }),
  },
};

/** The XML namespace of SQS query-protocol answers. */
export const SQS_XML_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';
