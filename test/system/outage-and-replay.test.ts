import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { GetQueueAttributesCommand, PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayAdminClient } from '../../local/gateway';
import type { ReplayReport } from '../../shared/dlq';
import { connectToSystem, eventually, type System } from './support/system';

const run = promisify(execFile);
const cli = resolve(import.meta.dirname, '../../bin/breakwater-dlq.mjs');

interface Order {
  orderId: string;
  status: string;
}

const visibleMessages = async (system: System, queueUrl: string): Promise<number> => {
  const { Attributes = {} } = await system.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages ?? 0);
};

/** Runs the DLQ tool as an operator would, against the system's endpoint, and returns its JSON report. */
const dlqTool = async (system: System, args: string[]): Promise<ReplayReport> => {
  const directory = await mkdtemp(join(tmpdir(), 'dlq-report-'));
  const reportPath = join(directory, 'report.json');
  await run(process.execPath, [cli, ...args, '--report', reportPath], {
    env: {
      ...process.env,
      AWS_REGION: system.description.region,
      ...(system.description.awsEndpointUrl === undefined
        ? {}
        : {
            AWS_ENDPOINT_URL: system.description.awsEndpointUrl,
            AWS_ACCESS_KEY_ID: 'test',
            AWS_SECRET_ACCESS_KEY: 'test',
          }),
    },
  });
  return JSON.parse(await readFile(reportPath, 'utf8')) as ReplayReport;
};

const chargesFor = async (gateway: GatewayAdminClient, orderId: string) =>
  (await gateway.ledger()).filter((entry) => entry.charge?.reference === orderId);

// Needs control over the payment gateway: the local cloud's fake, or one you run for LocalStack/AWS
// (BREAKWATER_GATEWAY_ADMIN_URL).
describe.runIf(process.env.BREAKWATER_TARGET === undefined || process.env.BREAKWATER_GATEWAY_ADMIN_URL)(
  'a payment gateway outage, then a DLQ replay',
  () => {
    let system: System;
    let gateway: GatewayAdminClient;
    beforeAll(async () => {
      system = connectToSystem();
      if (system.gateway === undefined) throw new Error('this suite needs the fake gateway admin API');
      gateway = system.gateway;
      await system.sqs
        .send(new PurgeQueueCommand({ QueueUrl: system.output('BillingDlqUrl') }))
        .catch(() => undefined);
    });
    afterAll(async () => {
      await gateway?.endOutage();
      system.close();
    });

    it('retries billing, dead-letters it, and a replay pays every order exactly once', async () => {
      const dlqUrl = system.output('BillingDlqUrl');
      await gateway.startOutage();
      const orders: Order[] = [];
      for (let i = 0; i < 3; i += 1) {
        const answer = await system.api.post('/orders', {
          customerId: `customer-outage-${i}`,
          currency: 'EUR',
          items: [{ sku: 'sku-outage', quantity: 1, unitPriceCents: 1000 + i }],
        });
        expect(answer.status).toBe(201);
        orders.push(answer.body as Order);
      }

      // Each order.created is tried maxReceiveCount times (with back-off), then moved to the billing DLQ.
      await eventually(
        'three billing messages in the DLQ',
        async () => ((await visibleMessages(system, dlqUrl)) >= 3 ? true : undefined),
        { timeoutMs: 120_000, intervalMs: 1_000 },
      );
      for (const order of orders) {
        expect(((await system.api.get(`/orders/${order.orderId}`)).body as Order).status).toBe(
          'PENDING_PAYMENT',
        );
        const [entry] = await chargesFor(gateway, order.orderId);
        expect(entry).toBeUndefined();
      }
      const attempts = (await gateway.ledger()).filter((entry) =>
        orders.some((order) => entry.idempotencyKey === `charge:${order.orderId}`),
      );
      expect(attempts.map((entry) => entry.attempts)).toEqual([5, 5, 5]);

      await gateway.endOutage();

      // A filtered dry run reports what would be replayed and changes nothing.
      const dryRun = await dlqTool(system, ['replay', dlqUrl, '--type', 'order.created', '--dry-run']);
      expect(dryRun.totals.wouldReplay).toBe(3);
      expect(dryRun.totals.replayed).toBe(0);
      expect(await visibleMessages(system, dlqUrl)).toBe(3);

      // First a copy (--keep): the orders get paid and the dead letters stay.
      const copy = await dlqTool(system, ['replay', dlqUrl, '--type', 'order.created', '--keep']);
      expect(copy.totals.replayed).toBe(3);
      expect(new Set(copy.messages.map((message) => message.destination))).toEqual(
        new Set([system.output('BillingQueueArn')]),
      );
      for (const order of orders) {
        await eventually(`order ${order.orderId} paid`, async () =>
          ((await system.api.get(`/orders/${order.orderId}`)).body as Order).status === 'PAID'
            ? true
            : undefined,
        );
      }
      const attemptsAfterPayment = await Promise.all(
        orders.map(async (order) => chargesFor(gateway, order.orderId)),
      );
      expect(attemptsAfterPayment.map((entries) => entries.length)).toEqual([1, 1, 1]);

      // Then the same events again, moved this time: delivered twice in all, yet no second effect.
      const move = await dlqTool(system, ['replay', dlqUrl, '--type', 'order.created']);
      expect(move.totals.replayed).toBe(3);
      expect(move.totals.failed).toBe(0);
      expect(await visibleMessages(system, dlqUrl)).toBe(0);
      await eventually('the billing queue to drain', async () =>
        (await visibleMessages(system, system.output('BillingQueueUrl'))) === 0 ? true : undefined,
      );
      await new Promise((done) => setTimeout(done, 2_000));
      for (const [index, order] of orders.entries()) {
        const charges = await chargesFor(gateway, order.orderId);
        expect(charges).toHaveLength(1);
        // Idempotent on the domain event id: the second delivery never reached the gateway.
        expect(charges[0]?.attempts).toBe(attemptsAfterPayment[index]?.[0]?.attempts);
      }
    });
  },
);
