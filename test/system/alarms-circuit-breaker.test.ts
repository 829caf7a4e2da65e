import { setTimeout as sleep } from 'node:timers/promises';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayAdminClient } from '../../local/gateway';
import { PAYMENT_GATEWAY_CIRCUIT_ID } from '../../shared/payment-gateway/circuit';
import { connectToOperations, type Operations } from './support/alarms';
import { circuitItem, placeOrders, queueDepth, statuses } from './support/payments';
import { connectToSystem, eventually, type System } from './support/system';

const local = !process.env.BREAKWATER_TARGET || process.env.BREAKWATER_TARGET === 'local';

/**
 * Billing's breaker alarms and its queue's age, seen firing and clearing through a payment gateway outage on the local
 * cloud (CloudWatch's clock at 60×): a trip is a notice (`billing-breaker-not-closed`, OK when it closes), a circuit
 * held open through three 5-minute periods pages (`billing-breaker-held-open`), and the billing messages waiting out
 * the outage on their queue page as its age passes 15 minutes (`billing-queue-age`); the calls that failed before
 * the trip are retried records, a notice (`billing-records-failed`).
 */
describe.runIf(local)('circuit breaker alarms', () => {
  let system: System;
  let operations: Operations;
  let gateway: GatewayAdminClient;
  beforeAll(async () => {
    system = connectToSystem();
    operations = connectToOperations(system);
    if (system.gateway === undefined) throw new Error('these tests need the fake gateway admin API');
    gateway = system.gateway;
    await gateway.reset();
  });
  afterAll(async () => {
    await gateway?.endOutage();
    operations.close();
    system.close();
  });

  it('an outage trips the circuit (notice), holding it open pages, the waiting queue pages; recovery clears all three', async () => {
    const page = system.output('PageTopicArn');
    const notice = system.output('NoticeTopicArn');
    await operations.waitForState('billing-queue-age', 'OK');
    const since = new Date().toISOString();
    const before = await circuitItem(system);
    await gateway.startOutage();
    const orders = await placeOrders(system, 'alarm-breaker', 20);
    await eventually(
      'the circuit to open',
      async () => {
        const item = await circuitItem(system);
        return item.state === 'OPEN' && item.version > before.version ? item : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 200 },
    );

    const notClosed = await operations.waitForState('billing-breaker-not-closed', 'ALARM');
    expect(notClosed.AlarmActions).toEqual([notice]);
    await operations.waitForNotification(notice, 'billing-breaker-not-closed', 'ALARM', since);
    // The calls that failed before the trip were retried records: ten in five minutes are a notice.
    const recordsFailed = await operations.waitForState('billing-records-failed', 'ALARM');
    expect(recordsFailed.AlarmActions).toEqual([notice]);
    await operations.waitForNotification(notice, 'billing-records-failed', 'ALARM', since);
    const age = await operations.waitForState('billing-queue-age', 'ALARM', 90_000);
    expect(age.AlarmActions).toEqual([page]);
    await operations.waitForNotification(page, 'billing-queue-age', 'ALARM', since);
    expect((await queueDepth(system, system.output('BillingQueueUrl'))).inFlight).toBeGreaterThan(0);
    // Held open: the real breaker reports the circuit at each transition (a failed probe round: 30 s, then doubling
    // to 5 minutes), too sparse for three 5-minute periods at 60×. While the real circuit stays open, the fleet's
    // reports are played in their own shape (the breakers' EMF: namespace, `circuit` and `service`) once per
    // CloudWatch quarter-minute, so the alarm's own query, periods and 3-of-3 rule decide.
    const query =
      (await operations.alarms()).get('billing-breaker-held-open')?.Metrics?.[0]?.Expression ?? '';
    const namespace = /SCHEMA\("([^"]+)"/.exec(query)?.[1];
    expect(namespace).toBeDefined();
    let reporting = true;
    const reports = (async () => {
      while (reporting) {
        await operations.cloudWatch.send(
          new PutMetricDataCommand({
            Namespace: namespace,
            MetricData: [
              {
                MetricName: 'CircuitNotClosed',
                Dimensions: [
                  { Name: 'circuit', Value: PAYMENT_GATEWAY_CIRCUIT_ID },
                  { Name: 'service', Value: 'billing' },
                ],
                Value: 1,
                Unit: 'Count',
              },
            ],
          }),
        );
        await sleep(250);
      }
    })();
    try {
      const heldOpen = await operations.waitForState('billing-breaker-held-open', 'ALARM', 90_000);
      expect(heldOpen.AlarmActions).toEqual([page]);
      await operations.waitForNotification(page, 'billing-breaker-held-open', 'ALARM', since);
      expect((await circuitItem(system)).state).not.toBe('CLOSED');
    } finally {
      reporting = false;
      await reports;
    }

    const recovered = new Date().toISOString();
    await gateway.endOutage();
    await eventually(
      'every order paid',
      async () => ((await statuses(system, orders)).every((status) => status === 'PAID') ? true : undefined),
      { timeoutMs: 150_000, intervalMs: 1_000 },
    );
    for (const [name, topic] of [
      ['billing-breaker-not-closed', notice],
      ['billing-breaker-held-open', page],
      ['billing-queue-age', page],
    ] as const) {
      await operations.waitForState(name, 'OK', 90_000);
      await operations.waitForNotification(topic, name, 'OK', recovered);
    }
    await operations.waitForState('billing-records-failed', 'OK');
  }, 300_000);
});
