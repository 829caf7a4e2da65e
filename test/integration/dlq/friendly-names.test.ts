import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { QueueRef } from '@breakwater/dlq';
import { type CliIo, ExitCodes, runCli } from '@breakwater/dlq/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breakwaterDlqOptions } from '../../../shared/operator-cli/dlq-cli';
import { createQueue, type LocalSqs, orderCreatedBody, runDlqBin, seed, startLocalSqs } from './fixtures';

/**
 * Queues answer to the names the README uses: stack-output names (`BillingDlq`, `billing-dlq`, `billing` for a
 * consumer's queue) and the `breakwater:source` tag, with the closest names suggested on a miss. The physical names
 * here are as long and opaque as CloudFormation's.
 */
describe('breakwater-dlq friendly names (fauxqs)', () => {
  let local: LocalSqs;
  let billingDlq: QueueRef;
  let billingQueue: QueueRef;
  let publisherDlq: QueueRef;
  let outputs: Record<string, string>;
  let stateDirectory: string;

  const capture = (): CliIo & { out: () => string; err: () => string } => {
    let out = '';
    let err = '';
    return {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (err += text), isTTY: false },
      ...breakwaterDlqOptions(async () => outputs),
      createClients: () => ({ sqs: local.sqs }),
      out: () => out,
      err: () => err,
    };
  };

  beforeAll(async () => {
    local = await startLocalSqs();
    const tags = (source: string, role: string, kind?: string) => ({
      'breakwater:source': source,
      'breakwater:role': role,
      ...(kind === undefined ? {} : { 'breakwater:dlq-kind': kind }),
    });
    billingDlq = await createQueue(
      local.sqs,
      'bw-dev-billing-BillingDeadLetterQueue44936FE8-G7Q1',
      {},
      tags('billing', 'dlq', 'redrive'),
    );
    billingQueue = await createQueue(
      local.sqs,
      'bw-dev-billing-BillingQueue8B703BAB-VAVV',
      {},
      tags('billing', 'queue'),
    );
    publisherDlq = await createQueue(
      local.sqs,
      'bw-dev-orders-OutboxPublisherFailureQueueB858-JNCD',
      {},
      tags('outbox-publisher', 'dlq', 'stream-on-failure'),
    );
    outputs = {
      BillingDlqUrl: billingDlq.url,
      BillingDlqArn: billingDlq.arn,
      BillingQueueUrl: billingQueue.url,
      PublishOutputRefBillingQueue8B703BAB: billingQueue.name,
    };
    await seed(local.sqs, billingDlq, [{ body: orderCreatedBody() }]);
    stateDirectory = await mkdtemp(join(tmpdir(), 'bw-state-'));
  });
  afterAll(async () => {
    await local.stop();
    await rm(stateDirectory, { recursive: true, force: true });
  });

  it.each([
    ['the output key stem', 'BillingDlq'],
    ['the kebab-case name', 'billing-dlq'],
    ['the output key itself', 'BillingDlqUrl'],
  ])('peeks a queue by %s', async (_, name) => {
    const io = capture();
    expect(await runCli(['peek', name, '--json'], io)).toBe(ExitCodes.ok);
    expect(JSON.parse(io.out())).toHaveLength(1);
  });

  it("takes a consumer's name for its queue, and a source tag for that source's DLQ", async () => {
    const byOwner = capture();
    expect(await runCli(['list', '--queue', 'billing', '--json'], byOwner)).toBe(ExitCodes.ok);
    expect((JSON.parse(byOwner.out()) as { queue: QueueRef }[]).map((entry) => entry.queue.name)).toContain(
      billingQueue.name,
    );
    const bySource = capture();
    expect(await runCli(['peek', 'outbox-publisher'], bySource)).toBe(ExitCodes.ok);
    expect(bySource.out()).toContain(publisherDlq.name);
  });

  it('exits 3 and says the closest names for a misspelt one', async () => {
    const io = capture();
    expect(await runCli(['peek', 'billng-dlq'], io)).toBe(ExitCodes.queueNotFound);
    expect(io.err()).toContain('queue not found: billng-dlq; did you mean billing-dlq?');
  });

  it('needs no region, credentials or outputs when the endpoint is the running local cloud (the real bin)', async () => {
    await writeFile(
      join(stateDirectory, 'endpoints.json'),
      JSON.stringify({ edgeUrl: local.server.address, region: 'us-east-1', outputs }),
    );
    const result = await runDlqBin(['peek', 'BillingDlq'], local.server.address, {
      BREAKWATER_STATE_DIR: stateDirectory,
      AWS_REGION: undefined,
      AWS_DEFAULT_REGION: undefined,
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_PROFILE: undefined,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(ExitCodes.ok);
    expect(result.stdout).toContain(`${billingDlq.name}: 1 message(s) peeked`);
  });

  it('is a usage error without a command, like breakwater-breaker', async () => {
    const io = capture();
    expect(await runCli([], io)).toBe(ExitCodes.usage);
    expect(io.err()).toContain('Usage');
  });
});
