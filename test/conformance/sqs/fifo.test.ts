import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type ConformanceCase, conformanceCases } from '../support/cases';
import { type ConformanceTarget, startConformanceTarget } from '../support/target';
import { API, counts, createQueue, eventually, GUIDE, receiveAll, type TestQueue } from './support';

/**
 * FIFO queues: one receive returns up to 10 messages of a group in order and locks the group until they are
 * deleted or visible again; groups are served by when their first message became available; deduplication by id
 * or content, per queue or per message group, forgotten on purge; throughput settings and their later change.
 */

let target: ConformanceTarget;
beforeAll(async () => {
  target = await startConformanceTarget(process.env, { dynamoDb: false });
});
afterAll(async () => {
  await target?.stop();
});

const LOGIC = `${GUIDE}/FIFO-queues-understanding-logic.html`;
const EXACTLY_ONCE = `${GUIDE}/FIFO-queues-exactly-once-processing.html`;
const HIGH_THROUGHPUT = `${GUIDE}/high-throughput-fifo.html`;

const fifoQueue = (t: ConformanceTarget, prefix: string, attributes: Record<string, string> = {}) =>
  createQueue(t, prefix, { fifo: true, attributes: { ContentBasedDeduplication: 'true', ...attributes } });

/** Sends bodies in order, each to the group named before its dash (`g1-m1` goes to group `g1`). */
const sendAll = async (t: ConformanceTarget, queue: TestQueue, bodies: string[]) => {
  for (const body of bodies) {
    await t.sqs.send(
      new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body, MessageGroupId: body.split('-')[0] }),
    );
  }
};

const receiveBodies = async (t: ConformanceTarget, queue: TestQueue, max: number, visibility?: number) => {
  const { Messages = [] } = await t.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queue.url,
      MaxNumberOfMessages: max,
      ...(visibility === undefined ? {} : { VisibilityTimeout: visibility }),
    }),
  );
  return Messages;
};

const bodiesOf = (messages: { Body?: string }[]) => messages.map((message) => message.Body);

