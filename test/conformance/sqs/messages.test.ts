import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type ConformanceCase, conformanceCases } from '../support/cases';
import { type ConformanceTarget, startConformanceTarget } from '../support/target';
import { API, counts, createQueue, eventually, GUIDE, receiveAll } from './support';

/** The life of a message: send, receive, visibility, delay, long polling, delete, purge, batches. */

let target: ConformanceTarget;
beforeAll(async () => {
  target = await startConformanceTarget(process.env, { dynamoDb: false });
});
afterAll(async () => {
  await target?.stop();
});

const RECEIVE = `${API}/API_ReceiveMessage.html`;
const VISIBILITY = `${GUIDE}/sqs-visibility-timeout.html`;
const POLLING = `${GUIDE}/sqs-short-and-long-polling.html`;

const cases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'a sent message is received with its id, body and MD5, and is gone once deleted',
    source: `${API}/API_SendMessage.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'lifecycle');
      const sent = await t.sqs.send(
        new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'test message' }),
      );
      const [message] = await receiveAll(t, { QueueUrl: queue.url }, 1);
      expect(message).toMatchObject({
        MessageId: sent.MessageId,
        Body: 'test message',
        MD5OfBody: sent.MD5OfMessageBody,
      });
      expect(message?.ReceiptHandle).toEqual(expect.any(String));
      await t.sqs.send(
        new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: message?.ReceiptHandle }),
      );
      await eventually(async () =>
        expect(await counts(t, queue.url)).toEqual({ visible: 0, notVisible: 0, delayed: 0 }),
      );
    },
  },
  {
    name: 'a received message is invisible until its visibility timeout ends, then comes back with a new receipt handle',
    source: VISIBILITY,
    run: async (t) => {
      const queue = await createQueue(t, 'visibility', { attributes: { VisibilityTimeout: '1' } });
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'foobar' }));
      const [first] = await receiveAll(t, { QueueUrl: queue.url }, 1);
      expect((await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url }))).Messages).toBeUndefined();
      const [second] = await receiveAll(t, { QueueUrl: queue.url, WaitTimeSeconds: 5 }, 1);
      expect(second?.MessageId).toBe(first?.MessageId);
      expect(second?.ReceiptHandle).not.toBe(first?.ReceiptHandle);
    },
  },
  {
    name: 'ReceiveMessage VisibilityTimeout 0 leaves the message visible; a later receive’s timeout applies',
    source: RECEIVE,
    run: async (t) => {
      const queue = await createQueue(t, 'receive-zero');
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'test' }));
      await receiveAll(t, { QueueUrl: queue.url, VisibilityTimeout: 0 }, 1);
      const [again] = await receiveAll(t, { QueueUrl: queue.url, VisibilityTimeout: 30 }, 1);
      expect(again?.Body).toBe('test');
      expect((await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url }))).Messages).toBeUndefined();
    },
  },
  {
    name: 'ChangeMessageVisibility 0 makes a message visible at once; extending it keeps it hidden',
    source: `${API}/API_ChangeMessageVisibility.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'change-visibility');
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'test' }));
      const [received] = await receiveAll(t, { QueueUrl: queue.url }, 1);
      await t.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queue.url,
          ReceiptHandle: received?.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
      const [again] = await receiveAll(t, { QueueUrl: queue.url }, 1);
      expect(again?.MessageId).toBe(received?.MessageId);
      await t.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queue.url,
          ReceiptHandle: again?.ReceiptHandle,
          VisibilityTimeout: 600,
        }),
      );
      expect((await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url }))).Messages).toBeUndefined();
    },
  },
  {
    name: 'ChangeMessageVisibility after the visibility timeout ended succeeds on a standard queue',
    source: `${API}/API_ChangeMessageVisibility.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'change-after', { attributes: { VisibilityTimeout: '1' } });
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'test' }));
      const [received] = await receiveAll(t, { QueueUrl: queue.url }, 1);
      await eventually(async () => expect((await counts(t, queue.url)).visible).toBe(1));
      await t.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queue.url,
          ReceiptHandle: received?.ReceiptHandle,
          VisibilityTimeout: 2,
        }),
      );
    },
  },
  {
    name: 'standard queue: the receipt handle of an earlier receive still changes the message’s visibility',
    source: `${API}/API_ChangeMessageVisibility.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'earlier-handle');
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'test' }));
      const [first] = await receiveAll(t, { QueueUrl: queue.url, VisibilityTimeout: 0 }, 1);
      await receiveAll(t, { QueueUrl: queue.url, VisibilityTimeout: 30 }, 1);
      await t.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queue.url,
          ReceiptHandle: first?.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
      const [again] = await receiveAll(t, { QueueUrl: queue.url, WaitTimeSeconds: 1 }, 1);
      expect(again?.MessageId).toBe(first?.MessageId);
    },
  },
  {
    name: 'the receive count grows with each receive',
    source: RECEIVE,
    run: async (t) => {
      const queue = await createQueue(t, 'receive-count');
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'count' }));
      for (const count of ['1', '2', '3']) {
        const [message] = await receiveAll(
          t,
          {
            QueueUrl: queue.url,
            VisibilityTimeout: 0,
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          },
          1,
        );
        expect(message?.Attributes).toEqual({ ApproximateReceiveCount: count });
      }
    },
  },
  {
    name: 'DelaySeconds hides a message for its delay',
    source: `${GUIDE}/sqs-message-timers.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'delay');
      await t.sqs.send(
        new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'foobar', DelaySeconds: 1 }),
      );
      expect((await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url }))).Messages).toBeUndefined();
      const [message] = await receiveAll(t, { QueueUrl: queue.url, WaitTimeSeconds: 3 }, 1);
      expect(message?.Body).toBe('foobar');
    },
  },
  {
    name: 'a standard queue’s DelaySeconds delays messages sent without one; a message’s DelaySeconds 0 overrides it',
    source: `${GUIDE}/sqs-delay-queues.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'queue-delay', { attributes: { DelaySeconds: '60' } });
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'delayed' }));
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'now', DelaySeconds: 0 }));
      const [message] = await receiveAll(t, { QueueUrl: queue.url }, 1);
      expect(message?.Body).toBe('now');
      await eventually(async () => expect((await counts(t, queue.url)).delayed).toBe(1));
    },
  },
  {
    name: 'a long poll returns as soon as a message arrives',
    source: POLLING,
    run: async (t) => {
      const queue = await createQueue(t, 'long-poll');
      const started = Date.now();
      const waiting = t.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 10 }));
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'foobared' }));
      const { Messages = [] } = await waiting;
      expect(Messages.map((message) => message.Body)).toEqual(['foobared']);
      expect(Date.now() - started).toBeLessThan(9_000);
    },
  },
  {
    name: 'a long poll with messages waiting does not wait for MaxNumberOfMessages',
    source: POLLING,
    run: async (t) => {
      const queue = await createQueue(t, 'no-block');
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'foobar1' }));
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'foobar2' }));
      await eventually(async () => expect((await counts(t, queue.url)).visible).toBe(2));
      const started = Date.now();
      const { Messages = [] } = await t.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 3, WaitTimeSeconds: 5 }),
      );
      expect(Messages.length).toBeGreaterThanOrEqual(1);
      expect(Date.now() - started).toBeLessThan(2_000);
    },
  },
  {
    name: 'the queue’s ReceiveMessageWaitTimeSeconds makes a receive without WaitTimeSeconds a long poll',
    source: POLLING,
    run: async (t) => {
      const queue = await createQueue(t, 'queue-wait', {
        attributes: { ReceiveMessageWaitTimeSeconds: '10' },
      });
      const waiting = t.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url }));
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'foobared' }));
      expect(((await waiting).Messages ?? []).map((message) => message.Body)).toEqual(['foobared']);
    },
  },
  {
    name: 'a receive returns at most 10 messages',
    source: RECEIVE,
    run: async (t) => {
      const queue = await createQueue(t, 'max-ten');
      for (const batch of [0, 1]) {
        await t.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queue.url,
            Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `b${batch}-${i}` })),
          }),
        );
      }
      await eventually(async () => expect((await counts(t, queue.url)).visible).toBe(20));
      const { Messages = [] } = await t.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10 }),
      );
      expect(Messages.length).toBeLessThanOrEqual(10);
      expect(Messages.length).toBeGreaterThan(0);
    },
  },
  {
    name: 'bodies keep XML-special characters, entities and carriage returns',
    source: `${API}/API_SendMessage.html#API_SendMessage_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'encoded');
      const bodies = [
        '"&quot;&quot;\r',
        '{\r\n"machineID" : "d357006e26ff47439e1ef894225d4307"}',
        '<fragile> & urgent',
      ];
      for (const body of bodies)
        await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body }));
      const messages = await receiveAll(t, { QueueUrl: queue.url }, 3);
      expect(messages.map((message) => message.Body).sort()).toEqual([...bodies].sort());
    },
  },
  {
    name: 'a queue name in place of QueueUrl names the queue',
    source: `${API}/API_SendMessage.html#API_SendMessage_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'by-name');
      const sent = await t.sqs.send(
        new SendMessageCommand({ QueueUrl: queue.name, MessageBody: 'Using name instead of URL' }),
      );
      expect(sent.MD5OfMessageBody).toBe('86a83f96652a1bfad3891e7d523750cb');
      const [message] = await receiveAll(t, { QueueUrl: queue.url }, 1);
      expect(message?.MessageId).toBe(sent.MessageId);
    },
  },
  {
    name: 'batches: ten sent, received and deleted',
    source: `${API}/API_DeleteMessageBatch.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'batches');
      const entries = Array.from({ length: 10 }, (_, i) => ({
        Id: `message-${i}`,
        MessageBody: `messageBody-${i}`,
      }));
      const { Successful = [] } = await t.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: entries }),
      );
      expect(Successful).toHaveLength(10);
      const received = await receiveAll(t, { QueueUrl: queue.url }, 10);
      expect(new Set(received.map((message) => message.MessageId))).toEqual(
        new Set(Successful.map((entry) => entry.MessageId)),
      );
      const deleted = await t.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: received.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle })),
        }),
      );
      expect(deleted.Successful).toHaveLength(10);
      expect(deleted.Failed).toBeUndefined();
      await eventually(async () =>
        expect(await counts(t, queue.url)).toEqual({ visible: 0, notVisible: 0, delayed: 0 }),
      );
    },
  },
  {
    name: 'batch deletes and visibility changes report a bad receipt handle per entry, ReceiptHandleIsInvalid',
    source: `${API}/API_ChangeMessageVisibilityBatch.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'batch-handles');
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'a' }));
      const [message] = await receiveAll(t, { QueueUrl: queue.url }, 1);
      const visibility = await t.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queue.url,
          Entries: [
            { Id: 'good', ReceiptHandle: message?.ReceiptHandle, VisibilityTimeout: 120 },
            { Id: 'bad', ReceiptHandle: 'garbage', VisibilityTimeout: 120 },
          ],
        }),
      );
      expect(visibility.Successful).toEqual([{ Id: 'good' }]);
      expect(visibility.Failed).toEqual([
        expect.objectContaining({ Id: 'bad', Code: 'ReceiptHandleIsInvalid', SenderFault: true }),
      ]);
      const deleted = await t.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: [
            { Id: 'good', ReceiptHandle: message?.ReceiptHandle },
            { Id: 'bad', ReceiptHandle: 'garbage' },
          ],
        }),
      );
      expect(deleted.Successful).toEqual([{ Id: 'good' }]);
      expect(deleted.Failed).toEqual([
        expect.objectContaining({ Id: 'bad', Code: 'ReceiptHandleIsInvalid' }),
      ]);
    },
  },
  {
    name: 'PurgeQueue deletes visible, in-flight and delayed messages; later sends arrive',
    source: `${API}/API_PurgeQueue.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'purge');
      for (let i = 0; i < 3; i++)
        await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: `visible-${i}` }));
      await t.sqs.send(
        new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'delayed', DelaySeconds: 1 }),
      );
      await receiveAll(t, { QueueUrl: queue.url, VisibilityTimeout: 1, MaxNumberOfMessages: 1 }, 1);
      await t.sqs.send(new PurgeQueueCommand({ QueueUrl: queue.url }));
      await eventually(async () =>
        expect(await counts(t, queue.url)).toEqual({ visible: 0, notVisible: 0, delayed: 0 }),
      );
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'after' }));
      const [message] = await receiveAll(t, { QueueUrl: queue.url, WaitTimeSeconds: 3 }, 1);
      expect(message?.Body).toBe('after');
    },
  },
  {
    name: 'messages sent to one queue are not received from another',
    source: RECEIVE,
    run: async (t) => {
      const first = await createQueue(t, 'first');
      const second = await createQueue(t, 'second');
      await t.sqs.send(new SendMessageCommand({ QueueUrl: first.url, MessageBody: 'message' }));
      expect(
        (await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: second.url }))).Messages,
      ).toBeUndefined();
      expect((await receiveAll(t, { QueueUrl: first.url }, 1))[0]?.Body).toBe('message');
    },
  },
];

describe('SQS messages', () => {
  conformanceCases(cases, () => target, { concurrent: true });
});
