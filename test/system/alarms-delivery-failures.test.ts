import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultsClient } from '../../packages/local-cloud/src/faults/faults-client';
import { connectToOperations, type Operations } from './support/alarms';
import { connectToSystem, drainQueue, type System } from './support/system';

const local = !process.env.BREAKWATER_TARGET || process.env.BREAKWATER_TARGET === 'local';
/** Each consumer, its stack-output name and an event its rule matches. */
const CONSUMERS = [
  { name: 'billing', key: 'Billing', source: 'breakwater.orders', type: 'order.created' },
  { name: 'order-status', key: 'OrderStatus', source: 'breakwater.billing', type: 'payment.failed' },
  { name: 'notifications', key: 'Notifications', source: 'breakwater.billing', type: 'payment.succeeded' },
] as const;
const MISSING_QUEUE = {
  kind: 'error',
  code: 'QueueDoesNotExist',
  message: 'The specified queue does not exist.',
} as const;

/**
 * Deliveries that fail, seen by their alarms on the local cloud (CloudWatch's clock at 60×, failures injected with the
 * fault API): a rule whose target queue refuses events sends them to the target DLQ (`<c>-rule-failed-invocations`, a
 * notice); when that DLQ refuses them too they are lost (`<c>-rule-dlq-failures`, a page); a consumer that cannot
 * send a hopeless record to its DLQ (`<c>-records-rejected`, a page). Ending the faults clears them.
 */
describe.runIf(local)('delivery failure alarms', () => {
  let system: System;
  let operations: Operations;
  let faults: FaultsClient;
  const added: string[] = [];
  beforeAll(() => {
    system = connectToSystem();
    operations = connectToOperations(system);
    faults = new FaultsClient(`${system.description.awsEndpointUrl}/_breakwater/faults`);
  });
  afterAll(async () => {
    for (const id of added.splice(0)) await faults.remove(id).catch(() => undefined);
    operations.close();
    system.close();
  });

  const fail = async (resource: string) => {
    const rule = await faults.add({ service: 'sqs', action: 'SendMessage', resource, ...MISSING_QUEUE });
    added.push(rule.id);
  };
  const endFaults = async () => {
    for (const id of added.splice(0)) await faults.remove(id);
  };
  const queueName = (url: string) => url.split('/').at(-1) ?? url;
  const publishAll = () =>
    system.eventBridge.send(
      new PutEventsCommand({
        Entries: CONSUMERS.map(({ source, type }) => ({
          EventBusName: system.output('EventBusName'),
          Source: source,
          DetailType: type,
          Detail: JSON.stringify({ marker: `delivery-failures-${Date.now()}` }),
        })),
      }),
    );

  it('a target queue refusing events is a notice, its DLQ refusing them too pages; both clear', async () => {
    const page = system.output('PageTopicArn');
    const notice = system.output('NoticeTopicArn');
    for (const { name } of CONSUMERS) {
      await operations.waitForState(`${name}-rule-failed-invocations`, 'OK');
      await operations.waitForState(`${name}-rule-dlq-failures`, 'OK');
    }
    const since = new Date().toISOString();
    for (const { key } of CONSUMERS) await fail(queueName(system.output(`${key}QueueUrl`)));
    await publishAll();
    for (const { name } of CONSUMERS) {
      const alarm = await operations.waitForState(`${name}-rule-failed-invocations`, 'ALARM');
      expect(alarm.AlarmActions).toEqual([notice]);
      await operations.waitForNotification(notice, `${name}-rule-failed-invocations`, 'ALARM', since);
    }
    for (const { key } of CONSUMERS) await fail(queueName(system.output(`${key}TargetDlqUrl`)));
    await publishAll();
    for (const { name } of CONSUMERS) {
      const alarm = await operations.waitForState(`${name}-rule-dlq-failures`, 'ALARM');
      expect(alarm.AlarmActions).toEqual([page]);
      await operations.waitForNotification(page, `${name}-rule-dlq-failures`, 'ALARM', since);
    }

    const ended = new Date().toISOString();
    await endFaults();
    for (const { key } of CONSUMERS) await drainQueue(system, system.output(`${key}TargetDlqUrl`));
    for (const { name } of CONSUMERS) {
      await operations.waitForState(`${name}-rule-failed-invocations`, 'OK');
      const lost = await operations.waitForState(`${name}-rule-dlq-failures`, 'OK');
      for (const topic of lost.OKActions ?? [])
        await operations.waitForNotification(topic, `${name}-rule-dlq-failures`, 'OK', ended);
    }
  }, 180_000);

  it('a consumer that cannot dead-letter a hopeless record pages; it clears once its DLQ takes records again', async () => {
    const page = system.output('PageTopicArn');
    for (const { name } of CONSUMERS) await operations.waitForState(`${name}-records-rejected`, 'OK');
    const since = new Date().toISOString();
    for (const { key } of CONSUMERS) await fail(queueName(system.output(`${key}DlqUrl`)));
    // Not an event at all: it can never succeed, so each consumer sends it to its DLQ at once — which refuses it.
    await Promise.all(
      CONSUMERS.map(({ key }) =>
        system.sqs.send(
          new SendMessageCommand({
            QueueUrl: system.output(`${key}QueueUrl`),
            MessageBody: `hopeless ${since}`,
          }),
        ),
      ),
    );
    for (const { name } of CONSUMERS) {
      const alarm = await operations.waitForState(`${name}-records-rejected`, 'ALARM');
      expect(alarm.AlarmActions).toEqual([page]);
      await operations.waitForNotification(page, `${name}-records-rejected`, 'ALARM', since);
    }

    const ended = new Date().toISOString();
    await endFaults();
    for (const { name, key } of CONSUMERS) {
      const alarm = await operations.waitForState(`${name}-records-rejected`, 'OK', 90_000);
      for (const topic of alarm.OKActions ?? [])
        await operations.waitForNotification(topic, `${name}-records-rejected`, 'OK', ended);
      await drainQueue(system, system.output(`${key}DlqUrl`));
    }
  }, 180_000);
});
