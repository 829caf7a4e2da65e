import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../infra/paths';
import { BreakwaterDefaultPorts } from '../../local/cloud/breakwater-cloud';

/**
 * The README's quick start, literally: its commands are read from README.md and run as a new user would, on the
 * default ports (`npm ci` excepted: the suite runs from the installed tree). The only test that takes the default
 * ports; when one is taken it fails, saying which, rather than testing something else.
 */

const run = promisify(execFile);

const quickStart = (): { readonly install: string[]; readonly client: string[] } => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Quick start'),
    readme.indexOf('### Clients of the local cloud'),
  );
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) =>
    (match[1] ?? '')
      .replace(/\\\n\s*/g, '')
      .split('\n')
      .filter((line) => line.trim() !== ''),
  );
  return { install: blocks[0] ?? [], client: blocks[1] ?? [] };
};

const portTaken = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });

/** A shell as a new user has it: no AWS settings, no port overrides. */
const freshEnvironment = (): Record<string, string> =>
  Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !entry[0].startsWith('AWS_') && !entry[0].startsWith('BREAKWATER_'),
    ),
  );

describe('the README quick start', () => {
  const { install, client } = quickStart();
  let start: ChildProcess | undefined;
  let printed = '';

  /** Runs one line of the README's second block in a shell that sourced the printed env line first. */
  const shell = async (envLine: string, command: string) => {
    try {
      const { stdout, stderr } = await run('bash', ['-c', `${envLine} && ${command}`], {
        cwd: repoRoot,
        env: freshEnvironment(),
        timeout: 120_000,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  };
  const line = (prefix: string): string => {
    const found = client.find((entry) => entry.startsWith(prefix));
    if (found === undefined) throw new Error(`the README quick start has no '${prefix}' line`);
    return found;
  };

  beforeAll(async () => {
    const taken = [];
    for (const port of Object.values(BreakwaterDefaultPorts)) if (await portTaken(port)) taken.push(port);
    if (taken.length > 0) {
      throw new Error(
        `the quick start runs on the default ports ${Object.values(BreakwaterDefaultPorts).join(', ')}, but ${taken.join(', ')} ` +
          'is in use on this machine (another `npm start`?): stop it and run this test again',
      );
    }
    expect(install).toEqual(['npm ci', 'npm start']);
    const child = spawn('bash', ['-c', install[1] ?? ''], {
      cwd: repoRoot,
      env: freshEnvironment(),
      detached: true,
    });
    start = child;
    child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (printed.includes('Breakwater local cloud ready')) {
          clearInterval(check);
          resolve();
        }
      }, 200);
      child.once('exit', (code) => {
        clearInterval(check);
        reject(new Error(`npm start exited with ${code} before it was ready:\n${printed}`));
      });
    });
  }, 360_000);

  afterAll(async () => {
    const child = start;
    if (child?.pid === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // The whole group: npm, its shell and the local cloud, which stops every process it started on SIGINT.
    process.kill(-child.pid, 'SIGINT');
    await exited;
  }, 60_000);

  it('prints the env line the README sources', () => {
    expect(client[0]).toBe('source .breakwater/local.env');
    expect(printed).toContain(`\n  ${client[0]}   #`);
  });

  it('takes an order with the curl on the default API port, and pays it', async () => {
    const created = await shell(client[0] ?? '', line('curl'));
    expect(created.code).toBe(0);
    const order = JSON.parse(created.stdout) as { orderId: string; status: string };
    expect(order.status).toBe('PENDING_PAYMENT');
    await expect
      .poll(
        async () =>
          (
            JSON.parse(
              (await shell(client[0] ?? '', `curl -s localhost:4567/orders/${order.orderId}`)).stdout,
            ) as {
              status: string;
            }
          ).status,
        { timeout: 60_000, interval: 500 },
      )
      .toBe('PAID');
  });

  it('lists the queues with npm run aws', async () => {
    const listed = await shell(client[0] ?? '', line('npm run aws'));
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      /"QueueUrls"[\s\S]*http:\/\/127\.0\.0\.1:4566\/000000000000\/breakwater-dev-billing-BillingDeadLetterQueue/,
    );
  });

  it('peeks BillingDlq by its friendly name', async () => {
    const peeked = await shell(client[0] ?? '', line('npm run dlq'));
    expect(peeked.stderr).not.toMatch(/error/i);
    expect(peeked.code).toBe(0);
    expect(peeked.stdout).toMatch(/breakwater-dev-billing-BillingDeadLetterQueue\S+: no visible messages/);
  });

  it('shows the payment-gateway circuit with no table named', async () => {
    const status = await shell(client[0] ?? '', line('npm run breaker'));
    expect(status.stderr).not.toMatch(/error/i);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/circuit {6}payment-gateway\nstate {8}CLOSED/);
  });
});
