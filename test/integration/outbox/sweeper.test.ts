import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepOutbox } from '../../../functions/outbox-sweeper/core';
import {
  type DynamoDbLocal,
  startDynamoDbLocal,
} from '../../../packages/local-cloud/src/dynamodb/dynamodb-local';
import { type SqsServer, startSqsServer } from '../../../packages/local-cloud/src/sqs';
import { EventPublisher } from '../../../shared/events/publisher';
import { DynamoDbOutboxStore, toOutboxItem } from '../../../shared/outbox';
import { createAppTable } from '../../support/app-tables';
import { type LocalEventBridge, startLocalEventBridge } from '../../support/eventbridge-front';
import { orderCreatedEvent } from '../../support/events';
import { RecordingLog } from '../../support/recording-log';

// The sweeper's use-case against real engines: DynamoDB Local holds the outbox table, the project's EventBridge
// emulator (behind the tiny HTTP front of the DLQ tests) routes to a rule whose target is a queue of the local SQS engine.
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const region = 'us-east-1';
const TABLE = 'outbox';

describe('outbox sweeper (DynamoDB Local, EventBridge emulator, the local SQS engine)', () => {
  let dynamo: DynamoDbLocal;
  let engine: SqsServer;
  let sqs: SQSClient;
  let bus: LocalEventBridge;
  let events: EventBridgeClient;
  let documents: DynamoDBDocumentClient;
  let queueUrl: string;

  beforeAll(async () => {
    [dynamo, engine] = await Promise.all([startDynamoDbLocal(), startSqsServer()]);
    sqs = new SQSClient({ region, endpoint: engine.endpoint, credentials, useQueueUrlAsEndpoint: false });
    bus = await startLocalEventBridge(sqs);
    events = new EventBridgeClient({ region, endpoint: bus.endpoint, credentials });
    const dynamoClient = new DynamoDBClient({ region, endpoint: dynamo.endpoint, credentials });
    documents = DynamoDBDocumentClient.from(dynamoClient);
    await createAppTable(dynamoClient, { stack: 'orders', constructId: 'OutboxTable', tableName: TABLE });
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'order-created' }))).QueueUrl ?? '';
    const queueArn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
    ).Attributes?.QueueArn;
    // The app's rules live on the default bus in this test: the sweeper publishes to whichever bus it is given.
    await events.send(
      new PutRuleCommand({
        Name: 'order-created',
        EventPattern: JSON.stringify({ source: ['breakwater.orders'], 'detail-type': ['order.created'] }),
      }),
    );
    await events.send(
      new PutTargetsCommand({ Rule: 'order-created', Targets: [{ Id: 'queue', Arn: queueArn }] }),
    );
  }, 60_000);

  afterAll(async () => {
    events?.destroy();
    documents?.destroy();
    await bus?.stop();
    sqs?.destroy();
    await engine?.stop();
    await dynamo?.stop();
  });

  const receiveEventIds = async (): Promise<string[]> => {
    const ids: string[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const out = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      for (const message of out.Messages ?? []) {
        ids.push((JSON.parse(message.Body ?? '{}') as { detail: { id: string } }).detail.id);
      }
      if (ids.length > 0 && (out.Messages ?? []).length === 0) break;
    }
    return ids;
  };

  const exists = async (eventId: string): Promise<boolean> =>
    (await documents.send(new GetCommand({ TableName: TABLE, Key: { pk: eventId }, ConsistentRead: true })))
      .Item !== undefined;

  it('publishes a stranded item to the rule target and deletes it, leaving a fresh item alone', async () => {
    const now = new Date();
    const stranded = orderCreatedEvent({ occurredAt: new Date(now.getTime() - 10 * 60_000) });
    const fresh = orderCreatedEvent({ occurredAt: new Date(now.getTime() - 30_000) });
    for (const event of [stranded, fresh]) {
      await documents.send(new PutCommand({ TableName: TABLE, Item: { ...toOutboxItem(event) } }));
    }

    const report = await sweepOutbox(
      {
        outbox: new DynamoDbOutboxStore(documents, TABLE),
        publisher: new EventPublisher({ client: events, eventBusName: 'default' }),
        log: new RecordingLog(),
        now: () => now,
      },
      { graceSeconds: 300, maxItems: 100, safetyMarginMs: 1_000 },
      () => 60_000,
    );

    expect(report).toEqual({
      stranded: 1,
      published: 1,
      deleted: 1,
      alreadyGone: 0,
      failed: 0,
      stoppedBy: 'table-read',
    });
    expect(await receiveEventIds()).toEqual([stranded.id]);
    expect(await exists(stranded.id)).toBe(false);
    expect(await exists(fresh.id)).toBe(true);
  });
});
