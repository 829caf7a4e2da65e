import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrders } from './support/payments';
import { connectToSystem, eventually, type System } from './support/system';

const run = promisify(execFile);
const local = !process.env.BREAKWATER_TARGET || process.env.BREAKWATER_TARGET === 'local';

/** The AWS CLIs on this machine (the one on PATH, and Debian's), each once, with their versions. */
const installedClis = async (): Promise<{ path: string; version: string }[]> => {
  const found = new Map<string, { path: string; version: string }>();
  for (const path of ['aws', '/usr/bin/aws']) {
    try {
      const { stdout, stderr } = await run(path, ['--version'], { env: { ...process.env, AWS_PAGER: '' } });
      const version = `${stdout}${stderr}`.trim().split(/\s+/)[0] ?? '';
      if (!found.has(version)) found.set(version, { path, version });
    } catch {
      // not installed there
    }
  }
  return [...found.values()];
};

/**
 * The AWS CLI against the edge, as an operator runs it (endpoint passed with `--endpoint-url`: CLI v1 and Debian's
 * v2.9 ignore AWS_ENDPOINT_URL; region and dummy keys in the environment). Every CLI installed is tried:
 * `describe-alarms` (CLI v1 speaks JSON 1.0 to CloudWatch, v2.9 the query protocol), and `logs tail` (CLI v2).
 */
describe.runIf(local)('operations with the AWS CLI', () => {
  let system: System;
  let clis: { path: string; version: string }[];
  beforeAll(async () => {
    system = connectToSystem();
    clis = await installedClis();
  });
  afterAll(() => system.close());

  const aws = (path: string, args: string[]) =>
    run(path, [...args, '--endpoint-url', system.description.awsEndpointUrl as string, '--output', 'json'], {
      env: {
        ...process.env,
        AWS_REGION: system.description.region,
        AWS_DEFAULT_REGION: system.description.region,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_PAGER: '',
      },
      timeout: 60_000,
    });

  it('aws cloudwatch describe-alarms lists the alarms with their states, in every installed CLI', async () => {
    expect(clis.length, 'no AWS CLI found (local/bin/ensure-prerequisites.sh installs one)').toBeGreaterThan(
      0,
    );
    for (const { path, version } of clis) {
      const { stdout } = await aws(path, [
        'cloudwatch',
        'describe-alarms',
        '--alarm-name-prefix',
        'breakwater-',
      ]);
      const { MetricAlarms } = JSON.parse(stdout) as {
        MetricAlarms: { AlarmName: string; StateValue: string }[];
      };
      expect(
        MetricAlarms.map((alarm) => alarm.AlarmName),
        version,
      ).toContain('breakwater-dev-billing-dlq-depth');
      for (const alarm of MetricAlarms)
        expect(['OK', 'ALARM', 'INSUFFICIENT_DATA']).toContain(alarm.StateValue);
      const { stdout: history } = await aws(path, [
        'cloudwatch',
        'describe-alarm-history',
        '--alarm-name',
        'breakwater-dev-billing-dlq-depth',
        '--history-item-type',
        'ConfigurationUpdate',
      ]);
      expect(JSON.parse(history).AlarmHistoryItems[0]?.HistorySummary, version).toMatch(/created/);
    }
  });

  it("aws logs tail shows a function's recent output from its log group", async () => {
    const cli = clis.find(({ version }) => version.startsWith('aws-cli/2'));
    expect(cli, `logs tail needs AWS CLI v2; found ${clis.map((c) => c.version).join(', ')}`).toBeDefined();
    const { path } = cli as { path: string };
    const placedAt = Date.now() - 1_000;
    await placeOrders(system, 'logs-tail', 1);
    const { stdout } = await aws(path, ['logs', 'describe-log-groups']);
    const groups = (JSON.parse(stdout) as { logGroups: { logGroupName: string }[] }).logGroups.map(
      (g) => g.logGroupName,
    );
    // The orders API's LoggingConfig names its log group (CloudFormation's generated name), as on AWS.
    const ordersApi = groups.find((name) => name.includes('OrdersApiLogs'));
    expect(ordersApi, groups.join(', ')).toBeDefined();
    const tail = await eventually(
      "the order's metric line in aws logs tail",
      async () => {
        const { stdout: lines } = await aws(path, ['logs', 'tail', ordersApi as string, '--since', '10m']);
        const created = lines
          .split('\n')
          .filter((line) => line.includes('"OrdersCreated":1'))
          .map((line) => Date.parse(line.split(' ')[0] ?? ''));
        return created.some((at) => at >= placedAt) ? lines : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    // Each line: the event's time, its stream (`YYYY/MM/DD/[$LATEST]<id>`), the message.
    expect(tail).toMatch(/^\d{4}-\d{2}-\d{2}T\S+ \d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32} /m);
  });
});
