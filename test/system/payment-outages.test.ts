import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { resolveConfig, writeManualState } from '@breakwater/circuit-breaker';
import { DynamoDbCircuitStore } from '@breakwater/circuit-breaker/dynamodb';
import type { ReplayReport } from '@breakwater/dlq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayAdminClient } from '../../local/gateway';
import { PAYMENT_GATEWAY_CIRCUIT_ID } from '../../shared/payment-gateway/circuit';
import {
  chargesPerOrder,
  circuitItem,
  gatewayAttempts,
  placeOrders,
  queueDepth,
  statuses,
} from './support/payments';
import { connectToSystem, drainQueue, eventually, type System } from './support/system';

const run = promisify(execFile);
const cli = resolve(import.meta.dirname, '../../bin/breakwater-dlq.mjs');

const toolEnvironment = (system: System) => {
  const { awsEndpointUrl, region } = system.description;
  return {
    ...process.env,
    AWS_REGION: region,
    ...(awsEndpointUrl === undefined
      ? {}
      : { AWS_ENDPOINT_URL: awsEndpointUrl, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }),
  };
};

// One directory for the file's reports, removed after the file.
const reportDir = mkdtempSync(join(tmpdir(), 'dlq-report-'));
let reports = 0;
const reportFile = async () => join(reportDir, `report-${++reports}.json`);
afterAll(() => rm(reportDir, { recursive: true, force: true }));

/** Runs the DLQ tool as an operator would, against the system's endpoint, and returns its JSON report. */
const dlqTool = async (system: System, args: string[]): Promise<ReplayReport> => {
  const reportPath = await reportFile();
  await run(process.execPath, [cli, ...args, '--report', reportPath], { env: toolEnvironment(system) });
  return JSON.parse(await readFile(reportPath, 'utf8')) as ReplayReport;
};

/**
 * Starts the DLQ tool, waits for its own `started:` line (printed once Ctrl-C is wired: a slow start on a loaded
 * machine must not decide the outcome), presses Ctrl-C once `holding()` sees it hold the messages (received, not
 * yet sent), and returns its exit code and report.
 */
