import {
  CancelMessageMoveTaskCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type ConformanceCase, conformanceCases } from '../support/cases';
import { type ConformanceTarget, startConformanceTarget } from '../support/target';
import {
  API,
  counts,
  createQueue,
  createRedrivePair,
  eventually,
  expectSdkError,
  GUIDE,
  receiveAll,
  type TestQueue,
} from './support';

/**
 * Dead-letter queues: redrive after maxReceiveCount, the source queues of a DLQ, and message move tasks (to a
 * destination, or back to each message's own source; throughput limits, cancellation, errors).
 */

let target: ConformanceTarget;
beforeAll(async () => {
  target = await startConformanceTarget(process.env, { dynamoDb: false });
});
afterAll(async () => {
  await target?.stop();
});

const DLQ = `${GUIDE}/sqs-dead-letter-queues.html`;
const START = `${API}/API_StartMessageMoveTask.html`;

/** Receives each message of `source` until the redrive policy moved them all to the DLQ. */
const deadLetter = async (t: ConformanceTarget, source: TestQueue, dlq: TestQueue, count: number) => {
  await eventually(async () => {
    await t.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
    );
    expect((await counts(t, dlq.url)).visible).toBe(count);
  });
};

const latestTask = async (
  t: ConformanceTarget,
  sourceArn: string,
): Promise<ListMessageMoveTasksResultEntry> => {
  const { Results = [] } = await t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn }));
  const [task] = Results;
  if (task === undefined) throw new Error(`no move task for ${sourceArn}`);
  return task;
};

