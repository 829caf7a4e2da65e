import { setTimeout as sleep } from 'node:timers/promises';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultsClient } from '../../packages/local-cloud/src/faults/faults-client';
import { createEvent, EventTypes } from '../../shared/contracts';
import { connectToOperations, type Operations } from './support/alarms';
import { connectToSystem, drainQueue, type System } from './support/system';

const local = !process.env.BREAKWATER_TARGET || process.env.BREAKWATER_TARGET === 'local';
const CONSUMERS = ['billing', 'order-status', 'notifications'] as const;

/**
 * Consumers that throw, seen by their alarms on the local cloud (CloudWatch's clock at 60×): invoked with an event
 * that is not a queue batch, each consumer fails whole invocations; three minutes of them page (`<c>-errors`), and
 * more invocations at once than the function's concurrency are throttled (a notice, `<c>-throttles`); records that
 * fail on a dependency (the idempotency table, failed with the fault API) and are retried are a notice
 * (`<c>-records-failed`). When the failures stop, they clear.
 */
describe.runIf(local)('consumer failure alarms', () => {
  let system: System;
  let operations: Operations;
  let lambda: LambdaClient;
  beforeAll(() => {
    system = connectToSystem();
    operations = connectToOperations(system);
    const { region, awsEndpointUrl } = system.description;
    lambda = new LambdaClient({
      region,
      endpoint: awsEndpointUrl,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });
  afterAll(() => {
    lambda.destroy();
    operations.close();
    system.close();
  });

  it('a consumer throwing for three minutes pages, a burst beyond its concurrency is a throttle notice; both clear', async () => {
    const page = system.output('PageTopicArn');
    const notice = system.output('NoticeTopicArn');
    const alarms = await operations.alarms();
    const functionOf = (consumer: string) =>
      alarms.get(`${consumer}-errors`)?.Dimensions?.find((d) => d.Name === 'FunctionName')?.Value as string;
    for (const consumer of CONSUMERS) {
      await operations.waitForState(`${consumer}-errors`, 'OK');
      await operations.waitForState(`${consumer}-throttles`, 'OK');
    }
    const since = new Date().toISOString();
    const invokeBroken = (consumer: string) =>
      lambda.send(
        new InvokeCommand({
          FunctionName: functionOf(consumer),
          Payload: JSON.stringify({ not: 'a queue batch' }),
        }),
      );
    const first = await invokeBroken('billing');
    expect(first.FunctionError).toBe('Unhandled');

    // Four CloudWatch minutes of failing invocations, eight at a time per consumer (its concurrency is four).
    let failing = true;
    const failures = (async () => {
      while (failing) {
        await Promise.all(
          CONSUMERS.flatMap((consumer) => Array.from({ length: 8 }, () => invokeBroken(consumer))),
        );
        await sleep(100);
      }
    })();
    try {
      for (const consumer of CONSUMERS) {
        const errors = await operations.waitForState(`${consumer}-errors`, 'ALARM');
        expect(errors.AlarmActions).toEqual([page]);
        await operations.waitForNotification(page, `${consumer}-errors`, 'ALARM', since);
        const throttles = await operations.waitForState(`${consumer}-throttles`, 'ALARM');
        expect(throttles.AlarmActions).toEqual([notice]);
        await operations.waitForNotification(notice, `${consumer}-throttles`, 'ALARM', since);
      }
    } finally {
      failing = false;
      await failures;
    }

    const stopped = new Date().toISOString();
    for (const consumer of CONSUMERS) {
      await operations.waitForState(`${consumer}-errors`, 'OK');
      await operations.waitForNotification(page, `${consumer}-errors`, 'OK', stopped);
      await operations.waitForState(`${consumer}-throttles`, 'OK');
    }
  }, 180_000);

  it('records retried on a failing dependency are a notice for each consumer; they clear when it answers', async () => {
    const notice = system.output('NoticeTopicArn');
    const faults = new FaultsClient(`${system.description.awsEndpointUrl}/_breakwater/faults`);
    const consumers = ['order-status', 'notifications'] as const;
    for (const consumer of consumers) await operations.waitForState(`${consumer}-records-failed`, 'OK');
    const since = new Date().toISOString();
    const fault = await faults.add({
      service: 'dynamodb',
      resource: 'IdempotencyTable',
      kind: 'error',
      code: 'InternalServerError',
      status: 500,
    });
    try {
      // Valid events both consumers take; each record fails on the idempotency table and goes back to the queue.
      const entries = Array.from({ length: 10 }, (_, i) => {
        const event = createEvent({
          type: EventTypes.paymentFailed,
          data: {
            orderId: `records-failed-${since}-${i}`,
            amountCents: 100,
            currency: 'EUR',
            reason: 'declined',
          },
          correlationId: `records-failed-${i}`,
        });
        return {
          EventBusName: system.output('EventBusName'),
          Source: event.source,
          DetailType: event.type,
          Detail: JSON.stringify(event),
        };
      });
      await system.eventBridge.send(new PutEventsCommand({ Entries: entries }));
      for (const consumer of consumers) {
        const alarm = await operations.waitForState(`${consumer}-records-failed`, 'ALARM');
        expect(alarm.AlarmActions).toEqual([notice]);
        await operations.waitForNotification(notice, `${consumer}-records-failed`, 'ALARM', since);
      }
    } finally {
      await faults.remove(fault.id);
    }
    for (const consumer of consumers) await operations.waitForState(`${consumer}-records-failed`, 'OK');
    // Records that used up their receives meanwhile are in the DLQs: not this test's concern.
    for (const key of ['OrderStatusDlqUrl', 'NotificationsDlqUrl'])
      await drainQueue(system, system.output(key));
  }, 180_000);
});
