import {
  CancelMessageMoveTaskCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreServices, startCoreServices } from '../../../packages/local-cloud/src/cloud/core-services';
import { eventually } from '../../support/eventually';

let core: CoreServices;
let sqs: SQSClient;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const config = () => ({ endpoint: core.endpoints.edge, region: 'us-east-1', credentials });

beforeAll(async () => {
  core = await startCoreServices({ edgePort: 0 });
  sqs = new SQSClient(config());
});
afterAll(async () => {
  sqs?.destroy();
  await core?.stop();
});

const createQueue = async (name: string, attributes: Record<string, string> = {}) => {
  const { QueueUrl = '' } = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
  );
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: QueueUrl, arn: Attributes.QueueArn ?? '' };
};
const visible = async (url: string) => {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages);
};
const latestTask = async (sourceArn: string): Promise<ListMessageMoveTasksResultEntry> => {
  const { Results = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn }));
  const [task] = Results;
  if (task === undefined) throw new Error(`no move task for ${sourceArn}`);
  return task;
};
const drain = async (url: string) => {
  const messages = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }),
    );
    if (Messages.length === 0) return messages;
    messages.push(...Messages);
  }
};

describe('SQS dead-letter redrive through the edge', () => {
  it('moves failing messages to the DLQ after maxReceiveCount, then a move task returns them to their source', async () => {
    const dlq = await createQueue('billing-dlq');
    const source = await createQueue('billing', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }),
    });
    const sentIds = new Set<string>();
    for (const n of [1, 2, 3]) {
      const { MessageId = '' } = await sqs.send(
        new SendMessageCommand({
          QueueUrl: source.url,
          MessageBody: `{"n":${n}}`,
          MessageAttributes: { eventId: { DataType: 'String', StringValue: `evt-${n}` } },
        }),
      );
      sentIds.add(MessageId);
    }
    // A consumer that always fails: receive, never delete, make the message visible again at once.
    await eventually('three messages in the DLQ', async () => {
      await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
      );
      return (await visible(dlq.url)) === 3 ? true : undefined;
    });
    expect(await visible(source.url)).toBe(0);

    const { queueUrls } = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.url }));
    expect(queueUrls).toEqual([source.url]);

    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    expect(TaskHandle).toBeTruthy();
    const done = await eventually('the move task to complete', async () => {
      const task = await latestTask(dlq.arn);
      return task.Status === 'COMPLETED' ? task : undefined;
    });
    expect(done).toMatchObject({
      SourceArn: dlq.arn,
      ApproximateNumberOfMessagesMoved: 3,
      ApproximateNumberOfMessagesToMove: 3,
    });
    expect(done.TaskHandle).toBeUndefined();
    expect(done.DestinationArn).toBeUndefined();
    expect(done.StartedTimestamp).toBeGreaterThan(0);

    const returned = await drain(source.url);
    expect(returned.map((m) => m.Body).sort()).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(returned.map((m) => m.MessageAttributes?.eventId?.StringValue).sort()).toEqual([
      'evt-1',
      'evt-2',
      'evt-3',
    ]);
    for (const message of returned) expect(sentIds.has(message.MessageId ?? '')).toBe(false);
    expect(await visible(dlq.url)).toBe(0);
  });

  it('runs a rate-limited task with progress, one task per source at a time, and cancels it', async () => {
    const dlq = await createQueue('slow-dlq');
    await createQueue('slow', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }),
    });
    const destination = await createQueue('slow-replay');
    for (let n = 0; n < 8; n++)
      await sqs.send(new SendMessageCommand({ QueueUrl: dlq.url, MessageBody: `m${n}` }));

    await sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: dlq.arn,
        DestinationArn: destination.arn,
        MaxNumberOfMessagesPerSecond: 2,
      }),
    );
    const running = await latestTask(dlq.arn);
    expect(running).toMatchObject({
      Status: 'RUNNING',
      DestinationArn: destination.arn,
      MaxNumberOfMessagesPerSecond: 2,
      ApproximateNumberOfMessagesToMove: 8,
    });
    expect(running.TaskHandle).toBeTruthy();
    await expect(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message:
        'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
    });

    const progressed = await eventually('some progress', async () => {
      const task = await latestTask(dlq.arn);
      return (task.ApproximateNumberOfMessagesMoved ?? 0) >= 2 ? task : undefined;
    });
    expect(progressed.Status).toBe('RUNNING');
    const cancel = await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: running.TaskHandle }));
    expect(cancel.ApproximateNumberOfMessagesMoved).toBeGreaterThanOrEqual(2);
    const cancelled = await eventually('the cancellation', async () => {
      const task = await latestTask(dlq.arn);
      return task.Status === 'CANCELLED' ? task : undefined;
    });
    const moved = cancelled.ApproximateNumberOfMessagesMoved ?? 0;
    expect(moved).toBeLessThan(8);
    expect((await drain(destination.url)).length).toBe(moved);
    expect(await visible(dlq.url)).toBe(8 - moved);
    await expect(
      sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: running.TaskHandle })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
  });

  it('answers bad move-task requests with AWS errors', async () => {
    const plain = await createQueue('not-a-dlq');
    const shared = await createQueue('shared-dlq');
    const redrive = JSON.stringify({ deadLetterTargetArn: shared.arn, maxReceiveCount: 5 });
    await createQueue('first-source', { RedrivePolicy: redrive });
    await createQueue('second-source', { RedrivePolicy: redrive });
    const missing = 'arn:aws:sqs:us-east-1:000000000000:does-not-exist';
    const start = (input: ConstructorParameters<typeof StartMessageMoveTaskCommand>[0]) =>
      sqs.send(new StartMessageMoveTaskCommand(input));

    await expect(start({ SourceArn: plain.arn })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Source queue must be configured as a Dead Letter Queue.',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(start({ SourceArn: missing })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(start({ SourceArn: shared.arn, DestinationArn: missing })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: "The resource that you specified for the DestinationArn parameter doesn't exist.",
    });
    await expect(
      start({ SourceArn: shared.arn, DestinationArn: plain.arn, MaxNumberOfMessagesPerSecond: 501 }),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    await expect(
      sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'not-a-handle' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Value for parameter TaskHandle is invalid.',
    });
    await expect(
      sqs.send(
        new ListDeadLetterSourceQueuesCommand({
          QueueUrl: `${core.endpoints.edge}/000000000000/does-not-exist`,
        }),
      ),
    ).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
    const { queueUrls } = await sqs.send(
      new ListDeadLetterSourceQueuesCommand({ QueueUrl: shared.url, MaxResults: 1 }),
    );
    expect(queueUrls).toEqual([`${core.endpoints.edge}/000000000000/first-source`]);
  });
});
