import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { startDynamoDbLocal } from '../packages/local-cloud/src/dynamodb/dynamodb-local';
import { startRedisServer } from '../packages/local-cloud/src/redis/redis-server';

/**
 * Time from command to ready of `npm start` (the main command, as a user types it, minus npm's own start-up):
 * one cold start (the CDK app synthesized) and several warm ones (the assembly reused because no source changed),
 * each on free ports, stopped with Ctrl-C (SIGINT) and checked to exit cleanly. The baseline, in the same run, is
 * the bare engines the local cloud cannot start faster than: DynamoDB Local (Java) and redis-server together.
 * Prints a table, then LAST one JSON line. Goal: warm ready ≤ 5 s.
 */

const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? 3);
const GOAL_MS = 5_000;
const root = resolve(import.meta.dirname, '..');

const startOnce = async (extraArgs: string[]): Promise<number> => {
  const started = performance.now();
  const child = spawn(
    resolve(root, 'node_modules/.bin/tsx'),
    [
      'local/cli/start.ts',
      '--edge-port',
      '0',
      '--api-port',
      '0',
      '--redis-port',
      '0',
      '--gateway-port',
      '0',
      '--state-dir',
      resolve(root, '.breakwater/bench'),
      ...extraArgs,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const ready = new Promise<number>((done, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Breakwater local cloud ready')) done(performance.now() - started);
    });
    child.once('exit', (code) =>
      fail(new Error(`start exited with ${code} before ready:\n${output.slice(-2000)}`)),
    );
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const readyMs = await ready.finally(() => clearTimeout(timer));
  const exited = once(child, 'exit');
  child.kill('SIGINT');
  const [code] = (await exited) as [number | null];
  if (code !== 130) throw new Error(`start exited with ${code} after Ctrl-C, expected 130`);
  return readyMs;
};

const baselineOnce = async (): Promise<number> => {
  const started = performance.now();
  const [dynamodb, redis] = await Promise.all([startDynamoDbLocal(), startRedisServer()]);
  const elapsed = performance.now() - started;
  await Promise.all([dynamodb.stop(), redis.stop()]);
  return elapsed;
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const coldMs = await startOnce(['--force-synth']);
const warm: number[] = [];
const baseline: number[] = [];
for (let run = 0; run < WARM_RUNS; run += 1) {
  baseline.push(await baselineOnce());
  warm.push(await startOnce([]));
}
const warmMedianMs = median(warm);
const baselineMedianMs = median(baseline);
const figures = {
  bench: 'local-cloud-ready',
  coldMs: Math.round(coldMs),
  warmMs: warm.map(Math.round),
  warmMedianMs: Math.round(warmMedianMs),
  bareEnginesMedianMs: Math.round(baselineMedianMs),
  warmToBareEnginesRatio: Number((warmMedianMs / baselineMedianMs).toFixed(2)),
  goalMs: GOAL_MS,
  meetsGoal: warmMedianMs <= GOAL_MS,
};
console.log(`
  local cloud ready (npm start, free ports)
  cold (synth + bundle)      ${(coldMs / 1000).toFixed(1)} s
  warm (assembly reused)     ${warm.map((ms) => (ms / 1000).toFixed(1)).join(' / ')} s, median ${(warmMedianMs / 1000).toFixed(1)} s (goal ≤ ${GOAL_MS / 1000} s)
  bare DynamoDB Local+redis  median ${(baselineMedianMs / 1000).toFixed(1)} s   ratio ${figures.warmToBareEnginesRatio}×
`);
console.log(JSON.stringify(figures));
