import { resolve } from 'node:path';
import { startBreakwaterCloud } from '../local/cloud/breakwater-cloud';

/**
 * GET /orders/{id} latency with Redis down, against Redis up (the baseline, measured in the same run): the local
 * cloud with the app deployed, one order, then sequential GETs through the HTTP API while redis-server runs (cache
 * hits), then with redis-server stopped (every Redis call fails; the order is read from DynamoDB), then running
 * again. Goal: with Redis down, GET answers at DynamoDB's latency, not the Redis timeout's (1 s) per request.
 * Prints a table, then LAST one JSON line.
 */

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40);
const root = resolve(import.meta.dirname, '..');

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

const cloud = await startBreakwaterCloud({
  rootDirectory: root,
  ports: { edge: 0, api: 0, redisRest: 0, gateway: 0 },
  assemblyDirectory: resolve(root, '.breakwater/bench-cdk.out'),
});

const get = async (path: string): Promise<{ ms: number; cache: string | null; status: number }> => {
  const started = performance.now();
  const response = await fetch(`${cloud.endpoints.apiUrl}${path}`);
  await response.text();
  return { ms: performance.now() - started, cache: response.headers.get('x-cache'), status: response.status };
};

const phase = async (path: string): Promise<{ latencies: number[]; hits: number }> => {
  const latencies: number[] = [];
  let hits = 0;
  for (let i = 0; i < REQUESTS; i += 1) {
    const { ms, cache, status } = await get(path);
    if (status !== 200) throw new Error(`GET ${path} answered ${status}`);
    latencies.push(ms);
    if (cache === 'hit') hits += 1;
  }
  return { latencies, hits };
};

try {
  const created = await fetch(`${cloud.endpoints.apiUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      customerId: 'bench',
      currency: 'EUR',
      items: [{ sku: 'bench', quantity: 1, unitPriceCents: 100 }],
    }),
  });
  const { orderId } = (await created.json()) as { orderId: string };
  const path = `/orders/${orderId}`;
  for (let i = 0; i < 5; i += 1) await get(path); // warm the container and the cache

  const up = await phase(path);
  await cloud.redis.stop();
  const down = await phase(path);
  await cloud.redis.start();

  const figures = {
    upP50Ms: percentile(up.latencies, 50),
    upP95Ms: percentile(up.latencies, 95),
    downP50Ms: percentile(down.latencies, 50),
    downP95Ms: percentile(down.latencies, 95),
    downFirst3Ms: down.latencies.slice(0, 3).map((ms) => Math.round(ms)),
  };
  const rows = [
    ['phase', 'requests', 'cache hits', 'p50 ms', 'p95 ms', 'max ms'],
    [
      'Redis up (baseline)',
      `${REQUESTS}`,
      `${up.hits}`,
      figures.upP50Ms,
      figures.upP95Ms,
      Math.max(...up.latencies),
    ],
    [
      'Redis down',
      `${REQUESTS}`,
      `${down.hits}`,
      figures.downP50Ms,
      figures.downP95Ms,
      Math.max(...down.latencies),
    ],
  ].map((row) => row.map((cell) => (typeof cell === 'number' ? cell.toFixed(1) : cell).padEnd(20)).join(''));
  console.log(rows.join('\n'));
  console.log(`first three requests with Redis down: ${figures.downFirst3Ms.join(', ')} ms`);
  console.log(
    JSON.stringify({
      bench: 'redis-outage',
      requests: REQUESTS,
      ...Object.fromEntries(
        Object.entries(figures).map(([key, value]) => [
          key,
          typeof value === 'number' ? Number(value.toFixed(1)) : value,
        ]),
      ),
      downToUpP50Ratio: Number((figures.downP50Ms / figures.upP50Ms).toFixed(2)),
    }),
  );
} finally {
  await cloud.stop();
}
