import type { Redis } from '@upstash/redis';
import { CircuitStoreError } from './errors.js';
import type { FlushContext, FlushResult, OutcomeCounterStore } from './store.js';
import type { BucketCounts } from './window.js';

/**
 * Options of {@link RedisOutcomeCounters}.
 *
 * @example
 * ```ts
 * const options: RedisOutcomeCountersOptions = { redis: Redis.fromEnv() };
 * ```
 */
export interface RedisOutcomeCountersOptions {
  /** The project's @upstash/redis client (REST). */
  readonly redis: Redis;
  /** Prefix of the keys (default `breaker`): one hash per circuit, `<prefix>:{<circuit id>}:window`. */
  readonly keyPrefix?: string;
  /** The hash expires this long after its last flush (default 3 600 s); it only ever holds the window. */
  readonly ttlSeconds?: number;
}

const FIELD = /^([cfsp])(\d+)$/;

/**
 * The fleet-wide window in Redis: one hash per circuit, fields `c<n>`, `f<n>`, `s<n>` per bucket, incremented with
 * HINCRBY. A flush is ONE pipeline (one REST request): the increments, the removal of buckets that left the window,
 * the expiry, and HGETALL for the whole window. It does not return the state, so a sync with these counters costs
 * one Redis request plus one DynamoDB read; the default DynamoDB store does both in one request (see README).
 *
 * @example
 * ```ts
 * import { RedisOutcomeCounters } from '@breakwater/circuit-breaker/redis';
 *
 * const breaker = new CircuitBreaker('gateway', { stateStore: dynamo, counterStore: new RedisOutcomeCounters({ redis }) });
 * ```
 */
export class RedisOutcomeCounters implements OutcomeCounterStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #ttlSeconds: number;
  readonly #seenBuckets = new Map<string, Set<number>>();

  public constructor(options: RedisOutcomeCountersOptions) {
    this.#redis = options.redis;
    this.#prefix = options.keyPrefix ?? 'breaker';
    this.#ttlSeconds = options.ttlSeconds ?? 3_600;
  }

  public async flush(
    circuitId: string,
    deltas: readonly BucketCounts[],
    context: FlushContext,
  ): Promise<FlushResult> {
    // Braces make the circuit a hash tag: every key of a circuit lands on one cluster slot.
    const key = `${this.#prefix}:{${circuitId}}:window`;
    const pipeline = this.#redis.pipeline();
    for (const delta of deltas) {
      if (delta.calls > 0) pipeline.hincrby(key, `c${delta.index}`, delta.calls);
      if (delta.failures > 0) pipeline.hincrby(key, `f${delta.index}`, delta.failures);
      if (delta.slow > 0) pipeline.hincrby(key, `s${delta.index}`, delta.slow);
    }
    const stale = [...(this.#seenBuckets.get(circuitId) ?? [])].filter(
      (index) => index < context.staleBefore,
    );
    if (deltas.length > 0 && context.presence !== undefined) {
      pipeline.hincrby(key, `p${context.presence.index}`, context.presence.ms);
    }
    if (stale.length > 0)
      pipeline.hdel(key, ...stale.flatMap((index) => [`c${index}`, `f${index}`, `s${index}`, `p${index}`]));
    if (deltas.length > 0) pipeline.expire(key, this.#ttlSeconds);
    pipeline.hgetall(key);
    let results: unknown[];
    try {
      results = await pipeline.exec();
    } catch (error) {
      throw new CircuitStoreError(circuitId, 'flush', { cause: error });
    }
    const hash = results.at(-1);
    const buckets = new Map<number, { calls: number; failures: number; slow: number; presenceMs?: number }>();
    for (const [field, raw] of Object.entries(typeof hash === 'object' && hash !== null ? hash : {})) {
      const match = FIELD.exec(field);
      if (match === null) continue;
      const index = Number(match[2]);
      const bucket = buckets.get(index) ?? { calls: 0, failures: 0, slow: 0 };
      const count = Number(raw);
      if (match[1] === 'c') bucket.calls = count;
      else if (match[1] === 'f') bucket.failures = count;
      else if (match[1] === 's') bucket.slow = count;
      else bucket.presenceMs = count;
      buckets.set(index, bucket);
    }
    this.#seenBuckets.set(circuitId, new Set(buckets.keys()));
    return { buckets: [...buckets].map(([index, counts]) => ({ index, ...counts })) };
  }
}
