import { setTimeout as sleep } from 'node:timers/promises';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultsClient } from '../../packages/local-cloud/src/faults/faults-client';
import { connectToOperations, type Operations } from './support/alarms';
import { connectToSystem, drainQueue, type System } from './support/system';

const local = !process.env.BREAKWATER_TARGET || process.env.BREAKWATER_TARGET === 'local';

/**
 * Dependencies that fail, seen by their alarms on the local cloud (CloudWatch's clock at 60×, failures injected with
 * the fault API): the orders table failing makes the API answer 5xx (`orders-api-5xx-rate`, a page); the breaker
 * table failing leaves billing's containers on their own (`billing-breaker-store-errors`, a notice); a consumer
 * whose queue cannot be read falls behind (`<c>-queue-age`, a page). Each clears when its fault ends.
 */
describe.runIf(local)('dependency failure alarms', () => {
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

  const inject = async (service: 'dynamodb' | 'sqs', resource: string, action = '*') => {
    const rule = await faults.add({
      service,
      action,
      resource,
      kind: 'error',
      code: 'InternalServerError',
      status: 500,
    });
    added.push(rule.id);
  };
  const endFaults = async () => {
    for (const id of added.splice(0)) await faults.remove(id);
  };
  /**
   * Places orders, `parallel` at a time every 300 ms, until `done()`; returns the HTTP statuses seen. Bursts start
   * several billing containers, as traffic does: each reports the state store's failure at its own syncs.
   */
  const orderUntil = async (done: () => boolean, prefix: string, parallel = 1): Promise<number[]> => {
    const statuses: number[] = [];
    for (let i = 0; !done(); i += 1) {
      const answers = await Promise.all(
        Array.from({ length: parallel }, (_, j) =>
          system.api.post('/orders', {
            customerId: `${prefix}-${i}-${j}`,
            currency: 'EUR',
            items: [{ sku: `sku-${prefix}`, quantity: 1, unitPriceCents: 1000 }],
          }),
        ),
      );
      statuses.push(...answers.map((answer) => answer.status));
      await sleep(300);
    }
    return statuses;
  };
  /** Waits for `wait` while orders keep coming; returns its value and the API's statuses meanwhile. */
  const whileOrdering = async <T>(
    wait: Promise<T>,
    prefix: string,
  ): Promise<{ value: T; statuses: number[] }> => {
    let finished = false;
    const orders = orderUntil(() => finished, prefix);
    try {
      const value = await wait;
      finished = true;
      return { value, statuses: await orders };
    } finally {
      finished = true;
      await orders.catch(() => undefined);
    }
  };

  it('the orders table failing makes the API answer 5xx: the 5xx rate pages, and clears when it recovers', async () => {
    const page = system.output('PageTopicArn');
    await operations.waitForState('orders-api-5xx-rate', 'OK', 120_000);
    const since = new Date().toISOString();
    await inject('dynamodb', system.output('OrdersTableName'));
    const { value: alarm, statuses } = await whileOrdering(
      operations.waitForState('orders-api-5xx-rate', 'ALARM'),
      'api-5xx',
    );
    expect(alarm.AlarmActions).toEqual([page]);
    await operations.waitForNotification(page, 'orders-api-5xx-rate', 'ALARM', since);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((status) => status >= 500)).toBe(true);

    const recovered = new Date().toISOString();
    await endFaults();
    const ok = await operations.waitForState('orders-api-5xx-rate', 'OK');
    for (const topic of ok.OKActions ?? [])
      await operations.waitForNotification(topic, 'orders-api-5xx-rate', 'OK', recovered);
  }, 120_000);

  it("the breaker table failing is a notice while billing's containers decide alone; it clears when the table answers", async () => {
    const notice = system.output('NoticeTopicArn');
    await operations.waitForState('billing-breaker-store-errors', 'OK');
    const since = new Date().toISOString();
    await inject('dynamodb', system.output('BreakerTableName'));
    const { value: alarm } = await whileOrdering(
      operations.waitForState('billing-breaker-store-errors', 'ALARM'),
      'store-errors',
    );
    expect(alarm.AlarmActions).toEqual([notice]);
    await operations.waitForNotification(notice, 'billing-breaker-store-errors', 'ALARM', since);
    await endFaults();
    await operations.waitForState('billing-breaker-store-errors', 'OK');
    await operations.waitForState('billing-queue-age', 'OK', 120_000);
  }, 240_000);

  it('a consumer whose queue cannot be read falls behind: its queue age pages, and clears once it reads again', async () => {
    const page = system.output('PageTopicArn');
    const consumers = [
      ['order-status', 'OrderStatusQueueUrl'],
      ['notifications', 'NotificationsQueueUrl'],
    ] as const;
    for (const [name] of consumers) await operations.waitForState(`${name}-queue-age`, 'OK', 120_000);
    const since = new Date().toISOString();
    for (const [, key] of consumers)
      await inject('sqs', system.output(key).split('/').at(-1) ?? '', 'ReceiveMessage');
    // Long polls already waiting (up to 20 s) are not refused: once they have ended, no receive gets through.
    await sleep(21_000);
    // A message waits on each queue; its consumer's poller cannot receive it.
    await Promise.all(
      consumers.map(([, key]) =>
        system.sqs.send(
          new SendMessageCommand({ QueueUrl: system.output(key), MessageBody: `waiting since ${since}` }),
        ),
      ),
    );
    for (const [name] of consumers) {
      const alarm = await operations.waitForState(`${name}-queue-age`, 'ALARM', 90_000);
      expect(alarm.AlarmActions).toEqual([page]);
      await operations.waitForNotification(page, `${name}-queue-age`, 'ALARM', since);
    }
    const recovered = new Date().toISOString();
    await endFaults();
    for (const [name, key] of consumers) {
      const ok = await operations.waitForState(`${name}-queue-age`, 'OK', 90_000);
      // The message was not an event: the consumer dead-lettered it once it could read it.
      await drainQueue(system, system.output(key.replace('QueueUrl', 'DlqUrl')));
      for (const topic of ok.OKActions ?? [])
        await operations.waitForNotification(topic, `${name}-queue-age`, 'OK', recovered);
    }
  }, 180_000);
});