const cases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'a message received more than maxReceiveCount times moves to the DLQ, keeping its id and attributes',
    source: DLQ,
    run: async (t) => {
      const { source, dlq } = await createRedrivePair(t, 'redrive', 1);
      const sent = await t.sqs.send(
        new SendMessageCommand({
          QueueUrl: source.url,
          MessageBody: 'message-1',
          MessageAttributes: { MyAttribute: { DataType: 'String', StringValue: 'foobar' } },
          MessageSystemAttributes: {
            AWSTraceHeader: {
              DataType: 'String',
              StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
            },
          },
        }),
      );
      await deadLetter(t, source, dlq, 1);
      const [moved] = await receiveAll(
        t,
        { QueueUrl: dlq.url, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] },
        1,
      );
      expect(moved).toMatchObject({
        MessageId: sent.MessageId,
        Body: 'message-1',
        MD5OfMessageAttributes: 'adb59cd4678ea5a855436b949cd07ab6',
        MessageAttributes: { MyAttribute: { DataType: 'String', StringValue: 'foobar' } },
      });
      expect(moved?.Attributes).toMatchObject({
        ApproximateReceiveCount: '2',
        DeadLetterQueueSourceArn: source.arn,
        AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
      });
    },
  },
  {
    name: 'with maxReceiveCount 1 only one receive gets the message before it is dead-lettered',
    source: DLQ,
    run: async (t) => {
      const { source, dlq } = await createRedrivePair(t, 'once', 1);
      const sent = await t.sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: 'test' }));
      const first = await t.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: source.url, VisibilityTimeout: 0 }),
      );
      expect(first.Messages?.[0]?.MessageId).toBe(sent.MessageId);
      await deadLetter(t, source, dlq, 1);
      expect((await receiveAll(t, { QueueUrl: dlq.url }, 1))[0]?.MessageId).toBe(sent.MessageId);
    },
  },
  {
    name: 'ListDeadLetterSourceQueues lists every queue whose redrive policy names the DLQ',
    source: `${API}/API_ListDeadLetterSourceQueues.html`,
    run: async (t) => {
      const dlq = await createQueue(t, 'shared-dlq');
      const redrive = {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 50 }),
      };
      const one = await createQueue(t, 'source-one', { attributes: redrive });
      const two = await createQueue(t, 'source-two', { attributes: redrive });
      const { queueUrls = [] } = await t.sqs.send(
        new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.url }),
      );
      expect([...queueUrls].sort()).toEqual([one.url, two.url].sort());
      const page = await t.sqs.send(
        new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.url, MaxResults: 1 }),
      );
      expect(page.queueUrls).toHaveLength(1);
      expect(page.NextToken).toEqual(expect.any(String));
    },
  },
  {
    name: 'a move task without DestinationArn returns each message to its own source, with several sources',
    source: START,
    run: async (t) => {
      const { source: first, dlq } = await createRedrivePair(t, 'multi', 1);
      const second = await createQueue(t, 'multi-two', {
        attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }) },
      });
      for (const [queue, prefix] of [
        [first, 'message-1'],
        [second, 'message-2'],
      ] as const) {
        for (const n of [1, 2])
          await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: `${prefix}-${n}` }));
      }
      await eventually(async () => {
        for (const queue of [first, second]) {
          await t.sqs.send(
            new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
          );
        }
        expect((await counts(t, dlq.url)).visible).toBe(4);
      });
      const { TaskHandle } = await t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
      expect(TaskHandle).toEqual(expect.any(String));
      const backInFirst = await receiveAll(t, { QueueUrl: first.url }, 2);
      const backInSecond = await receiveAll(t, { QueueUrl: second.url }, 2);
      expect(backInFirst.map((message) => message.Body).sort()).toEqual(['message-1-1', 'message-1-2']);
      expect(backInSecond.map((message) => message.Body).sort()).toEqual(['message-2-1', 'message-2-2']);
      await eventually(async () =>
        expect(await latestTask(t, dlq.arn)).toMatchObject({
          Status: 'COMPLETED',
          ApproximateNumberOfMessagesMoved: 4,
          ApproximateNumberOfMessagesToMove: 4,
          SourceArn: dlq.arn,
        }),
      );
      const done = await latestTask(t, dlq.arn);
      expect(done.DestinationArn).toBeUndefined();
      expect(done.TaskHandle).toBeUndefined();
    },
  },
  {
    name: 'a move task with DestinationArn moves the DLQ’s messages there and reports COMPLETED',
    source: START,
    run: async (t) => {
      const { source, dlq } = await createRedrivePair(t, 'to-destination', 1);
      const destination = await createQueue(t, 'destination');
      for (const n of [1, 2])
        await t.sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: `m${n}` }));
      await deadLetter(t, source, dlq, 2);
      await t.sqs.send(
        new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: destination.arn }),
      );
      const moved = await receiveAll(t, { QueueUrl: destination.url }, 2);
      expect(moved.map((message) => message.Body).sort()).toEqual(['m1', 'm2']);
      await eventually(async () =>
        expect(await latestTask(t, dlq.arn)).toMatchObject({
          Status: 'COMPLETED',
          DestinationArn: destination.arn,
          ApproximateNumberOfMessagesMoved: 2,
          ApproximateNumberOfMessagesToMove: 2,
        }),
      );
      expect((await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url }))).Messages).toBeUndefined();
    },
  },
  {
    name: 'a move task needs a DLQ as source: InvalidParameterValue otherwise',
    source: START,
    run: async (t) => {
      const plain = await createQueue(t, 'not-a-dlq');
      const other = await createQueue(t, 'other');
      await expectSdkError(
        t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: plain.arn, DestinationArn: other.arn })),
        {
          name: 'InvalidParameterValue',
          message: 'Source queue must be configured as a Dead Letter Queue.',
        },
      );
    },
  },
  {
    name: 'a move task to a destination that does not exist is ResourceNotFoundException',
    source: `${START}#API_StartMessageMoveTask_Errors`,
    run: async (t) => {
      const { dlq } = await createRedrivePair(t, 'missing-destination', 1);
      await expectSdkError(
        t.sqs.send(
          new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: `${dlq.arn}doesntexist` }),
        ),
        {
          name: 'ResourceNotFoundException',
          message: "The resource that you specified for the DestinationArn parameter doesn't exist.",
          status: 404,
        },
      );
    },
  },
  {
    name: 'one running move task per source: a second is InvalidParameterValue; cancelling stops it',
    source: `${API}/API_CancelMessageMoveTask.html`,
    run: async (t) => {
      const { dlq } = await createRedrivePair(t, 'one-task', 1);
      const destination = await createQueue(t, 'slow-destination');
      for (let n = 0; n < 10; n++)
        await t.sqs.send(new SendMessageCommand({ QueueUrl: dlq.url, MessageBody: `m${n}` }));
      await eventually(async () => expect((await counts(t, dlq.url)).visible).toBe(10));
      const start = () =>
        t.sqs.send(
          new StartMessageMoveTaskCommand({
            SourceArn: dlq.arn,
            DestinationArn: destination.arn,
            MaxNumberOfMessagesPerSecond: 1,
          }),
        );
      const { TaskHandle } = await start();
      await expectSdkError(start(), {
        name: 'InvalidParameterValue',
        message:
          'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
      });
      const running = await latestTask(t, dlq.arn);
      expect(running).toMatchObject({
        Status: 'RUNNING',
        TaskHandle,
        MaxNumberOfMessagesPerSecond: 1,
        ApproximateNumberOfMessagesToMove: 10,
      });
      const cancelled = await t.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
      expect(cancelled.ApproximateNumberOfMessagesMoved).toEqual(expect.any(Number));
      await eventually(async () => expect((await latestTask(t, dlq.arn)).Status).toBe('CANCELLED'));
    },
  },
  {
    name: 'CancelMessageMoveTask: a malformed handle is InvalidParameterValue, an unknown task ResourceNotFoundException',
    source: `${API}/API_CancelMessageMoveTask.html#API_CancelMessageMoveTask_Errors`,
    run: async (t) => {
      await expectSdkError(t.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'foobared' })), {
        name: 'InvalidParameterValue',
        message: 'Value for parameter TaskHandle is invalid.',
      });
      const queue = await createQueue(t, 'no-tasks');
      const handle = (sourceArn: string) =>
        Buffer.from(JSON.stringify({ taskId: '10f57157-fc38-4da9-a113-4de7e12d05aa', sourceArn })).toString(
          'base64',
        );
      await expectSdkError(t.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: handle(queue.arn) })), {
        name: 'ResourceNotFoundException',
        message: 'Task does not exist.',
        status: 404,
      });
      await expectSdkError(
        t.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: handle(`${queue.arn}-nope`) })),
        {
          name: 'ResourceNotFoundException',
          message: "The resource that you specified for the SourceArn parameter doesn't exist.",
        },
      );
    },
  },
  {
    name: 'ListMessageMoveTasks of a source that does not exist is ResourceNotFoundException',
    source: `${API}/API_ListMessageMoveTasks.html#API_ListMessageMoveTasks_Errors`,
    run: async (t) => {
      const queue = await createQueue(t, 'list-tasks');
      await expectSdkError(t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: `${queue.arn}-nope` })), {
        name: 'ResourceNotFoundException',
      });
      expect(
        (await t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: queue.arn }))).Results ?? [],
      ).toEqual([]);
    },
  },
  {
    name: 'a move task whose destination is deleted while it runs fails with AWS.SimpleQueueService.NonExistentQueue',
    source: START,
    run: async (t) => {
      const { dlq } = await createRedrivePair(t, 'doomed', 1);
      const name = t.uniqueName('doomed-destination');
      const { QueueUrl } = await t.sqs.send(new CreateQueueCommand({ QueueName: name }));
      const destinationArn = dlq.arn.replace(/[^:]+$/, name);
      for (let n = 0; n < 5; n++)
        await t.sqs.send(new SendMessageCommand({ QueueUrl: dlq.url, MessageBody: `m${n}` }));
      await eventually(async () => expect((await counts(t, dlq.url)).visible).toBe(5));
      await t.sqs.send(
        new StartMessageMoveTaskCommand({
          SourceArn: dlq.arn,
          DestinationArn: destinationArn,
          MaxNumberOfMessagesPerSecond: 1,
        }),
      );
      await t.sqs.send(new DeleteQueueCommand({ QueueUrl }));
      await eventually(async () =>
        expect(await latestTask(t, dlq.arn)).toMatchObject({
          Status: 'FAILED',
          FailureReason: 'AWS.SimpleQueueService.NonExistentQueue',
        }),
      );
      expect((await counts(t, dlq.url)).visible).toBeGreaterThan(0);
    },
  },
];

describe('SQS dead-letter queues and move tasks', () => {
  conformanceCases(cases, () => target, { concurrent: true });
});
