import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CircuitStateSignal, OutcomeCounterStore } from '@breakwater/circuit-breaker';
import { localDynamoDb } from '../../test/integration/circuit-breaker/support';

/** A DynamoDB client that counts its HTTP attempts. */
export const countingClient = (endpoint: string) => {
  const client = localDynamoDb(endpoint);
  const counter = { requests: 0 };
  client.middlewareStack.add(
    (next) => async (args) => {
      counter.requests += 1;
      return next(args);
    },
    { step: 'deserialize', name: 'countRequests' },
  );
  return { client, counter };
};

const percentile = (samples: readonly number[], p: number): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
/** p50, p99 and max of latency samples (ms). */
export const stats = (samples: readonly number[]) => ({
  p50: percentile(samples, 50),
  p99: percentile(samples, 99),
  max: Math.max(...samples),
});

/** Runs `tick(container)` at `callsPerSecond` in total, spread evenly over `containers`, for `seconds`. */
export const drive = async (
  { containers, callsPerSecond, seconds }: { containers: number; callsPerSecond: number; seconds: number },
  tick: (container: number) => Promise<void>,
): Promise<number> => {
  const perContainerMs = (1_000 * containers) / callsPerSecond;
  const end = performance.now() + seconds * 1_000;
  let calls = 0;
  await Promise.all(
    Array.from({ length: containers }, async (_, container) => {
      let due = performance.now() + (container * perContainerMs) / containers;
      while (due < end) {
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        await tick(container);
        calls += 1;
        due += perContainerMs;
      }
    }),
  );
  return calls;
};

/** Counts flushes; each is one REST request (one pipeline). */
export class CountingCounters implements OutcomeCounterStore {
  public flushes = 0;
  public constructor(private readonly inner: OutcomeCounterStore) {}
  public flush(...args: Parameters<OutcomeCounterStore['flush']>) {
    this.flushes += 1;
    return this.inner.flush(...args);
  }
}

/** Counts the fast path's requests (a publish is one EVAL, a read one GET: one REST request each). */
export class CountingSignal implements CircuitStateSignal {
  public requests = 0;
  public constructor(private readonly inner: CircuitStateSignal) {}
  public publish(...args: Parameters<CircuitStateSignal['publish']>) {
    this.requests += 1;
    return this.inner.publish(...args);
  }
  public read(...args: Parameters<CircuitStateSignal['read']>) {
    this.requests += 1;
    return this.inner.read(...args);
  }
}
