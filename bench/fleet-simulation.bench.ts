/**
 * Fleet simulation of the circuit breaker: `npm run bench -- fleet` (FLEET_SIZES=10,100 for a subset, FLEET_SEED to
 * change the seed). For N = 10, 100, 1,000 and 10,000 containers, each running the real breaker against the modelled
 * DynamoDB table (per-item 1,000 WCU/s and 3,000 RCU/s, throttling) and Upstash database (10,000 commands/s), on
 * virtual time (bench/fleet/simulation.ts): the fleet ramps up as Lambda scales, calls about once a second per
 * container, then the dependency fails for 50 s and recovers. Every design in `designs` runs the same seeded
 * workload; the first is the baseline the ratios compare against (the design before the coordination redesign).
 * Prints a table, then LAST one JSON line.
 */
import type { SimulationFigures } from './fleet/simulation';
import { simulate } from './fleet/simulation';
import { benchmarkDesigns } from './fleet/wirings';

const sizes = (process.env.FLEET_SIZES ?? '10,100,1000,10000').split(',').map(Number);
const seed = Number(process.env.FLEET_SEED ?? 12);
const designs = await benchmarkDesigns();

const results: { containers: number; runs: SimulationFigures[] }[] = [];
for (const containers of sizes) {
  const runs: SimulationFigures[] = [];
  for (const design of designs) {
    const started = performance.now();
    const figures = await simulate(design, { containers, seed });
    runs.push(figures);
    console.error(
      `  N=${containers} ${design.name}: ${((performance.now() - started) / 1_000).toFixed(1)} s real, ` +
        `transitions ${figures.transitions.join(' ')}`,
    );
  }
  results.push({ containers, runs });
}

const show = (value: number | undefined) => (value === undefined ? '—' : String(Math.round(value)));
const columns = [
  ['N', (f: SimulationFigures) => String(f.containers)],
  ['design', (f: SimulationFigures) => f.design],
  ['item writes/s', (f: SimulationFigures) => show(f.maxItemWritesPerSecond)],
  ['item reads/s', (f: SimulationFigures) => show(f.maxItemReadsPerSecond)],
  ['item WCU/s', (f: SimulationFigures) => show(f.item.maxWcuPerSecond)],
  [
    'throttled',
    (f: SimulationFigures) =>
      `${f.throttledRequests} (DDB ${f.dynamoDbThrottled}, Redis ${f.redisRateLimited})`,
  ],
  ['Redis cmd/s', (f: SimulationFigures) => show(f.redisMaxCommandsPerSecond)],
  [
    'trip seen p50/p99 ms',
    (f: SimulationFigures) => `${show(f.tripVisibleP50Ms)} / ${show(f.tripVisibleP99Ms)}`,
  ],
  ['never saw', (f: SimulationFigures) => String(f.containersNeverSawTrip)],
  ['let through open', (f: SimulationFigures) => String(f.letThroughWhileOpen)],
  ['max probes', (f: SimulationFigures) => String(f.maxProbesInFlight)],
  ['store errors', (f: SimulationFigures) => String(f.storeErrors)],
  [
    'trip / close s',
    (f: SimulationFigures) => `${f.tripAtS?.toFixed(1) ?? '—'} / ${f.closedAtS?.toFixed(1) ?? '—'}`,
  ],
] as const;
const rows = results.flatMap(({ runs }) => runs.map((run) => columns.map(([, pick]) => pick(run))));
const widths = columns.map(([title], i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ');
console.log(
  `\nCircuit breaker fleet simulation (seed ${seed}; goal at N = 10,000: < 500 writes/s, 0 throttled, p99 ≤ 2,000 ms)`,
);
console.log(line(columns.map(([title]) => title)));
for (const row of rows) console.log(line(row));

const ratio = (after: number | undefined, before: number | undefined) =>
  after === undefined || before === undefined || before === 0 ? null : Number((after / before).toFixed(4));
const pick = (f: SimulationFigures) => ({
  design: f.design,
  maxItemWritesPerSecond: f.maxItemWritesPerSecond,
  maxItemReadsPerSecond: f.maxItemReadsPerSecond,
  throttledRequests: f.throttledRequests,
  tripVisibleP50Ms: f.tripVisibleP50Ms ?? null,
  tripVisibleP99Ms: f.tripVisibleP99Ms ?? null,
  letThroughWhileOpen: f.letThroughWhileOpen,
  maxProbesInFlight: f.maxProbesInFlight,
  redisMaxCommandsPerSecond: f.redisMaxCommandsPerSecond,
  storeErrors: f.storeErrors,
});
console.log(
  JSON.stringify({
    bench: 'fleet-simulation',
    seed,
    perN: results.map(({ containers, runs }) => {
      const [baseline, ...others] = runs;
      const latest = others.at(-1) ?? baseline;
      if (baseline === undefined || latest === undefined) throw new Error('no design ran');
      return {
        containers,
        ...pick(latest),
        baseline: pick(baseline),
        ratiosVsBaseline: {
          maxItemWritesPerSecond: ratio(latest.maxItemWritesPerSecond, baseline.maxItemWritesPerSecond),
          throttledRequests: ratio(latest.throttledRequests, baseline.throttledRequests),
          tripVisibleP99Ms: ratio(latest.tripVisibleP99Ms, baseline.tripVisibleP99Ms),
        },
      };
    }),
  }),
);