const interruptedDlqTool = async (system: System, args: string[], holding: () => Promise<boolean>) => {
  const reportPath = await reportFile();
  const child = spawn(process.execPath, [cli, ...args, '--report', reportPath], {
    env: toolEnvironment(system),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((done) =>
    child.once('exit', (code) => {
      exitCode = code;
      done(code);
    }),
  );
  await eventually('the DLQ tool to print its started line', async () => {
    if (exitCode !== undefined)
      throw new Error(`the DLQ tool exited (${exitCode}) before it started: ${stderr}`);
    return /^started: replay from /m.test(stderr) ? true : undefined;
  });
  await eventually('the DLQ tool to hold the messages', async () => {
    if (exitCode !== undefined) throw new Error(`the DLQ tool exited (${exitCode}) before it held them`);
    return (await holding()) ? true : undefined;
  });
  child.kill('SIGINT');
  const code = await exited;
  return { code, report: JSON.parse(await readFile(reportPath, 'utf8')) as ReplayReport };
};

// These tests break the payment gateway: they run where its admin API is known (always on the local cloud;
// on LocalStack or AWS when BREAKWATER_GATEWAY_ADMIN_URL names the fake gateway the deployed secret points at).
describe.runIf(
  !process.env.BREAKWATER_TARGET ||
    process.env.BREAKWATER_TARGET === 'local' ||
    process.env.BREAKWATER_GATEWAY_ADMIN_URL,
)('payment gateway outages', () => {
  let system: System;
  let gateway: GatewayAdminClient;
  let store: DynamoDbCircuitStore;
  const setCircuit = (target: 'CLOSED' | 'DISABLED', reason: string) =>
    writeManualState(store, PAYMENT_GATEWAY_CIRCUIT_ID, target, {
      reason,
      config: resolveConfig(),
      now: Date.now,
    });

  beforeAll(async () => {
    system = connectToSystem();
    if (system.gateway === undefined) throw new Error('these tests need the fake gateway admin API');
    gateway = system.gateway;
    store = new DynamoDbCircuitStore({
      client: system.dynamodb,
      tableName: system.output('BreakerTableName'),
    });
    await gateway.reset();
  });
  afterAll(async () => {
    await gateway?.endOutage();
    system.close();
  });

  it('opens the circuit: no gateway calls while open, nothing dead-lettered, closed after recovery, each order paid once', async () => {
    const before = await circuitItem(system);
    await gateway.startOutage();
    const orders = await placeOrders(system, 'breaker', 20);

    const opened = await eventually(
      'the circuit to open',
      async () => {
        const item = await circuitItem(system);
        return item.state === 'OPEN' && item.version > before.version ? item : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 200 },
    );
    expect(opened.reason).toMatch(/failure rate/);

    // While open (after a second for every container to see the trip), not one call reaches the gateway.
    await sleep(2_000);
    const attemptsWhileOpen = await gatewayAttempts(gateway);
    await sleep(Math.max(0, (opened.openUntil ?? Date.now()) - Date.now() - 2_000));
    expect(await gatewayAttempts(gateway)).toBe(attemptsWhileOpen);
    // Billing's messages are deferred on their queue, not burned into the DLQ.
    expect((await queueDepth(system, system.output('BillingDlqUrl'))).visible).toBe(0);
    expect((await queueDepth(system, system.output('BillingQueueUrl'))).inFlight).toBeGreaterThan(0);

    await gateway.endOutage();
    const closed = await eventually(
      'the circuit to close after its probes',
      async () => {
        const item = await circuitItem(system);
        return item.state === 'CLOSED' && item.version > opened.version ? item : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 500 },
    );
    expect(closed.reason).toMatch(/probes succeeded/);
    await eventually(
      'every order paid',
      async () => ((await statuses(system, orders)).every((status) => status === 'PAID') ? true : undefined),
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    expect(await chargesPerOrder(gateway, orders)).toEqual(orders.map(() => 1));
    expect((await queueDepth(system, system.output('BillingDlqUrl'))).visible).toBe(0);
  });

  it('with the circuit disabled, dead-letters billing after maxReceiveCount; a DLQ replay pays each order exactly once', async () => {
    const dlqUrl = system.output('BillingDlqUrl');
    await drainQueue(system, dlqUrl);
    await setCircuit('DISABLED', 'system test: every call goes to the gateway');
    try {
      await gateway.startOutage();
      const orders = await placeOrders(system, 'dlq', 3);
      await eventually(
        'three billing messages in the DLQ',
        async () => ((await queueDepth(system, dlqUrl)).visible >= 3 ? true : undefined),
        { timeoutMs: 120_000, intervalMs: 1_000 },
      );
      expect(await statuses(system, orders)).toEqual([
        'PENDING_PAYMENT',
        'PENDING_PAYMENT',
        'PENDING_PAYMENT',
      ]);
      expect(await chargesPerOrder(gateway, orders)).toEqual([0, 0, 0]);
      await gateway.endOutage();

      // A filtered dry run reports what would be replayed and changes nothing.
      const dryRun = await dlqTool(system, ['replay', dlqUrl, '--type', 'order.created', '--dry-run']);
      expect(dryRun.totals.wouldReplay).toBe(3);
      expect((await queueDepth(system, dlqUrl)).visible).toBe(3);

      // A copy (--keep) gets the orders paid and leaves the dead letters...
      const copy = await dlqTool(system, ['replay', dlqUrl, '--type', 'order.created', '--keep']);
      expect(copy.totals.replayed).toBe(3);
      expect(new Set(copy.messages.map((message) => message.destination))).toEqual(
        new Set([system.output('BillingQueueArn')]),
      );
      await eventually('every order paid', async () =>
        (await statuses(system, orders)).every((status) => status === 'PAID') ? true : undefined,
      );
      const attemptsAfterPayment = await gatewayAttempts(gateway);

      // ...then the same events again, moved: delivered twice in all, yet no second charge, not even a call. The
      // move is slowed to 1 message/s (the three wait about 2 s for their tokens, held), interrupted with Ctrl-C while
      // held, then resumed: together they move each once.
      const interrupted = await interruptedDlqTool(
        system,
        ['replay', dlqUrl, '--type', 'order.created', '--rate', '1'],
        async () => (await queueDepth(system, dlqUrl)).inFlight >= 3,
      );
      expect(interrupted.code).toBe(130);
      expect(interrupted.report.interrupted).toBe(true);
      expect(interrupted.report.totals.replayed).toBeLessThan(3);
      const resumed = await dlqTool(system, ['replay', dlqUrl, '--type', 'order.created']);
      expect(interrupted.report.totals.replayed + resumed.totals.replayed).toBe(3);
      expect(resumed.totals.failed).toBe(0);
      expect((await queueDepth(system, dlqUrl)).visible).toBe(0);
      await eventually('the billing queue to drain', async () => {
        const depth = await queueDepth(system, system.output('BillingQueueUrl'));
        return depth.visible + depth.inFlight === 0 ? true : undefined;
      });
      expect(await chargesPerOrder(gateway, orders)).toEqual([1, 1, 1]);
      expect(await gatewayAttempts(gateway)).toBe(attemptsAfterPayment);
    } finally {
      await setCircuit('CLOSED', 'system test done');
    }
  });
});
