import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  CancelMessageMoveTaskCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import {
  GetParameterCommand,
  GetParametersByPathCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreServices, startCoreServices } from '../../../local/edge/core-services';

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

const waitFor = async <T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
};

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

describe('SQS through the edge', () => {
  it('hands out queue URLs on the edge, so a client configured by AWS_ENDPOINT_URL alone works', async () => {
    const previous = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = core.endpoints.edge;
    // No endpoint option: the SDK takes AWS_ENDPOINT_URL, then sends each call to the origin of its QueueUrl.
    const plain = new SQSClient({ region: 'us-east-1', credentials });
    try {
      const { QueueUrl } = await plain.send(new CreateQueueCommand({ QueueName: 'env-configured' }));
      expect(QueueUrl).toBe(`${core.endpoints.edge}/000000000000/env-configured`);
      await plain.send(
        new SendMessageCommand({
          QueueUrl,
          MessageBody: '{"hello":"edge"}',
          MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' } },
        }),
      );
      const { Messages = [] } = await plain.send(
        new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'] }),
      );
      expect(Messages).toHaveLength(1);
      expect(Messages[0]).toMatchObject({
        Body: '{"hello":"edge"}',
        MessageAttributes: { kind: { StringValue: 'greeting' } },
      });
      await plain.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages[0]?.ReceiptHandle }));
    } finally {
      plain.destroy();
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = previous;
    }
  });

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
    await waitFor(async () => {
      await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
      );
      return (await visible(dlq.url)) === 3 ? true : undefined;
    }, 'three messages in the DLQ');
    expect(await visible(source.url)).toBe(0);

    const { queueUrls } = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.url }));
    expect(queueUrls).toEqual([source.url]);

    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    expect(TaskHandle).toBeTruthy();
    const done = await waitFor(async () => {
      const task = await latestTask(dlq.arn);
      return task.Status === 'COMPLETED' ? task : undefined;
    }, 'the move task to complete');
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

    const progressed = await waitFor(async () => {
      const task = await latestTask(dlq.arn);
      return (task.ApproximateNumberOfMessagesMoved ?? 0) >= 2 ? task : undefined;
    }, 'some progress');
    expect(progressed.Status).toBe('RUNNING');
    const cancel = await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: running.TaskHandle }));
    expect(cancel.ApproximateNumberOfMessagesMoved).toBeGreaterThanOrEqual(2);
    const cancelled = await waitFor(async () => {
      const task = await latestTask(dlq.arn);
      return task.Status === 'CANCELLED' ? task : undefined;
    }, 'the cancellation');
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
    // Two sources and no destination: the original source of each message is not known.
    await expect(start({ SourceArn: shared.arn })).rejects.toMatchObject({ name: 'InvalidParameterValue' });
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

describe('DynamoDB through the edge', () => {
  it('creates a table with a stream, puts, gets and scans items', async () => {
    const dynamodb = new DynamoDBClient(config());
    const streams = new DynamoDBStreamsClient(config());
    try {
      await dynamodb.send(
        new CreateTableCommand({
          TableName: 'orders',
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
        }),
      );
      await dynamodb.send(
        new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'o-1' }, status: { S: 'PAID' } } }),
      );
      const { Item } = await dynamodb.send(
        new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'o-1' } } }),
      );
      expect(Item).toEqual({ pk: { S: 'o-1' }, status: { S: 'PAID' } });
      const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: 'orders' }));
      expect(Items).toHaveLength(1);
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: 'orders' }));
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({ StreamArn: Table?.LatestStreamArn }),
      );
      expect(StreamDescription?.StreamViewType).toBe('NEW_IMAGE');
    } finally {
      dynamodb.destroy();
      streams.destroy();
    }
  });
});

describe('Secrets Manager and SSM through the edge', () => {
  it('stores and reads a secret and parameters', async () => {
    const secrets = new SecretsManagerClient(config());
    const ssm = new SSMClient(config());
    try {
      await secrets.send(
        new CreateSecretCommand({ Name: 'breakwater/redis', SecretString: '{"url":"http://r","token":"t"}' }),
      );
      const secret = await secrets.send(new GetSecretValueCommand({ SecretId: 'breakwater/redis' }));
      expect(JSON.parse(secret.SecretString ?? '{}')).toEqual({ url: 'http://r', token: 't' });
      await expect(secrets.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
      await ssm.send(
        new PutParameterCommand({ Name: '/breakwater/api-key', Value: 'k-1', Type: 'SecureString' }),
      );
      await ssm.send(new PutParameterCommand({ Name: '/breakwater/stage', Value: 'local', Type: 'String' }));
      const { Parameter } = await ssm.send(
        new GetParameterCommand({ Name: '/breakwater/api-key', WithDecryption: true }),
      );
      expect(Parameter?.Value).toBe('k-1');
      const { Parameters = [] } = await ssm.send(new GetParametersByPathCommand({ Path: '/breakwater' }));
      expect(Parameters.map((p) => p.Name)).toEqual(['/breakwater/api-key', '/breakwater/stage']);
      await expect(ssm.send(new GetParameterCommand({ Name: '/nope' }))).rejects.toMatchObject({
        name: 'ParameterNotFound',
      });
    } finally {
      secrets.destroy();
      ssm.destroy();
    }
  });
});

describe('AWS-shaped errors at the edge', () => {
  const post = (target: string, body: string, contentType = 'application/x-amz-json-1.1') =>
    fetch(`${core.endpoints.edge}/`, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-amz-target': target },
      body,
    });

  it('answers malformed JSON with SerializationException, for our services and for SQS', async () => {
    for (const [target, type] of [
      ['secretsmanager.GetSecretValue', 'application/x-amz-json-1.1'],
      ['AmazonSSM.GetParameter', 'application/x-amz-json-1.1'],
      ['AmazonSQS.SendMessage', 'application/x-amz-json-1.0'],
    ] as const) {
      const response = await post(target, '{"SecretId":', type);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ __type: 'SerializationException' });
    }
  });

  it('answers unknown actions and services, and missing parameters', async () => {
    const unknownAction = await post('secretsmanager.MakeCoffee', '{}');
    expect(unknownAction.status).toBe(400);
    expect(await unknownAction.json()).toMatchObject({ __type: 'UnknownOperationException' });
    const unknownService = await post('Kinesis_20131202.PutRecord', '{}');
    expect(unknownService.status).toBe(400);
    expect(await unknownService.json()).toMatchObject({ __type: 'UnknownOperationException' });
    const missing = await post('secretsmanager.GetSecretValue', '{}');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ __type: 'ValidationException' });
    const missingQueue = await post('AmazonSQS.StartMessageMoveTask', '{}', 'application/x-amz-json-1.0');
    expect(missingQueue.status).toBe(400);
    expect(missingQueue.headers.get('x-amzn-query-error')).toBe('MissingParameter;Sender');
    const query = await fetch(`${core.endpoints.edge}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=LaunchRockets',
    });
    expect(query.status).toBe(400);
    expect(await query.text()).toContain('<Code>InvalidAction</Code>');
  });

  it('stays up and reports every backend healthy', async () => {
    const response = await fetch(`${core.endpoints.edge}/_breakwater/health`);
    expect(response.status).toBe(200);
    const health = (await response.json()) as {
      status: string;
      backends: { name: string; healthy: boolean }[];
    };
    expect(health.status).toBe('ok');
    expect(health.backends.map((b) => b.name).sort()).toEqual([
      'dynamodb',
      'secretsmanager',
      'sns',
      'sqs',
      'ssm',
    ]);
  });
});
