import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FunctionPool } from '../../../packages/local-cloud/src/lambda/function-pool';
import type { FunctionDefinition } from '../../../packages/local-cloud/src/lambda/types';

const root = mkdtempSync(join(tmpdir(), 'breakwater-pool-'));
const pools: FunctionPool[] = [];
const logs: Array<{ source: string; line: string }> = [];

/** A function whose code is `files` written to its own directory. */
const poolFor = (
  name: string,
  files: Record<string, string>,
  overrides: Partial<FunctionDefinition> = {},
) => {
  const codeDirectory = join(root, name);
  mkdirSync(codeDirectory, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(codeDirectory, file), content);
  const pool = new FunctionPool({
    definition: {
      functionName: name,
      functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
      stackName: 'Test',
      logicalId: name,
      runtime: 'nodejs24.x',
      handler: 'index.handler',
      codeDirectory,
      environment: { TABLE_NAME: 'orders' },
      timeoutSeconds: 2,
      memorySizeMb: 256,
      ...overrides,
    },
    settings: { region: 'us-east-1', awsEndpointUrl: 'http://127.0.0.1:4566', overrides: { EXTRA: 'yes' } },
    maxEnvironments: 2,
    log: (source, line) => logs.push({ source, line }),
    initTimeoutMs: 10_000,
    runtimeModulesParent: new URL('../../../packages/local-cloud/src/lambda/', import.meta.url).href,
  });
  pools.push(pool);
  return pool;
};

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.stop()));
  rmSync(root, { recursive: true, force: true });
});

describe('function execution environments', () => {
  it('gives each function only its own environment, Lambda variables and the local endpoint', async () => {
    process.env.RUNNER_SECRET = 'must-not-leak';
    const pool = poolFor('env-echo', {
      'index.mjs':
        'export const handler = async (event, context) => ({ env: process.env, cwd: process.cwd(), arn: context.invokedFunctionArn, memory: context.memoryLimitInMB });',
    });
    const result = await pool.invoke({}, 'req-1');
    expect(result.ok).toBe(true);
    const payload = (result.ok ? result.payload : {}) as {
      env: Record<string, string>;
      cwd: string;
      arn: string;
      memory: string;
    };
    expect(payload.env).toMatchObject({
      TABLE_NAME: 'orders',
      EXTRA: 'yes',
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'env-echo',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    });
    expect(payload.env._X_AMZN_TRACE_ID).toMatch(
      /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/,
    );
    expect(payload.env).not.toHaveProperty('RUNNER_SECRET');
    expect(payload.env).not.toHaveProperty('NODE_OPTIONS');
    expect(payload.cwd).toBe(join(root, 'env-echo'));
    expect(payload.arn).toBe('arn:aws:lambda:us-east-1:000000000000:function:env-echo');
    delete process.env.RUNNER_SECRET;
  });

  it('loads CommonJS handlers in sub-directories and keeps module state warm between invocations', async () => {
    const pool = poolFor('cjs', {}, { handler: 'src/app.main' });
    mkdirSync(join(root, 'cjs', 'src'));
    writeFileSync(
      join(root, 'cjs', 'src', 'app.js'),
      'let count = 0; exports.main = async () => ({ count: ++count });',
    );
    expect(await pool.invoke({})).toMatchObject({ ok: true, payload: { count: 1 } });
    expect(await pool.invoke({})).toMatchObject({ ok: true, payload: { count: 2 } });
  });

  it('reports init errors, handler errors and crashes in Lambda shapes', async () => {
    const missing = poolFor('missing', { 'index.mjs': 'export const other = () => 1;' });
    expect(await missing.invoke({})).toMatchObject({
      ok: false,
      error: { errorType: 'Runtime.HandlerNotFound' },
    });

    const thrower = poolFor('thrower', {
      'index.mjs': 'export const handler = async () => { throw new TypeError("bad input"); };',
    });
    const thrown = await thrower.invoke({});
    expect(thrown).toMatchObject({
      ok: false,
      timedOut: false,
      error: { errorType: 'TypeError', errorMessage: 'bad input' },
    });
    expect(
      logs.some(({ source, line }) => source === 'thrower' && line.includes('\tERROR\tInvoke Error')),
    ).toBe(true);

    const crasher = poolFor('crasher', {
      'index.mjs':
        'export const handler = () => new Promise(() => { setTimeout(() => { throw new Error("late"); }, 10); });',
    });
    expect(await crasher.invoke({})).toMatchObject({ ok: false, error: { errorType: 'Runtime.ExitError' } });
  });

  it('writes JSON logs at the application log level when the function asks for the JSON format', async () => {
    const pool = poolFor(
      'json-logs',
      {
        'index.mjs':
          'export const handler = async () => { console.debug("hidden"); console.info("shown", 42); return null; };',
      },
      { logFormat: 'JSON', applicationLogLevel: 'INFO' },
    );
    const result = await pool.invoke({}, 'req-json');
    expect(result).toMatchObject({ ok: true, payload: null });
    const lines = logs
      .filter(({ source }) => source === 'json-logs')
      .map(({ line }) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      { timestamp: expect.any(String), level: 'INFO', requestId: 'req-json', message: 'shown 42' },
    ]);
  });

  it('runs invocations concurrently up to the pool size', async () => {
    const pool = poolFor('parallel', {
      'index.mjs':
        'export const handler = async (event) => { await new Promise((r) => setTimeout(r, 300)); return process.pid; };',
    });
    const results = await Promise.all([1, 2, 3, 4].map(() => pool.invoke({})));
    const pids = new Set(results.map((result) => (result.ok ? result.payload : undefined)));
    expect(pids.size).toBe(2);
  });

  it('frees the slot of an environment that dies while idle, more times than the pool size', async () => {
    const pool = poolFor('mortal', { 'index.mjs': 'export const handler = async () => process.pid;' });
    const isGone = (pid: number) => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    };
    const seen = new Set<number>();
    // Pool size 2: five deaths of idle workers would leave no slot at all if dead workers kept theirs.
    for (let death = 0; death < 5; death += 1) {
      const result = await pool.invoke({});
      const pid = result.ok ? (result.payload as number) : -1;
      expect(seen.has(pid)).toBe(false);
      seen.add(pid);
      process.kill(pid, 'SIGKILL');
      await vi.waitFor(() => expect(isGone(pid)).toBe(true));
    }
    // Both slots still serve concurrent invocations, from fresh workers.
    const concurrent = await Promise.all([pool.invoke({}), pool.invoke({})]);
    expect(concurrent.every((result) => result.ok && !seen.has(result.payload as number))).toBe(true);
  });
});
