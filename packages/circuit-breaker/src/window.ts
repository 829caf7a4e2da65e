import type { CircuitBreakerConfig } from './config.js';

/**
 * Outcomes counted in one time bucket (`index` = floor(epoch ms / bucketMs)). Every call counts once in `calls`.
 *
 * @example
 * ```ts
 * const counts: BucketCounts = { calls: 10, failures: 2, slowCalls: 1 };
 * ```
 */
export interface BucketCounts {
  readonly index: number;
  readonly calls: number;
  readonly failures: number;
  readonly slow: number;
  /**
   * Container presence: each flush adds the time since its container's previous flush (ms). Summed over the window
   * and divided by its length, it estimates how many containers are calling (see {@link WindowSummary.containers}).
   * Absent = 0 (counts written by an older writer).
   */
  readonly presenceMs?: number;
}

/**
 * The fleet-wide window at one instant. Rates are 0 when there were no calls.
 *
 * @example
 * ```ts
 * const { failureRate, slowCallRate }: WindowSummary = summarizeWindow(stored.snapshot, Date.now(), config);
 * ```
 */
export interface WindowSummary {
  readonly calls: number;
  readonly failures: number;
  readonly slow: number;
  readonly failureRate: number;
  readonly slowCallRate: number;
  /**
   * The number of containers that flushed outcomes in the window, estimated from their presence (each container
   * contributes the time it spent calling, so the sum over the window's length is a head count). 0 when nothing
   * was flushed in the window (e.g. while OPEN nobody records): the last estimate then still holds.
   */
  readonly containers?: number;
}

/** The outcome of one finished call, as the window counts it. */
export interface CallOutcome {
  readonly failure: boolean;
  readonly slow: boolean;
}

/** The bucket an instant falls into. */
export const bucketIndex = (epochMs: number, bucketMs: number): number => Math.floor(epochMs / bucketMs);

/** The oldest bucket index inside the window ending at `now`, also honouring the circuit's `windowStart`. */
export const firstWindowBucket = (now: number, windowStart: number, config: CircuitBreakerConfig): number => {
  const byTime = bucketIndex(now, config.bucketMs) - config.windowMs / config.bucketMs + 1;
  // A bucket that began before the window was reset may hold outcomes from before the reset: skip it.
  const byReset = Math.ceil(windowStart / config.bucketMs);
  return Math.max(byTime, byReset);
};

/**
 * Sums the buckets that lie inside the window ending at `now`.
 *
 * @example
 * ```ts
 * const window = summarizeWindow(snapshot, Date.now(), resolveConfig());
 * console.log(`${window.calls} calls, ${Math.round(window.failureRate * 100)} % failed`);
 * ```
 */
export const summarizeWindow = (
  buckets: readonly BucketCounts[],
  now: number,
  windowStart: number,
  config: CircuitBreakerConfig,
): WindowSummary => {
  const first = firstWindowBucket(now, windowStart, config);
  const last = bucketIndex(now, config.bucketMs);
  let calls = 0;
  let failures = 0;
  let slow = 0;
  let presenceMs = 0;
  for (const bucket of buckets) {
    if (bucket.index < first || bucket.index > last) continue;
    calls += bucket.calls;
    failures += bucket.failures;
    slow += bucket.slow;
    presenceMs += bucket.presenceMs ?? 0;
  }
  // The window's span so far: from its first bucket (or the reset) to now, never less than one bucket.
  const spanMs = Math.max(config.bucketMs, now - first * config.bucketMs);
  return {
    calls,
    failures,
    slow,
    failureRate: calls === 0 ? 0 : failures / calls,
    slowCallRate: calls === 0 ? 0 : slow / calls,
    containers: Math.round(presenceMs / spanMs),
  };
};

/** Why the window should open the circuit, or undefined. Thresholds are inclusive (rate ≥ threshold trips). */
export const tripReason = (summary: WindowSummary, config: CircuitBreakerConfig): string | undefined => {
  if (summary.calls < config.minimumCalls) return undefined;
  if (summary.failureRate >= config.failureRateThreshold) {
    return `failure rate ${percent(summary.failureRate)} ≥ ${percent(config.failureRateThreshold)} over ${summary.calls} calls`;
  }
  if (summary.slowCallRate >= config.slowCallRateThreshold) {
    return `slow-call rate ${percent(summary.slowCallRate)} ≥ ${percent(config.slowCallRateThreshold)} over ${summary.calls} calls`;
  }
  return undefined;
};

const percent = (rate: number): string => `${(rate * 100).toFixed(1)}%`;

/**
 * Outcomes recorded in this container and not yet flushed to the counter store, by bucket. Recording is a map
 * update (no I/O); `drain` hands the deltas to a flush.
 */
export class OutcomeAccumulator {
  readonly #buckets = new Map<number, { calls: number; failures: number; slow: number }>();
  #adverse = false;
  #adverseSince: number | undefined;

  /** Counts one finished call. */
  public record(now: number, outcome: CallOutcome, bucketMs: number): void {
    const index = bucketIndex(now, bucketMs);
    const bucket = this.#buckets.get(index) ?? { calls: 0, failures: 0, slow: 0 };
    bucket.calls += 1;
    if (outcome.failure) bucket.failures += 1;
    if (outcome.slow) bucket.slow += 1;
    this.#buckets.set(index, bucket);
    if ((outcome.failure || outcome.slow) && !this.#adverse) {
      this.#adverse = true;
      this.#adverseSince = now;
    }
  }

  /** When the first failed or slow call since the last drain was recorded. */
  public get adverseSince(): number | undefined {
    return this.#adverse ? this.#adverseSince : undefined;
  }

  /** True when a failed or slow call was recorded since the last drain: the container then syncs sooner. */
  public get adverse(): boolean {
    return this.#adverse;
  }

  /** True when nothing is waiting to be flushed. */
  public get empty(): boolean {
    return this.#buckets.size === 0;
  }

  /** Takes every pending delta still inside the window ending at `now` (older ones can no longer matter). */
  public drain(now: number, config: CircuitBreakerConfig): BucketCounts[] {
    const first = firstWindowBucket(now, 0, config);
    const deltas: BucketCounts[] = [];
    for (const [index, counts] of this.#buckets) if (index >= first) deltas.push({ index, ...counts });
    this.#buckets.clear();
    this.#adverse = false;
    return deltas.sort((a, b) => a.index - b.index);
  }
}
