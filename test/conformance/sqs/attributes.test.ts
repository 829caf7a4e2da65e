import {
  AddPermissionCommand,
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type ConformanceCase, conformanceCases } from '../support/cases';
import { type ConformanceTarget, startConformanceTarget } from '../support/target';
import { API, counts, createQueue, eventually, expectSdkError, GUIDE, jsonCall, receiveAll } from './support';

/**
 * Attributes and shapes: queue attributes as GetQueueAttributes reports them, message attributes filtered by
 * name with the MD5 of what is returned, system attributes (AWSTraceHeader and its MD5), members AWS leaves out
 * when empty, tags, and the policy AddPermission and RemovePermission write.
 */

let target: ConformanceTarget;
beforeAll(async () => {
  target = await startConformanceTarget(process.env, { dynamoDb: false });
});
afterAll(async () => {
  await target?.stop();
});

const GET_ATTRIBUTES = `${API}/API_GetQueueAttributes.html`;
const RECEIVE = `${API}/API_ReceiveMessage.html#API_ReceiveMessage_RequestParameters`;
const MD5 = `${GUIDE}/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation`;
const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

const STANDARD_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesDelayed',
  'ApproximateNumberOfMessagesNotVisible',
  'CreatedTimestamp',
  'DelaySeconds',
  'LastModifiedTimestamp',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'QueueArn',
  'ReceiveMessageWaitTimeSeconds',
  'SqsManagedSseEnabled',
  'VisibilityTimeout',
];