const cases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'one receive returns up to 10 messages of the same group, in order',
    source: `${API}/API_ReceiveMessage.html`,
    run: async (t) => {
      const queue = await fifoQueue(t, 'ten');
      const bodies = Array.from({ length: 12 }, (_, i) => `g1-m${i}`);
      await sendAll(t, queue, bodies);
      expect(bodiesOf(await receiveBodies(t, queue, 10))).toEqual(bodies.slice(0, 10));
    },
  },
  {
    name: 'a receive takes a group’s messages in order before the next group’s, whatever the interleaving',
    source: LOGIC,
    run: async (t) => {
      const queue = await fifoQueue(t, 'ordering');
      await sendAll(t, queue, ['g1-m1', 'g2-m1', 'g1-m2', 'g1-m3']);
      expect(bodiesOf(await receiveBodies(t, queue, 10))).toEqual(['g1-m1', 'g1-m2', 'g1-m3', 'g2-m1']);
    },
  },
  {
    name: 'a group whose messages are in flight is locked: the next receive serves the next group',
    source: LOGIC,
    run: async (t) => {
      const queue = await fifoQueue(t, 'locked');
      await sendAll(t, queue, ['g1-m1', 'g1-m2', 'g1-m3', 'g1-m4', 'g2-m1', 'g3-m1']);
      expect(bodiesOf(await receiveBodies(t, queue, 2))).toEqual(['g1-m1', 'g1-m2']);
      expect(bodiesOf(await receiveBodies(t, queue, 1))).toEqual(['g2-m1']);
      expect(bodiesOf(await receiveBodies(t, queue, 10))).toEqual(['g3-m1']);
    },
  },
  {
    name: 'deleting a group’s in-flight messages unlocks it; deleting only some keeps it locked',
    source: LOGIC,
    run: async (t) => {
      const queue = await fifoQueue(t, 'unlock');
      await sendAll(t, queue, ['g1-m1', 'g2-m1', 'g1-m2', 'g2-m2', 'g1-m3', 'g1-m4', 'g3-m1']);
      const first = await receiveBodies(t, queue, 2);
      expect(bodiesOf(first)).toEqual(['g1-m1', 'g1-m2']);
      await t.sqs.send(
        new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: first[0]?.ReceiptHandle }),
      );
      expect(bodiesOf(await receiveBodies(t, queue, 10, 0))).toEqual(['g2-m1', 'g2-m2', 'g3-m1']);
      await t.sqs.send(
        new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: first[1]?.ReceiptHandle }),
      );
      const rest = bodiesOf(await receiveBodies(t, queue, 10));
      expect(rest.filter((body) => body?.startsWith('g1'))).toEqual(['g1-m3', 'g1-m4']);
      expect([...rest].sort()).toEqual(['g1-m3', 'g1-m4', 'g2-m1', 'g2-m2', 'g3-m1']);
    },
  },
  {
    name: 'a message whose visibility ends returns ahead of the later messages of its group; the group moves back',
    source: LOGIC,
    run: async (t) => {
      const queue = await fifoQueue(t, 'terminate');
      await sendAll(t, queue, ['g1-m1', 'g1-m2', 'g2-m1']);
      const received = await receiveBodies(t, queue, 2);
      expect(bodiesOf(received)).toEqual(['g1-m1', 'g1-m2']);
      await t.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queue.url,
          ReceiptHandle: received[0]?.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
      expect(bodiesOf(await receiveBodies(t, queue, 3))).toEqual(['g2-m1', 'g1-m1']);
    },
  },
  {
    name: 'messages received with VisibilityTimeout 0 come back at once, their groups behind the untouched ones',
    source: LOGIC,
    run: async (t) => {
      const queue = await fifoQueue(t, 'zero-visibility');
      await sendAll(t, queue, ['g1-m1', 'g2-m1', 'g2-m2', 'g3-m1', 'g1-m2']);
      expect(bodiesOf(await receiveBodies(t, queue, 3, 0))).toEqual(['g1-m1', 'g1-m2', 'g2-m1']);
      expect(bodiesOf(await receiveBodies(t, queue, 10, 0))).toEqual([
        'g3-m1',
        'g1-m1',
        'g1-m2',
        'g2-m1',
        'g2-m2',
      ]);
    },
  },
  {
    name: 'after a visibility timeout a group’s messages come back in their order',
    source: LOGIC,
    run: async (t) => {
      const queue = await fifoQueue(t, 'after-timeout', { VisibilityTimeout: '1' });
      await sendAll(t, queue, ['g1-m0', 'g1-m1', 'g1-m2']);
      expect(bodiesOf(await receiveBodies(t, queue, 10))).toEqual(['g1-m0', 'g1-m1', 'g1-m2']);
      const again = await receiveAll(t, { QueueUrl: queue.url, WaitTimeSeconds: 5 }, 3);
      expect(bodiesOf(again)).toEqual(['g1-m0', 'g1-m1', 'g1-m2']);
    },
  },
  {
    name: 'a waiting long poll is answered once the group’s in-flight message is deleted',
    source: LOGIC,
    run: async (t) => {
      const queue = await fifoQueue(t, 'long-poll', { VisibilityTimeout: '60' });
      await sendAll(t, queue, ['g1-m1', 'g1-m2']);
      const [first] = await receiveBodies(t, queue, 1);
      const waiting = t.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 10 }));
      await t.sqs.send(
        new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: first?.ReceiptHandle }),
      );
      expect(bodiesOf((await waiting).Messages ?? [])).toEqual(['g1-m2']);
    },
  },
  {
    name: 'a receive retried with its ReceiveRequestAttemptId answers the same messages and receipt handles',
    source: `${API}/API_ReceiveMessage.html#API_ReceiveMessage_RequestParameters`,
    run: async (t) => {
      const queue = await fifoQueue(t, 'attempt');
      await sendAll(t, queue, ['g1-m1', 'g1-m2', 'g2-m1']);
      const receive = (attempt: string) =>
        t.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queue.url,
            MaxNumberOfMessages: 2,
            ReceiveRequestAttemptId: attempt,
          }),
        );
      const first = (await receive('attempt-1')).Messages ?? [];
      expect(bodiesOf(first)).toEqual(['g1-m1', 'g1-m2']);
      const retried = (await receive('attempt-1')).Messages ?? [];
      expect(retried.map((message) => [message.MessageId, message.ReceiptHandle])).toEqual(
        first.map((message) => [message.MessageId, message.ReceiptHandle]),
      );
      expect(bodiesOf((await receive('attempt-2')).Messages ?? [])).toEqual(['g2-m1']);
    },
  },
  {
    name: 'received messages carry MessageGroupId, MessageDeduplicationId, SequenceNumber and a growing receive count',
    source: `${API}/API_ReceiveMessage.html#API_ReceiveMessage_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'system-attrs', {
        fifo: true,
        attributes: {
          VisibilityTimeout: '0',
          DeduplicationScope: 'messageGroup',
          FifoThroughputLimit: 'perMessageGroupId',
        },
      });
      const sent = await t.sqs.send(
        new SendMessageCommand({
          QueueUrl: queue.url,
          MessageBody: 'message-body-1',
          MessageGroupId: 'group-1',
          MessageDeduplicationId: 'dedup-1',
        }),
      );
      for (const count of ['1', '2']) {
        const [message] = await receiveAll(
          t,
          { QueueUrl: queue.url, MessageSystemAttributeNames: ['All'] },
          1,
        );
        expect(message?.MessageId).toBe(sent.MessageId);
        expect(message?.Attributes).toMatchObject({
          ApproximateReceiveCount: count,
          MessageDeduplicationId: 'dedup-1',
          MessageGroupId: 'group-1',
          SequenceNumber: sent.SequenceNumber,
        });
        expect(Object.keys(message?.Attributes ?? {}).sort()).toEqual([
          'ApproximateFirstReceiveTimestamp',
          'ApproximateReceiveCount',
          'MessageDeduplicationId',
          'MessageGroupId',
          'SenderId',
          'SentTimestamp',
          'SequenceNumber',
        ]);
      }
    },
  },
  {
    name: 'sends answer a SequenceNumber that grows; standard queues answer none',
    source: `${API}/API_SendMessage.html#API_SendMessage_ResponseElements`,
    run: async (t) => {
      const fifo = await createQueue(t, 'sequence', { fifo: true });
      const numbers: bigint[] = [];
      for (const id of ['m1', 'm2', 'm3']) {
        const { SequenceNumber } = await t.sqs.send(
          new SendMessageCommand({
            QueueUrl: fifo.url,
            MessageBody: id,
            MessageGroupId: 'g',
            MessageDeduplicationId: id,
          }),
        );
        numbers.push(BigInt(SequenceNumber ?? '0'));
      }
      expect(numbers[0]! < numbers[1]! && numbers[1]! < numbers[2]!).toBe(true);
      const standard = await createQueue(t, 'no-sequence');
      const sent = await t.sqs.send(new SendMessageCommand({ QueueUrl: standard.url, MessageBody: 'm' }));
      expect(sent.SequenceNumber).toBeUndefined();
    },
  },
  {
    name: 'a repeated MessageDeduplicationId within the interval is accepted but delivered once, even after deletion',
    source: EXACTLY_ONCE,
    run: async (t) => {
      const queue = await createQueue(t, 'dedup-id', { fifo: true });
      const send = () =>
        t.sqs.send(
          new SendMessageCommand({
            QueueUrl: queue.url,
            MessageBody: 'item',
            MessageGroupId: 'g',
            MessageDeduplicationId: 'dedup1',
          }),
        );
      await send();
      await send();
      const [message] = await receiveAll(t, { QueueUrl: queue.url }, 1);
      await t.sqs.send(
        new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: message?.ReceiptHandle }),
      );
      await send();
      const { Messages } = await t.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 1 }),
      );
      expect(Messages).toBeUndefined();
    },
  },
  {
    name: 'ContentBasedDeduplication “True” (any case) deduplicates by the body’s SHA-256, reported as “true”',
    source: `${API}/API_CreateQueue.html#API_CreateQueue_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'cbd-case', {
        fifo: true,
        attributes: { FifoQueue: 'True', ContentBasedDeduplication: 'True' },
      });
      for (let i = 0; i < 2; i++) {
        await t.sqs.send(
          new SendMessageCommand({
            QueueUrl: queue.url,
            MessageBody: '{"foo": "bar"}',
            MessageGroupId: 'group-1',
          }),
        );
      }
      const [message] = await receiveAll(t, { QueueUrl: queue.url, MaxNumberOfMessages: 1 }, 1);
      expect(message?.Body).toBe('{"foo": "bar"}');
      const { Messages } = await t.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 1 }),
      );
      expect(Messages).toBeUndefined();
      const { Attributes = {} } = await t.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queue.url,
          AttributeNames: ['FifoQueue', 'ContentBasedDeduplication'],
        }),
      );
      expect(Attributes).toEqual({ FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    },
  },
  {
    name: 'DeduplicationScope queue: the same deduplication id in another group is a duplicate',
    source: HIGH_THROUGHPUT,
    run: async (t) => {
      const queue = await createQueue(t, 'scope-queue', {
        fifo: true,
        attributes: { ContentBasedDeduplication: 'False' },
      });
      for (const group of ['group1', 'group2']) {
        await t.sqs.send(
          new SendMessageCommand({
            QueueUrl: queue.url,
            MessageBody: 'Test',
            MessageGroupId: group,
            MessageDeduplicationId: 'same-dedup',
          }),
        );
      }
      const { Messages = [] } = await t.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      expect(Messages.length).toBe(1);
    },
  },
  {
    name: 'DeduplicationScope messageGroup: the same deduplication id in another group is delivered',
    source: HIGH_THROUGHPUT,
    run: async (t) => {
      const queue = await createQueue(t, 'scope-group', {
        fifo: true,
        attributes: {
          ContentBasedDeduplication: 'False',
          DeduplicationScope: 'messageGroup',
          FifoThroughputLimit: 'perMessageGroupId',
        },
      });
      for (const group of ['group1', 'group2']) {
        await t.sqs.send(
          new SendMessageCommand({
            QueueUrl: queue.url,
            MessageBody: `Test-${group}`,
            MessageGroupId: group,
            MessageDeduplicationId: 'same-dedup',
          }),
        );
      }
      const messages = await receiveAll(t, { QueueUrl: queue.url }, 2);
      expect(bodiesOf(messages).sort()).toEqual(['Test-group1', 'Test-group2']);
    },
  },
  {
    name: 'DeduplicationScope messageGroup works without the high-throughput limit',
    source: HIGH_THROUGHPUT,
    run: async (t) => {
      const queue = await fifoQueue(t, 'scope-no-limit', { DeduplicationScope: 'messageGroup' });
      await t.sqs.send(
        new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'Test', MessageGroupId: 'group1' }),
      );
      await t.sqs.send(
        new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'Test', MessageGroupId: 'group2' }),
      );
      expect((await receiveAll(t, { QueueUrl: queue.url }, 2)).length).toBe(2);
    },
  },
  {
    name: 'changing to high throughput later is reported at once, while deduplication keeps its scope from creation',
    source: HIGH_THROUGHPUT,
    run: async (t) => {
      const queue = await createQueue(t, 'to-high', {
        fifo: true,
        attributes: { ContentBasedDeduplication: 'False', DeduplicationScope: 'queue' },
      });
      const send = (body: string, group: string) =>
        t.sqs.send(
          new SendMessageCommand({
            QueueUrl: queue.url,
            MessageBody: body,
            MessageGroupId: group,
            MessageDeduplicationId: 'same-dedup',
          }),
        );
      await send('Test1', 'group1');
      await t.sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: queue.url,
          Attributes: { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' },
        }),
      );
      const { Attributes = {} } = await t.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['All'] }),
      );
      expect(Attributes).toMatchObject({
        DeduplicationScope: 'messageGroup',
        FifoThroughputLimit: 'perMessageGroupId',
      });
      await send('Test3', 'group3');
      const messages = await receiveAll(t, { QueueUrl: queue.url }, 1);
      const { Messages } = await t.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 1 }),
      );
      expect(bodiesOf([...messages, ...(Messages ?? [])])).toEqual(['Test1']);
    },
  },
  {
    name: 'PurgeQueue forgets the deduplication ids it saw',
    source: `${API}/API_PurgeQueue.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'purge-dedup', { fifo: true });
      const send = (body: string) =>
        t.sqs.send(
          new SendMessageCommand({
            QueueUrl: queue.url,
            MessageBody: body,
            MessageGroupId: 'g',
            MessageDeduplicationId: 'same',
          }),
        );
      await send('message-1');
      await t.sqs.send(new PurgeQueueCommand({ QueueUrl: queue.url }));
      await send('message-2');
      const [message] = await receiveAll(t, { QueueUrl: queue.url, WaitTimeSeconds: 1 }, 1);
      expect(message?.Body).toBe('message-2');
    },
  },
  {
    name: 'a queue’s DelaySeconds delays every message, which then come in order',
    source: `${GUIDE}/sqs-delay-queues.html`,
    run: async (t) => {
      const queue = await fifoQueue(t, 'queue-delay', { DelaySeconds: '1' });
      await sendAll(t, queue, ['g1-m1', 'g1-m2', 'g1-m3']);
      const { Messages } = await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url }));
      expect(Messages).toBeUndefined();
      expect((await counts(t, queue.url)).delayed).toBe(3);
      await eventually(async () => expect((await counts(t, queue.url)).visible).toBe(3));
      expect(bodiesOf(await receiveBodies(t, queue, 10))).toEqual(['g1-m1', 'g1-m2', 'g1-m3']);
    },
  },
  {
    name: 'FIFO defaults: ContentBasedDeduplication false, DeduplicationScope queue, FifoThroughputLimit perQueue',
    source: `${API}/API_GetQueueAttributes.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'defaults', { fifo: true });
      const { Attributes = {} } = await t.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['All'] }),
      );
      expect(Attributes).toMatchObject({
        FifoQueue: 'true',
        ContentBasedDeduplication: 'false',
        DeduplicationScope: 'queue',
        FifoThroughputLimit: 'perQueue',
        VisibilityTimeout: '30',
        SqsManagedSseEnabled: 'true',
      });
    },
  },
  {
    name: 'ApproximateNumberOfMessages counts the visible messages, also of locked groups',
    source: `${API}/API_GetQueueAttributes.html`,
    run: async (t) => {
      const queue = await fifoQueue(t, 'approx');
      await sendAll(t, queue, ['g1-m1', 'g1-m2', 'g2-m1', 'g2-m2', 'g3-m1', 'g3-m2']);
      expect(bodiesOf(await receiveBodies(t, queue, 1))).toEqual(['g1-m1']);
      expect(bodiesOf(await receiveBodies(t, queue, 1))).toEqual(['g2-m1']);
      await eventually(async () =>
        expect(await counts(t, queue.url)).toEqual({ visible: 4, notVisible: 2, delayed: 0 }),
      );
    },
  },
  {
    name: 'a batch on a FIFO queue enqueues its entries in order',
    source: `${API}/API_SendMessageBatch.html`,
    run: async (t) => {
      const queue = await fifoQueue(t, 'batch-order');
      const entries = Array.from({ length: 10 }, (_, i) => ({
        Id: `e${i}`,
        MessageBody: `m${i}`,
        MessageGroupId: 'g',
      }));
      const { Successful = [] } = await t.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: entries }),
      );
      expect(Successful.map((entry) => entry.Id)).toEqual(entries.map((entry) => entry.Id));
      expect(bodiesOf(await receiveBodies(t, queue, 10))).toEqual(entries.map((entry) => entry.MessageBody));
    },
  },
  {
    name: 'a message past maxReceiveCount moves to the FIFO dead-letter queue and its group goes on',
    source: `${GUIDE}/sqs-dead-letter-queues.html`,
    run: async (t) => {
      const dlq = await fifoQueue(t, 'fifo-dlq');
      const queue = await fifoQueue(t, 'fifo-source', {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }),
      });
      const sent = await t.sqs.send(
        new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'foobar', MessageGroupId: '1' }),
      );
      for (let i = 0; i < 3; i++) await receiveBodies(t, queue, 1, 0);
      const [dead] = await receiveAll(t, { QueueUrl: dlq.url, WaitTimeSeconds: 5 }, 1);
      expect(dead?.MessageId).toBe(sent.MessageId);
      const next = await t.sqs.send(
        new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'foobar2', MessageGroupId: '1' }),
      );
      const [fresh] = await receiveAll(t, { QueueUrl: queue.url }, 1);
      expect(fresh?.MessageId).toBe(next.MessageId);
    },
  },
  {
    name: 'a group emptied by deletion takes new messages',
    source: LOGIC,
    run: async (t) => {
      const queue = await createQueue(t, 'refill', { fifo: true });
      const send = (body: string, id: string) =>
        t.sqs.send(
          new SendMessageCommand({
            QueueUrl: queue.url,
            MessageBody: body,
            MessageGroupId: 'g1',
            MessageDeduplicationId: id,
          }),
        );
      await send('Message 1', '1');
      const [first] = await receiveAll(t, { QueueUrl: queue.url }, 1);
      await t.sqs.send(
        new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: first?.ReceiptHandle }),
      );
      expect((await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url }))).Messages).toBeUndefined();
      await send('Message 2', '2');
      const [second] = await receiveAll(t, { QueueUrl: queue.url }, 1);
      expect(second?.Body).toBe('Message 2');
    },
  },
];

describe('SQS FIFO queues', () => {
  conformanceCases(cases, () => target, { concurrent: true });
});
