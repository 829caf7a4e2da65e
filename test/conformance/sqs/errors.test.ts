import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type ConformanceCase, conformanceCases } from '../support/cases';
import { type ConformanceTarget, startConformanceTarget } from '../support/target';
import { API, counts, createQueue, eventually, expectSdkError, GUIDE, jsonCall, queryCall } from './support';

/**
 * Errors: the code each protocol carries (the JSON protocol's `__type` and `x-amzn-query-error` header, the query
 * protocol's `<Code>`), bare for most errors and `AWS.SimpleQueueService.`-prefixed for the few legacy ones, and
 * the error AWS picks for each kind of bad receipt handle, existing queue and repeated purge.
 */

let target: ConformanceTarget;
beforeAll(async () => {
  target = await startConformanceTarget(process.env, { dynamoDb: false });
});
afterAll(async () => {
  await target?.stop();
});

const JSON_ERRORS = `${GUIDE}/sqs-json-api-responses.html`;
const COMMON_ERRORS = `${API}/CommonErrors.html`;

const cases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'JSON protocol: a missing queue is __type QueueDoesNotExist with x-amzn-query-error AWS.SimpleQueueService.NonExistentQueue;Sender',
    source: JSON_ERRORS,
    run: async (t) => {
      const answer = await jsonCall(t, 'GetQueueUrl', { QueueName: t.uniqueName('missing') });
      expect(answer.status).toBe(400);
      expect(answer.headers.get('x-amzn-query-error')).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
      expect(answer.body).toMatchObject({
        __type: 'com.amazonaws.sqs#QueueDoesNotExist',
        message: 'The specified queue does not exist.',
      });
    },
  },
  {
    name: 'SDK: a missing queue is QueueDoesNotExist, with the query code AWS.SimpleQueueService.NonExistentQueue',
    source: `${API}/API_GetQueueAttributes.html#API_GetQueueAttributes_Errors`,
    run: async (t) => {
      const queue = await createQueue(t, 'gone');
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'x' }));
      const missing = queue.url.replace(queue.name, t.uniqueName('never'));
      await expectSdkError(
        t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: missing, AttributeNames: ['All'] })),
        {
          name: 'QueueDoesNotExist',
          code: 'AWS.SimpleQueueService.NonExistentQueue',
          status: 400,
        },
      );
    },
  },
  {
    name: 'query protocol: a missing queue is <Code>AWS.SimpleQueueService.NonExistentQueue</Code>, Sender, 400',
    source: `${API}/API_GetQueueUrl.html#API_GetQueueUrl_Errors`,
    run: async (t) => {
      const answer = await queryCall(t, { Action: 'GetQueueUrl', QueueName: t.uniqueName('missing') });
      expect(answer.status).toBe(400);
      expect(answer.code).toBe('AWS.SimpleQueueService.NonExistentQueue');
      expect(answer.type).toBe('Sender');
      expect(answer.message).toMatch(/^The specified queue does not exist/);
    },
  },
  {
    name: 'JSON protocol: an invalid parameter carries the bare code InvalidParameterValue in x-amzn-query-error',
    source: COMMON_ERRORS,
    run: async (t) => {
      const queue = await createQueue(t, 'bare-code');
      const answer = await jsonCall(t, 'ReceiveMessage', { QueueUrl: queue.url, MaxNumberOfMessages: 11 });
      expect(answer.status).toBe(400);
      expect(answer.headers.get('x-amzn-query-error')).toBe('InvalidParameterValue;Sender');
      expect(answer.body.message).toBe(
        'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
      );
    },
  },
  {
    name: 'SDK: MaxNumberOfMessages 11 is InvalidParameterValue with AWS’s message',
    source: `${API}/API_ReceiveMessage.html#API_ReceiveMessage_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'max-messages');
      await expectSdkError(
        t.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 11 })),
        {
          name: 'InvalidParameterValue',
          code: 'InvalidParameterValue',
          status: 400,
          message:
            'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
        },
      );
    },
  },
  {
    name: 'query protocol: an invalid parameter is <Code>InvalidParameterValue</Code>, without prefix',
    source: COMMON_ERRORS,
    run: async (t) => {
      const queue = await createQueue(t, 'query-bare');
      const answer = await queryCall(t, {
        Action: 'ReceiveMessage',
        QueueUrl: queue.url,
        WaitTimeSeconds: '21',
      });
      expect(answer.status).toBe(400);
      expect(answer.code).toBe('InvalidParameterValue');
      expect(answer.message).toBe(
        'Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.',
      );
    },
  },
  {
    name: 'WaitTimeSeconds -1 and 21 are InvalidParameterValue',
    source: `${API}/API_ReceiveMessage.html#API_ReceiveMessage_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'wait-bounds');
      for (const wait of [-1, 21]) {
        await expectSdkError(
          t.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: wait })),
          {
            name: 'InvalidParameterValue',
            message: `Value ${wait} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`,
          },
        );
      }
    },
  },
  {
    name: 'an empty message body is MissingParameter in both protocols',
    source: `${API}/API_SendMessage.html#API_SendMessage_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'empty-body');
      await expectSdkError(t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: '' })), {
        name: 'MissingParameter',
        code: 'MissingParameter',
        message: 'The request must contain the parameter MessageBody.',
      });
      const json = await jsonCall(t, 'SendMessage', { QueueUrl: queue.url, MessageBody: '' });
      expect(json.headers.get('x-amzn-query-error')).toBe('MissingParameter;Sender');
      const query = await queryCall(t, { Action: 'SendMessage', QueueUrl: queue.url });
      expect(query.code).toBe('MissingParameter');
      expect(query.message).toBe('The request must contain the parameter MessageBody.');
    },
  },
  {
    name: 'CreateQueue of an existing queue with another attribute value is QueueNameExists, QueueAlreadyExists on the wire',
    source: `${API}/API_CreateQueue.html#API_CreateQueue_Errors`,
    run: async (t) => {
      const queue = await createQueue(t, 'exists', { attributes: { DelaySeconds: '1' } });
      const create = () =>
        t.sqs.send(new CreateQueueCommand({ QueueName: queue.name, Attributes: { DelaySeconds: '2' } }));
      await expectSdkError(create(), {
        name: 'QueueNameExists',
        code: 'QueueAlreadyExists',
        message: 'A queue already exists with the same name and a different value for attribute DelaySeconds',
      });
      const json = await jsonCall(t, 'CreateQueue', {
        QueueName: queue.name,
        Attributes: { DelaySeconds: '2' },
      });
      expect(json.headers.get('x-amzn-query-error')).toBe('QueueAlreadyExists;Sender');
      expect(json.body.__type).toBe('com.amazonaws.sqs#QueueNameExists');
      const query = await queryCall(t, {
        Action: 'CreateQueue',
        QueueName: queue.name,
        'Attribute.1.Name': 'DelaySeconds',
        'Attribute.1.Value': '2',
      });
      expect(query.code).toBe('QueueAlreadyExists');
    },
  },
  {
    name: 'CreateQueue compares with the current attributes: after SetQueueAttributes the new value is the same queue',
    source: `${API}/API_CreateQueue.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'changed', {
        attributes: { DelaySeconds: '1', ReceiveMessageWaitTimeSeconds: '1' },
      });
      const create = (attributes: Record<string, string>) =>
        t.sqs.send(new CreateQueueCommand({ QueueName: queue.name, Attributes: attributes }));
      expect((await create({})).QueueUrl).toBe(queue.url);
      expect((await create({ DelaySeconds: '1' })).QueueUrl).toBe(queue.url);
      await t.sqs.send(
        new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { DelaySeconds: '2' } }),
      );
      expect((await create({ DelaySeconds: '2', ReceiveMessageWaitTimeSeconds: '1' })).QueueUrl).toBe(
        queue.url,
      );
      await expectSdkError(create({ DelaySeconds: '1' }), { name: 'QueueNameExists' });
    },
  },
  {
    name: 'DeleteMessage with a garbage receipt handle fails with ReceiptHandleIsInvalid',
    source: `${API}/API_DeleteMessage.html#API_DeleteMessage_Errors`,
    run: async (t) => {
      const queue = await createQueue(t, 'garbage-handle');
      await expectSdkError(
        t.sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: 'garbage' })),
        {
          name: 'ReceiptHandleIsInvalid',
          code: 'ReceiptHandleIsInvalid',
          message: 'The input receipt handle "garbage" is not a valid receipt handle.',
        },
      );
      const query = await queryCall(t, {
        Action: 'DeleteMessage',
        QueueUrl: queue.url,
        ReceiptHandle: 'garbage',
      });
      expect(query.code).toBe('ReceiptHandleIsInvalid');
    },
  },
  {
    name: 'ChangeMessageVisibility with an invalid receipt handle fails with ReceiptHandleIsInvalid',
    source: `${API}/API_ChangeMessageVisibility.html#API_ChangeMessageVisibility_Errors`,
    run: async (t) => {
      const queue = await createQueue(t, 'invalid-handle');
      await expectSdkError(
        t.sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queue.url,
            ReceiptHandle: 'INVALID',
            VisibilityTimeout: 60,
          }),
        ),
        { name: 'ReceiptHandleIsInvalid' },
      );
    },
  },
  {
    name: 'a deleted message’s receipt handle deletes again without error, but cannot change its visibility',
    source: `${API}/API_DeleteMessage.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'deleted-handle');
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'foo' }));
      const { Messages = [] } = await t.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 5 }),
      );
      const handle = Messages[0]?.ReceiptHandle ?? '';
      await t.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queue.url,
          ReceiptHandle: handle,
          VisibilityTimeout: 42,
        }),
      );
      for (let i = 0; i < 3; i++) {
        await t.sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: handle }));
      }
      await expectSdkError(
        t.sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queue.url,
            ReceiptHandle: handle,
            VisibilityTimeout: 42,
          }),
        ),
        {
          name: 'InvalidParameterValue',
          message: `Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
        },
      );
    },
  },
  {
    name: 'standard queue: the receipt handle of an expired receive still deletes the message',
    source: `${API}/API_DeleteMessage.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'expired-standard', { attributes: { VisibilityTimeout: '1' } });
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'foobar' }));
      const { Messages = [] } = await t.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 5 }),
      );
      await eventually(async () => expect((await counts(t, queue.url)).visible).toBe(1));
      await t.sqs.send(
        new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: Messages[0]?.ReceiptHandle }),
      );
      await eventually(async () =>
        expect(await counts(t, queue.url)).toMatchObject({ visible: 0, notVisible: 0 }),
      );
      const after = await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url }));
      expect(after.Messages).toBeUndefined();
    },
  },
  {
    name: 'FIFO queue: the receipt handle of an expired receive is InvalidParameterValue “The receipt handle has expired.”',
    source: `${API}/API_DeleteMessage.html#API_DeleteMessage_Errors`,
    run: async (t) => {
      const queue = await createQueue(t, 'expired-fifo', {
        fifo: true,
        attributes: { VisibilityTimeout: '1', ContentBasedDeduplication: 'true' },
      });
      await t.sqs.send(
        new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'foobar', MessageGroupId: '1' }),
      );
      const { Messages = [] } = await t.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 5 }),
      );
      const handle = Messages[0]?.ReceiptHandle ?? '';
      await eventually(async () => expect((await counts(t, queue.url)).visible).toBe(1));
      await expectSdkError(
        t.sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: handle })),
        {
          name: 'InvalidParameterValue',
          message: `Value ${handle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
        },
      );
    },
  },
  {
    name: 'a second PurgeQueue within 60 s is PurgeQueueInProgress, 403, AWS.SimpleQueueService.PurgeQueueInProgress',
    source: `${API}/API_PurgeQueue.html#API_PurgeQueue_Errors`,
    run: async (t) => {
      const queue = await createQueue(t, 'purge-twice');
      await t.sqs.send(new PurgeQueueCommand({ QueueUrl: queue.url }));
      await expectSdkError(t.sqs.send(new PurgeQueueCommand({ QueueUrl: queue.url })), {
        name: 'PurgeQueueInProgress',
        code: 'AWS.SimpleQueueService.PurgeQueueInProgress',
        status: 403,
        message: `Only one PurgeQueue operation on ${queue.name} is allowed every 60 seconds.`,
      });
      const query = await queryCall(t, { Action: 'PurgeQueue', QueueUrl: queue.url });
      expect(query.status).toBe(403);
      expect(query.code).toBe('AWS.SimpleQueueService.PurgeQueueInProgress');
    },
  },
  {
    name: 'a batch of 11 entries is TooManyEntriesInBatchRequest, with the legacy prefix on the wire',
    source: `${API}/API_SendMessageBatch.html#API_SendMessageBatch_Errors`,
    run: async (t) => {
      const queue = await createQueue(t, 'too-many');
      const entries = Array.from({ length: 11 }, (_, i) => ({ Id: `m-${i}`, MessageBody: `body-${i}` }));
      await expectSdkError(
        t.sqs.send(new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: entries })),
        {
          name: 'TooManyEntriesInBatchRequest',
          code: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
          message: 'Maximum number of entries per request are 10. You have sent 11.',
        },
      );
      const json = await jsonCall(t, 'SendMessageBatch', { QueueUrl: queue.url, Entries: entries });
      expect(json.headers.get('x-amzn-query-error')).toBe(
        'AWS.SimpleQueueService.TooManyEntriesInBatchRequest;Sender',
      );
      const handles = entries.map(({ Id }) => ({ Id, ReceiptHandle: 'h' }));
      await expectSdkError(
        t.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: handles })),
        {
          name: 'TooManyEntriesInBatchRequest',
        },
      );
      await expectSdkError(
        t.sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queue.url,
            Entries: handles.map((entry) => ({ ...entry, VisibilityTimeout: 123 })),
          }),
        ),
        { name: 'TooManyEntriesInBatchRequest' },
      );
    },
  },
  {
    name: 'an empty batch is EmptyBatchRequest',
    source: `${API}/API_SendMessageBatch.html#API_SendMessageBatch_Errors`,
    run: async (t) => {
      const queue = await createQueue(t, 'empty-batch');
      await expectSdkError(t.sqs.send(new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: [] })), {
        name: 'EmptyBatchRequest',
        code: 'AWS.SimpleQueueService.EmptyBatchRequest',
      });
      await expectSdkError(t.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: [] })), {
        name: 'EmptyBatchRequest',
      });
    },
  },
  {
    name: 'batch entry ids used twice are BatchEntryIdsNotDistinct',
    source: `${API}/API_SendMessageBatch.html#API_SendMessageBatch_Errors`,
    run: async (t) => {
      const queue = await createQueue(t, 'not-distinct');
      const entries = [
        { Id: 'same', MessageBody: 'a' },
        { Id: 'same', MessageBody: 'b' },
      ];
      await expectSdkError(
        t.sqs.send(new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: entries })),
        {
          name: 'BatchEntryIdsNotDistinct',
          code: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
        },
      );
    },
  },
  {
    name: 'batch entry ids outside [A-Za-z0-9_-]{1,80} are InvalidBatchEntryId',
    source: `${API}/API_SendMessageBatchRequestEntry.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'bad-ids');
      for (const id of ['message:1', '', 'x'.repeat(81)]) {
        await expectSdkError(
          t.sqs.send(
            new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: [{ Id: id, MessageBody: 'a' }] }),
          ),
          {
            name: 'InvalidBatchEntryId',
            code: 'AWS.SimpleQueueService.InvalidBatchEntryId',
            message:
              'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
          },
        );
        await expectSdkError(
          t.sqs.send(
            new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: [{ Id: id, ReceiptHandle: 'h' }] }),
          ),
          { name: 'InvalidBatchEntryId' },
        );
      }
    },
  },
  {
    name: 'a batch longer than 1 MiB in total is BatchRequestTooLong',
    source: `${API}/API_SendMessageBatch.html#API_SendMessageBatch_Errors`,
    run: async (t) => {
      const queue = await createQueue(t, 'too-long');
      const entries = [
        {
          Id: '1',
          MessageBody: 'a'.repeat(1_048_576 - 8),
          MessageAttributes: { k: { DataType: 'String', StringValue: 'x' } },
        },
        { Id: '2', MessageBody: 'a' },
      ];
      await expectSdkError(
        t.sqs.send(new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: entries })),
        {
          name: 'BatchRequestTooLong',
          code: 'AWS.SimpleQueueService.BatchRequestTooLong',
          message: 'Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.',
        },
      );
    },
  },
  {
    name: 'GetQueueAttributes of an unknown attribute name is InvalidAttributeName “Unknown Attribute …”',
    source: `${API}/API_GetQueueAttributes.html#API_GetQueueAttributes_Errors`,
    run: async (t) => {
      const queue = await createQueue(t, 'unknown-attribute');
      const query = await queryCall(
        t,
        { Action: 'GetQueueAttributes', 'AttributeName.1': 'Foobar' },
        { url: queue.url },
      );
      expect(query.status).toBe(400);
      expect(query.code).toBe('InvalidAttributeName');
      expect(query.type).toBe('Sender');
      expect(query.message).toBe('Unknown Attribute Foobar.');
    },
  },
  {
    name: 'query protocol: an unknown action is InvalidAction “The action … is not valid for this endpoint.”',
    source: COMMON_ERRORS,
    run: async (t) => {
      const queue = await createQueue(t, 'invalid-action');
      const answer = await queryCall(t, { Action: 'FooBar' }, { url: queue.url });
      expect(answer.status).toBe(400);
      expect(answer.code).toBe('InvalidAction');
      expect(answer.type).toBe('Sender');
      expect(answer.message).toBe('The action FooBar is not valid for this endpoint.');
    },
  },
  {
    name: 'SendMessage to a queue that does not exist is QueueDoesNotExist',
    source: `${API}/API_SendMessage.html#API_SendMessage_Errors`,
    run: async (t) => {
      const queue = await createQueue(t, 'exists-for-url');
      const missing = queue.url.replace(queue.name, t.uniqueName('not-there'));
      await expectSdkError(t.sqs.send(new SendMessageCommand({ QueueUrl: missing, MessageBody: 'x' })), {
        name: 'QueueDoesNotExist',
      });
      await expectSdkError(t.sqs.send(new GetQueueUrlCommand({ QueueName: t.uniqueName('not-there') })), {
        name: 'QueueDoesNotExist',
        message: 'The specified queue does not exist.',
      });
    },
  },
];

describe('SQS errors', () => {
  conformanceCases(cases, () => target, { concurrent: true });
});