const allAttributes = async (t: ConformanceTarget, url: string) =>
  (await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ??
  {};

/** Three attributes whose MD5s (all and each subset used below) are known. */
const THREE = {
  'Help.Me': { DataType: 'String', StringValue: 'Me' },
  Hello: { DataType: 'String', StringValue: 'There' },
  General: { DataType: 'String', StringValue: 'Kenobi' },
};

const cases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'a new standard queue reports exactly its default attributes for All',
    source: GET_ATTRIBUTES,
    run: async (t) => {
      const queue = await createQueue(t, 'defaults');
      const attributes = await allAttributes(t, queue.url);
      expect(Object.keys(attributes).sort()).toEqual(STANDARD_ATTRIBUTES);
      expect(attributes).toMatchObject({
        DelaySeconds: '0',
        MaximumMessageSize: '1048576',
        MessageRetentionPeriod: '345600',
        ReceiveMessageWaitTimeSeconds: '0',
        VisibilityTimeout: '30',
        SqsManagedSseEnabled: 'true',
        QueueArn: queue.arn,
        ApproximateNumberOfMessages: '0',
      });
      expect(Math.abs(Number(attributes.CreatedTimestamp) - Date.now() / 1000)).toBeLessThan(120);
    },
  },
  {
    name: 'GetQueueAttributes returns only the names asked',
    source: GET_ATTRIBUTES,
    run: async (t) => {
      const queue = await createQueue(t, 'some');
      const { Attributes = {} } = await t.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queue.url,
          AttributeNames: ['QueueArn', 'CreatedTimestamp', 'VisibilityTimeout'],
        }),
      );
      expect(Object.keys(Attributes).sort()).toEqual(['CreatedTimestamp', 'QueueArn', 'VisibilityTimeout']);
      expect(queue.arn).toMatch(new RegExp(`^arn:aws:sqs:${t.region}:\\d{12}:${queue.name}$`));
    },
  },
  {
    name: 'GetQueueAttributes without names answers no Attributes',
    source: GET_ATTRIBUTES,
    run: async (t) => {
      const queue = await createQueue(t, 'no-names');
      const answer = await jsonCall(t, 'GetQueueAttributes', { QueueUrl: queue.url });
      expect(answer.status).toBe(200);
      expect(answer.body.Attributes).toBeUndefined();
    },
  },
  {
    name: 'SetQueueAttributes changes what All reports',
    source: `${API}/API_SetQueueAttributes.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'update', {
        attributes: {
          MessageRetentionPeriod: '604800',
          ReceiveMessageWaitTimeSeconds: '10',
          VisibilityTimeout: '20',
        },
      });
      await t.sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: queue.url,
          Attributes: { MaximumMessageSize: '2048', VisibilityTimeout: '69', DelaySeconds: '420' },
        }),
      );
      expect(await allAttributes(t, queue.url)).toMatchObject({
        MessageRetentionPeriod: '604800',
        ReceiveMessageWaitTimeSeconds: '10',
        VisibilityTimeout: '69',
        MaximumMessageSize: '2048',
        DelaySeconds: '420',
      });
    },
  },
  {
    name: 'an empty RedrivePolicy or Policy removes it',
    source: `${API}/API_SetQueueAttributes.html`,
    run: async (t) => {
      const dlq = await createQueue(t, 'clear-dlq');
      const queue = await createQueue(t, 'clear');
      const policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sqs:SendMessage', Resource: queue.arn },
        ],
      });
      await t.sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: queue.url,
          Attributes: {
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: '42' }),
            Policy: policy,
          },
        }),
      );
      const set = await allAttributes(t, queue.url);
      expect(JSON.parse(set.RedrivePolicy ?? '{}')).toEqual({
        deadLetterTargetArn: dlq.arn,
        maxReceiveCount: 42,
      });
      expect(JSON.parse(set.Policy ?? '{}').Statement[0].Action).toBe('sqs:SendMessage');
      await t.sqs.send(
        new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { RedrivePolicy: '', Policy: '' } }),
      );
      const cleared = await allAttributes(t, queue.url);
      expect(cleared.RedrivePolicy).toBeUndefined();
      expect(cleared.Policy).toBeUndefined();
    },
  },
  {
    name: 'a KMS key turns SQS-managed encryption off; KMS defaults set again vanish',
    source: `${API}/API_SetQueueAttributes.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'kms');
      await t.sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: queue.url,
          Attributes: { KmsMasterKeyId: 'testKeyId', KmsDataKeyReusePeriodSeconds: '6000' },
        }),
      );
      expect(await allAttributes(t, queue.url)).toMatchObject({
        KmsMasterKeyId: 'testKeyId',
        KmsDataKeyReusePeriodSeconds: '6000',
        SqsManagedSseEnabled: 'false',
      });
      await t.sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: queue.url,
          Attributes: { KmsMasterKeyId: '', KmsDataKeyReusePeriodSeconds: '300' },
        }),
      );
      const after = await allAttributes(t, queue.url);
      expect(after.KmsMasterKeyId).toBeUndefined();
      expect(after.KmsDataKeyReusePeriodSeconds).toBeUndefined();
      expect(after.SqsManagedSseEnabled).toBe('false');
    },
  },
  {
    name: 'ApproximateNumberOfMessagesNotVisible counts received messages until their visibility ends',
    source: GET_ATTRIBUTES,
    run: async (t) => {
      const queue = await createQueue(t, 'not-visible', { attributes: { VisibilityTimeout: '1' } });
      for (let i = 1; i <= 6; i++)
        await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: `message-${i}` }));
      await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 1 }));
      expect(await counts(t, queue.url)).toEqual({ visible: 5, notVisible: 1, delayed: 0 });
      await eventually(async () =>
        expect(await counts(t, queue.url)).toEqual({ visible: 6, notVisible: 0, delayed: 0 }),
      );
    },
  },
  {
    name: 'ApproximateNumberOfMessagesDelayed counts messages sent with a delay',
    source: GET_ATTRIBUTES,
    run: async (t) => {
      const queue = await createQueue(t, 'delayed');
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'now' }));
      await t.sqs.send(
        new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'later', DelaySeconds: 60 }),
      );
      await eventually(async () =>
        expect(await counts(t, queue.url)).toEqual({ visible: 1, notVisible: 0, delayed: 1 }),
      );
    },
  },
  {
    name: 'MD5OfMessageBody is the MD5 of the body’s UTF-8 bytes',
    source: `${API}/API_SendMessage.html#API_SendMessage_ResponseElements`,
    run: async (t) => {
      const queue = await createQueue(t, 'md5-body');
      const sent = await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'message' }));
      expect(sent.MD5OfMessageBody).toBe('78e731027d8fd50ed642340b7c9a63b3');
      const [received] = await receiveAll(t, { QueueUrl: queue.url }, 1);
      expect(received).toMatchObject({
        Body: 'message',
        MD5OfBody: sent.MD5OfMessageBody,
        MessageId: sent.MessageId,
      });
    },
  },
  {
    name: 'MessageAttributeNames: none, All, .*, *, names, missing names and prefixes; the MD5 is of what is returned',
    source: RECEIVE,
    run: async (t) => {
      const queue = await createQueue(t, 'filters', { attributes: { VisibilityTimeout: '0' } });
      const sent = await t.sqs.send(
        new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'msg', MessageAttributes: THREE }),
      );
      expect(sent.MD5OfMessageAttributes).toBe('4c360f3fdafd970e05fae2f149d997f5');
      const receive = async (names: string[]) => {
        const [message] = await receiveAll(t, { QueueUrl: queue.url, MessageAttributeNames: names }, 1);
        return {
          md5: message?.MD5OfMessageAttributes,
          names: Object.keys(message?.MessageAttributes ?? {}).sort(),
        };
      };
      const all = { md5: '4c360f3fdafd970e05fae2f149d997f5', names: ['General', 'Hello', 'Help.Me'] };
      expect(await receive([])).toEqual({ md5: undefined, names: [] });
      expect(await receive(['All'])).toEqual(all);
      expect(await receive(['.*'])).toEqual(all);
      expect(await receive(['*'])).toEqual(all);
      expect(await receive(['Foo', 'Help'])).toEqual({ md5: undefined, names: [] });
      expect(await receive(['Hello', 'General'])).toEqual({
        md5: 'fca026605781cb4126a1e9044df24232',
        names: ['General', 'Hello'],
      });
      expect(await receive(['Foo', 'Hello'])).toEqual({
        md5: 'a311262e065454b75da111d535b8dacd',
        names: ['Hello'],
      });
      expect(await receive(['Hel.*'])).toEqual({
        md5: '83fee93c1bcd8b9a5a923ffacdc636c7',
        names: ['Hello', 'Help.Me'],
      });
    },
  },
  {
    name: 'system attributes: All on a standard queue is sender, sent time, receive count and first receive',
    source: RECEIVE,
    run: async (t) => {
      const queue = await createQueue(t, 'system-all', { attributes: { VisibilityTimeout: '0' } });
      await t.sqs.send(
        new SendMessageCommand({
          QueueUrl: queue.url,
          MessageBody: 'msg',
          MessageAttributes: { Foo: { DataType: 'String', StringValue: 'Bar' } },
        }),
      );
      const [viaAttributeNames] = await receiveAll(t, { QueueUrl: queue.url, AttributeNames: ['All'] }, 1);
      expect(Object.keys(viaAttributeNames?.Attributes ?? {}).sort()).toEqual([
        'ApproximateFirstReceiveTimestamp',
        'ApproximateReceiveCount',
        'SenderId',
        'SentTimestamp',
      ]);
      expect(viaAttributeNames?.MessageAttributes).toBeUndefined();
      const [viaSystemNames] = await receiveAll(
        t,
        { QueueUrl: queue.url, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] },
        1,
      );
      expect(viaSystemNames?.Attributes?.ApproximateReceiveCount).toBe('2');
      expect(viaSystemNames?.MD5OfMessageAttributes).toBe('ae7155c6026991b6d54b11589678bf9c');
      const [single] = await receiveAll(
        t,
        { QueueUrl: queue.url, MessageSystemAttributeNames: ['SenderId', 'SequenceNumber'] },
        1,
      );
      expect(Object.keys(single?.Attributes ?? {})).toEqual(['SenderId']);
    },
  },
  {
    name: 'timestamps are epoch milliseconds; the first receive is not before the send',
    source: RECEIVE,
    run: async (t) => {
      const queue = await createQueue(t, 'timestamps');
      const before = Date.now();
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'message' }));
      const [message] = await receiveAll(
        t,
        { QueueUrl: queue.url, VisibilityTimeout: 0, AttributeNames: ['All'] },
        1,
      );
      const sent = Number(message?.Attributes?.SentTimestamp);
      const first = Number(message?.Attributes?.ApproximateFirstReceiveTimestamp);
      expect(Number.isInteger(sent) && Number.isInteger(first)).toBe(true);
      expect(Math.abs(sent - before)).toBeLessThan(60_000);
      expect(first).toBeGreaterThanOrEqual(sent);
    },
  },
  {
    name: 'MessageSystemAttributes AWSTraceHeader: its own MD5, no change to the attributes’ MD5, returned on receive',
    source: `${API}/API_SendMessage.html#API_SendMessage_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'trace');
      const attributes = { timestamp: { StringValue: '1493147359900', DataType: 'Number' } };
      const plain = await t.sqs.send(
        new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'test', MessageAttributes: attributes }),
      );
      const traced = await t.sqs.send(
        new SendMessageCommand({
          QueueUrl: queue.url,
          MessageBody: 'test',
          MessageAttributes: attributes,
          MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: TRACE } },
        }),
      );
      expect(traced.MD5OfMessageAttributes).toBe(plain.MD5OfMessageAttributes);
      expect(plain.MD5OfMessageSystemAttributes).toBeUndefined();
      expect(traced.MD5OfMessageSystemAttributes).toBe('5ae4d5d7636402d80f4eb6d213245a88');
      const messages = await receiveAll(
        t,
        { QueueUrl: queue.url, MessageSystemAttributeNames: ['AWSTraceHeader'] },
        2,
      );
      const byId = new Map(messages.map((message) => [message.MessageId, message]));
      expect(byId.get(traced.MessageId)?.Attributes).toEqual({ AWSTraceHeader: TRACE });
      expect(byId.get(plain.MessageId)?.Attributes).toBeUndefined();
    },
  },
  {
    name: 'the X-Amzn-Trace-Id header of a SendMessage becomes the message’s AWSTraceHeader',
    source: `${GUIDE}/sqs-message-metadata.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'trace-header');
      const header = 'Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1';
      const command = new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'test' });
      command.middlewareStack.add(
        (next) => async (args) => {
          const request = args.request as { headers: Record<string, string> };
          request.headers['X-Amzn-Trace-Id'] = header;
          return next(args);
        },
        { step: 'build', name: 'addTraceHeader' },
      );
      await t.sqs.send(command);
      const [message] = await receiveAll(
        t,
        { QueueUrl: queue.url, MessageSystemAttributeNames: ['SentTimestamp', 'AWSTraceHeader'] },
        1,
      );
      expect(message?.Attributes?.AWSTraceHeader).toBe(header);
    },
  },
  {
    name: 'binary and number attributes come back as sent, with AWS’s MD5',
    source: MD5,
    run: async (t) => {
      const queue = await createQueue(t, 'binary');
      const value = new TextEncoder().encode(
        'traceparent\u001e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01',
      );
      const sent = await t.sqs.send(
        new SendMessageCommand({
          QueueUrl: queue.url,
          MessageBody: 'test',
          MessageAttributes: { attr1: { DataType: 'Binary', BinaryValue: value } },
        }),
      );
      expect(sent.MD5OfMessageAttributes).toBe('8cbe4db156db8a94db8b801b7addb984');
      await t.sqs.send(
        new SendMessageCommand({
          QueueUrl: queue.url,
          MessageBody: 'test',
          MessageAttributes: { timestamp: { DataType: 'Number', StringValue: '1614717034367' } },
        }),
      );
      const messages = await receiveAll(t, { QueueUrl: queue.url, MessageAttributeNames: ['All'] }, 2);
      const binary = messages.find((message) => message.MessageId === sent.MessageId);
      expect(
        Buffer.from(binary?.MessageAttributes?.attr1?.BinaryValue ?? []).equals(Buffer.from(value)),
      ).toBe(true);
      const number = messages.find((message) => message.MessageId !== sent.MessageId);
      expect(number?.MessageAttributes).toEqual({
        timestamp: { DataType: 'Number', StringValue: '1614717034367' },
      });
    },
  },
  {
    name: 'an empty receive has no Messages member, in short and long polls',
    source: `${API}/API_ReceiveMessage.html#API_ReceiveMessage_ResponseElements`,
    run: async (t) => {
      const queue = await createQueue(t, 'empty-receive');
      for (const wait of [0, 1]) {
        const answer = await jsonCall(t, 'ReceiveMessage', { QueueUrl: queue.url, WaitTimeSeconds: wait });
        expect(answer.status).toBe(200);
        expect(answer.body.Messages).toBeUndefined();
      }
    },
  },
  {
    name: 'a batch without failures has no Failed member',
    source: `${API}/API_SendMessageBatch.html#API_SendMessageBatch_ResponseElements`,
    run: async (t) => {
      const queue = await createQueue(t, 'no-failed');
      const answer = await jsonCall(t, 'SendMessageBatch', {
        QueueUrl: queue.url,
        Entries: [
          { Id: '1', MessageBody: 'message-0' },
          { Id: '2', MessageBody: 'message-1' },
        ],
      });
      expect(answer.status).toBe(200);
      expect(answer.body.Failed).toBeUndefined();
      expect((answer.body.Successful as unknown[]).length).toBe(2);
    },
  },
  {
    name: 'tags: TagQueue adds and overwrites, keys are case-sensitive, UntagQueue ignores missing keys',
    source: `${API}/API_TagQueue.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'tags');
      await t.sqs.send(
        new TagQueueCommand({
          QueueUrl: queue.url,
          Tags: { tag1: 'value1', tag2: 'value2', tag3: '', MyTag: 'a', mytag: 'b' },
        }),
      );
      await t.sqs.send(new TagQueueCommand({ QueueUrl: queue.url, Tags: { tag1: 'VALUE1' } }));
      await t.sqs.send(new UntagQueueCommand({ QueueUrl: queue.url, TagKeys: ['tag3', 'not-there'] }));
      const { Tags } = await t.sqs.send(new ListQueueTagsCommand({ QueueUrl: queue.url }));
      expect(Tags).toEqual({ tag1: 'VALUE1', tag2: 'value2', MyTag: 'a', mytag: 'b' });
    },
  },
  {
    name: 'tags given to CreateQueue are listed; a queue without tags has no Tags member',
    source: `${API}/API_ListQueueTags.html`,
    run: async (t) => {
      const tagged = await createQueue(t, 'create-tags', {
        tags: { team: 'billing', 'breakwater:role': 'dlq' },
      });
      expect((await t.sqs.send(new ListQueueTagsCommand({ QueueUrl: tagged.url }))).Tags).toEqual({
        team: 'billing',
        'breakwater:role': 'dlq',
      });
      const bare = await createQueue(t, 'no-tags');
      const answer = await jsonCall(t, 'ListQueueTags', { QueueUrl: bare.url });
      expect(answer.status).toBe(200);
      expect(answer.body.Tags).toBeUndefined();
    },
  },
  {
    name: 'AddPermission writes a policy statement per label; RemovePermission removes it, and the last removes Policy',
    source: `${API}/API_AddPermission.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'permissions');
      const account = queue.arn.split(':')[4] ?? '';
      await t.sqs.send(
        new AddPermissionCommand({
          QueueUrl: queue.url,
          Label: 'first',
          AWSAccountIds: [account],
          Actions: ['ReceiveMessage'],
        }),
      );
      await t.sqs.send(
        new AddPermissionCommand({
          QueueUrl: queue.url,
          Label: 'second',
          AWSAccountIds: [account],
          Actions: ['SendMessage'],
        }),
      );
      const { Attributes = {} } = await t.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['Policy'] }),
      );
      const policy = JSON.parse(Attributes.Policy ?? '{}');
      expect(policy).toMatchObject({ Version: '2008-10-17', Id: `${queue.arn}/SQSDefaultPolicy` });
      expect(policy.Statement).toEqual([
        {
          Sid: 'first',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: 'SQS:ReceiveMessage',
          Resource: queue.arn,
        },
        {
          Sid: 'second',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: 'SQS:SendMessage',
          Resource: queue.arn,
        },
      ]);
      await expectSdkError(
        t.sqs.send(
          new AddPermissionCommand({
            QueueUrl: queue.url,
            Label: 'first',
            AWSAccountIds: [account],
            Actions: ['ReceiveMessage'],
          }),
        ),
        {
          name: 'InvalidParameterValue',
          message: 'Value first for parameter Label is invalid. Reason: Already exists.',
        },
      );
      await t.sqs.send(new RemovePermissionCommand({ QueueUrl: queue.url, Label: 'first' }));
      await t.sqs.send(new RemovePermissionCommand({ QueueUrl: queue.url, Label: 'second' }));
      const after = await t.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['Policy'] }),
      );
      expect(after.Attributes?.Policy).toBeUndefined();
      await expectSdkError(
        t.sqs.send(new RemovePermissionCommand({ QueueUrl: queue.url, Label: 'second' })),
        {
          name: 'InvalidParameterValue',
          message: "Value second for parameter Label is invalid. Reason: can't find label.",
        },
      );
    },
  },
  {
    name: 'AddPermission with several accounts and actions lists them',
    source: `${API}/API_AddPermission.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'permission-lists');
      const account = queue.arn.split(':')[4] ?? '';
      await t.sqs.send(
        new AddPermissionCommand({
          QueueUrl: queue.url,
          Label: 'cross',
          AWSAccountIds: [account, '668614515564'],
          Actions: ['ReceiveMessage', 'DeleteMessage'],
        }),
      );
      const { Attributes = {} } = await t.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['Policy'] }),
      );
      const [statement] = JSON.parse(Attributes.Policy ?? '{}').Statement;
      expect([...statement.Principal.AWS].sort()).toEqual(
        [`arn:aws:iam::${account}:root`, 'arn:aws:iam::668614515564:root'].sort(),
      );
      expect([...statement.Action].sort()).toEqual(['SQS:DeleteMessage', 'SQS:ReceiveMessage']);
    },
  },
  {
    name: 'a batch answers each entry’s MD5s and message id',
    source: `${API}/API_SendMessageBatchResultEntry.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'batch-md5');
      const { Successful = [] } = await t.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: [
            { Id: '1', MessageBody: 'message', MessageAttributes: THREE },
            { Id: '2', MessageBody: 'a' },
          ],
        }),
      );
      expect(Successful.find((entry) => entry.Id === '1')).toMatchObject({
        MD5OfMessageBody: '78e731027d8fd50ed642340b7c9a63b3',
        MD5OfMessageAttributes: '4c360f3fdafd970e05fae2f149d997f5',
      });
      const second = Successful.find((entry) => entry.Id === '2');
      expect(second?.MD5OfMessageBody).toBe('0cc175b9c0f1b6a831c399e269772661');
      expect(second?.MD5OfMessageAttributes).toBeUndefined();
    },
  },
];

describe('SQS attributes and shapes', () => {
  conformanceCases(cases, () => target, { concurrent: true });
});
