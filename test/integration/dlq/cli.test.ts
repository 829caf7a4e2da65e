import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ReplayReport } from '@breakwater/dlq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliIo, runCli } from '../../../packages/dlq/src/cli';
import { ExitCodes } from '../../../packages/dlq/src/cli-help';
import {
  createRedrivePair,
  depthOf,
  drain,
  type LocalSqs,
  orderCreatedBody,
  runDlqBin,
  seed,
  startLocalSqs,
} from './fixtures';

const capture = (local: LocalSqs): CliIo & { out: () => string; err: () => string } => {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text), isTTY: false },
    createClients: () => ({ sqs: local.sqs }),
    out: () => out,
    err: () => err,
  };
};

/** An SQS client that answers one command as IAM would deny it (emulators do not enforce IAM). */
const denying = (local: LocalSqs, commandName: string): SQSClient => {
  const client = new SQSClient({
    region: 'us-east-1',
    endpoint: local.server.address,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    useQueueUrlAsEndpoint: false,
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === commandName) {
        throw Object.assign(new Error(`User is not authorized to perform: ${commandName}`), {
          name: 'AccessDenied',
          $metadata: { httpStatusCode: 403 },
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'denyForTest' },
  );
  return client;
};

describe('breakwater-dlq CLI (fauxqs)', () => {
  let local: LocalSqs;
  let reports: string;

  beforeAll(async () => {
    local = await startLocalSqs();
    reports = await mkdtemp(join(tmpdir(), 'dlq-cli-'));
  });
  afterAll(async () => {
    await local.stop();
    await rm(reports, { recursive: true, force: true });
  });

  it('exits 3 with a clear message for an unknown queue (the real bin, configured by AWS_ENDPOINT_URL)', async () => {
    const result = await runDlqBin(['peek', 'no-such-dlq'], local.server.address);

    expect(result.code).toBe(ExitCodes.queueNotFound);
    expect(result.stderr).toContain('queue not found: no-such-dlq');
  });

  it('lists and peeks through the real bin', async () => {
    const { dlq } = await createRedrivePair(local.sqs, 'bin-orders');
    await seed(local.sqs, dlq, [{ body: orderCreatedBody() }]);

    const listed = await runDlqBin(['list', '--pattern', 'bin-*', '--json'], local.server.address);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { kind: 'sqs-redrive', depth: 1, queue: { name: dlq.name } },
    ]);

    const peeked = await runDlqBin(['peek', dlq.name], local.server.address);
    expect(peeked.code).toBe(0);
    expect(peeked.stdout).toContain('order.created');
    expect(await depthOf(local.sqs, dlq)).toEqual({ visible: 1, inFlight: 0 });
  });

  it('replays with a selection, writes the report file and exits 0', async () => {
    const { source, dlq } = await createRedrivePair(local.sqs, 'cli-orders');
    await seed(local.sqs, dlq, [
      { body: orderCreatedBody({ currency: 'EUR' }) },
      { body: orderCreatedBody({ currency: 'USD' }) },
    ]);
    const reportPath = join(reports, 'selection.json');
    const io = capture(local);

    const code = await runCli(
      ['replay', dlq.name, '--where', 'detail.data.currency=EUR', '--report', reportPath],
      io,
    );

    expect(code).toBe(ExitCodes.ok);
    expect(io.out()).toContain('replay from cli-orders-dlq: 1 replayed, 1 skipped, 0 failed');
    const report = JSON.parse(await readFile(reportPath, 'utf8')) as ReplayReport;
    expect(report.totals).toMatchObject({ replayed: 1, skipped: 1 });
    expect(report.selection).toEqual({ where: ['detail.data.currency=EUR'] });
    expect(await drain(local.sqs, source)).toHaveLength(1);
  });

  it('with --json and --report, stdout carries the report alone and the file gets it too', async () => {
    const { dlq } = await createRedrivePair(local.sqs, 'cli-json');
    await seed(local.sqs, dlq, [{ body: orderCreatedBody() }]);
    const reportPath = join(reports, 'json.json');
    const io = capture(local);

    expect(await runCli(['replay', dlq.name, '--dry-run', '--json', '--report', reportPath], io)).toBe(
      ExitCodes.ok,
    );

    const printed = JSON.parse(io.out()) as ReplayReport;
    expect(printed.totals.wouldReplay).toBe(1);
    expect(JSON.parse(await readFile(reportPath, 'utf8'))).toEqual(printed);
    expect(io.err()).toContain('dry run on cli-json-dlq: 1 would be replayed');
  });

  it('exits 1 when messages fail, 2 on bad usage, and prints the report with --json', async () => {
    const { dlq } = await createRedrivePair(local.sqs, 'cli-failing');
    local.server.deleteQueue('cli-failing');
    await seed(local.sqs, dlq, [{ body: orderCreatedBody() }]);
    const io = capture(local);

    expect(await runCli(['replay', dlq.name, '--json'], io)).toBe(ExitCodes.someFailed);
    expect((JSON.parse(io.out()) as ReplayReport).totals.failed).toBe(1);
    expect(await runCli(['replay', dlq.name, '--since', 'yesterday'], capture(local))).toBe(ExitCodes.usage);
    expect(await runCli(['replay'], capture(local))).toBe(ExitCodes.usage);
  });

  it('exits 4, names the permission and keeps every message when the destination denies SendMessage', async () => {
    const { source, dlq } = await createRedrivePair(local.sqs, 'cli-denied');
    await seed(local.sqs, dlq, [{ body: orderCreatedBody() }, { body: orderCreatedBody() }]);
    const io = {
      ...capture(local),
      createClients: () => ({ sqs: denying(local, 'SendMessageBatchCommand') }),
    };

    const code = await runCli(['replay', dlq.name, '--json'], io);

    expect(code).toBe(ExitCodes.permissionDenied);
    const report = JSON.parse(io.out()) as ReplayReport;
    expect(report.error).toMatchObject({ name: 'PermissionDeniedError' });
    expect(report.error?.message).toContain('sqs:SendMessageBatch');
    expect(report.totals.replayed).toBe(0);
    expect(await depthOf(local.sqs, dlq)).toEqual({ visible: 2, inFlight: 0 });
    expect(await drain(local.sqs, source)).toHaveLength(0);
  });

  it('exits 4 when the DLQ itself may not be read', async () => {
    const { dlq } = await createRedrivePair(local.sqs, 'cli-unreadable');
    const io = {
      ...capture(local),
      createClients: () => ({ sqs: denying(local, 'GetQueueAttributesCommand') }),
    };

    expect(await runCli(['peek', dlq.url], io)).toBe(ExitCodes.permissionDenied);
    expect(io.err()).toContain('permission denied for sqs:GetQueueAttributes');
  });
});
