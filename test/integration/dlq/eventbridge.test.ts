import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { listDlqs, peekMessages, replayDlq, resolveQueue } from '@breakwater/dlq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalEventBridge, startLocalEventBridge } from '../../support/eventbridge-front';
import {
  createQueue,
  depthOf,
  drain,
  eventIdOf,
  type LocalSqs,
  orderCreatedBody,
  startLocalSqs,
} from './fixtures';

describe('EventBridge target DLQs with the EventBridge emulator (fauxqs for SQS)', () => {
  let local: LocalSqs;
  let bus: LocalEventBridge;
  let events: EventBridgeClient;

  beforeAll(async () => {
    local = await startLocalSqs();
    bus = await startLocalEventBridge(local.sqs);
    events = new EventBridgeClient({
      region: 'us-east-1',
      endpoint: bus.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });
  afterAll(async () => {
    events.destroy();
    await bus.stop();
    await local.stop();
  });

  /** A rule on bus `breakwater` whose SQS target does not exist yet, so EventBridge dead-letters the event. */
  const failDelivery = async (
    name: string,
  ): Promise<{ body: string; targetName: string; dlqName: string }> => {
    const dlq = await createQueue(
      local.sqs,
      `${name}-target-dlq`,
      {},
      { 'breakwater:role': 'dlq', 'breakwater:dlq-kind': 'rule-target' },
    );
    const targetName = `${name}-queue`;
    await events.send(new CreateEventBusCommand({ Name: 'breakwater' })).catch(() => undefined);
    await events.send(
      new PutRuleCommand({
        Name: `${name}-rule`,
        EventBusName: 'breakwater',
        EventPattern: JSON.stringify({
          'detail-type': ['order.created'],
          detail: { data: { customerId: [name] } },
        }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: `${name}-rule`,
        EventBusName: 'breakwater',
        Targets: [
          {
            Id: 'queue',
            Arn: `arn:aws:sqs:us-east-1:000000000000:${targetName}`,
            DeadLetterConfig: { Arn: dlq.arn },
            RetryPolicy: { MaximumRetryAttempts: 0 },
          },
        ],
      }),
    );
    const event = JSON.parse(orderCreatedBody()) as {
      source: string;
      'detail-type': string;
      detail: { data: { customerId: string } };
    };
    event.detail.data.customerId = name;
    await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'breakwater',
            Source: event.source,
            DetailType: event['detail-type'],
            Detail: JSON.stringify(event.detail),
          },
        ],
      }),
    );
    await bus.service.whenIdle();
    return { body: JSON.stringify(event), targetName, dlqName: dlq.name };
  };

  it('an event EventBridge could not deliver lands in the target DLQ and is replayed to its SQS target', async () => {
    const { body, targetName, dlqName } = await failDelivery('redeliver');
    const [peeked] = await peekMessages(local.sqs, await resolveQueue(local.sqs, dlqName));
    expect(peeked).toMatchObject({
      eventId: eventIdOf(body),
      eventType: 'order.created',
      errorCode: 'NO_RESOURCE',
      malformed: undefined,
    });
    // The CDK app tags these DLQs `breakwater:dlq-kind=rule-target`.
    expect(await listDlqs(local.sqs, { namePattern: dlqName, peek: false })).toMatchObject([
      { kind: 'eventbridge-target', depth: 1 },
    ]);

    const target = await createQueue(local.sqs, targetName);
    const report = await replayDlq({ sqs: local.sqs }, dlqName);

    expect(report.totals).toMatchObject({ replayed: 1, failed: 0 });
    expect(report.messages[0]?.destination).toBe(target.arn);
    const [delivered] = await drain(local.sqs, target);
    expect(eventIdOf(delivered?.Body ?? '')).toBe(eventIdOf(body));
    expect(delivered?.MessageAttributes).toBeUndefined();
    expect((await depthOf(local.sqs, await resolveQueue(local.sqs, dlqName))).visible).toBe(0);
  });

  it('--via-bus re-puts the original event on its bus, where the rule delivers it again', async () => {
    const { body, targetName, dlqName } = await failDelivery('rebus');
    const target = await createQueue(local.sqs, targetName);

    const report = await replayDlq({ sqs: local.sqs, eventBridge: events }, dlqName, { viaBus: true });
    await bus.service.whenIdle();

    expect(report.totals).toMatchObject({ replayed: 1, failed: 0 });
    expect(report.messages[0]?.destination).toBe('bus:breakwater');
    const [delivered] = await drain(local.sqs, target);
    const event = JSON.parse(delivered?.Body ?? '{}') as {
      source: string;
      'detail-type': string;
      detail: unknown;
    };
    expect(event).toMatchObject({ source: 'breakwater.orders', 'detail-type': 'order.created' });
    expect(event.detail).toEqual((JSON.parse(body) as { detail: unknown }).detail);
  });
});
