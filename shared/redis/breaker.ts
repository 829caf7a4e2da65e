import type { CircuitBreakerOptions, Clock } from '@breakwater/circuit-breaker';
import { CircuitBreaker, CircuitOpenError, MemoryCircuitStore } from '@breakwater/circuit-breaker';
import { DEFAULT_REDIS_TIMEOUT_MS } from '../config/settings';
import { describeError, type Log, type MetricsRecorder, MetricUnit } from '../middleware/observability';
import { type RedisSecret, redisSecretReader, type SecretReader } from '../secrets';
import { type RedisCommands, SecretBackedRedis } from './client';

/** The circuit of a container's Redis calls (in log lines and the breaker's events). */
export const REDIS_CIRCUIT_ID = 'redis';

/** Metric names of the Redis breaker. */
export const RedisBreakerMetrics = {
  /** The container stopped calling Redis after failures (each container has its own circuit). */
  circuitOpened: 'RedisCircuitOpened',
} as const;

/**
 * Settings of the Redis circuit, over the library's defaults (`CircuitBreakerDefaults`), which are tuned for a
 * payment gateway shared by a fleet. Here the state lives in the container's memory: Redis is a cache, so each
 * container may decide on its own, at no cost. 3 calls in a 10 s window with half of them failed (or taking the
 * whole timeout) open the circuit; it stays open 5 s (doubling to 30 s while Redis stays down), then one probe
 * decides. While open, callers skip Redis at once and read the table.
 */
export const RedisBreakerDefaults = {
  minimumCalls: 3,
  failureRateThreshold: 0.5,
  windowMs: 10_000,
  bucketMs: 1_000,
  cooldownMs: 5_000,
  cooldownMultiplier: 2,
  maxCooldownMs: 30_000,
  halfOpenMaxProbes: 1,
  halfOpenSuccessesToClose: 1,
  deadlineMarginMs: 0,
  // In memory, a sync costs nothing: evaluate the window right after failures.
  syncIntervalMs: 100,
  quietSyncIntervalMs: 1_000,
} as const satisfies CircuitBreakerOptions;

/** Options of {@link redisCircuitBreaker}. */
export interface RedisBreakerOptions {
  /** The Redis client's timeout: a call that takes it all is slow, and the breaker's own timeout sits just past it. */
  readonly timeoutMs: number;
  readonly log: Log;
  readonly metrics?: MetricsRecorder;
  /** Over {@link RedisBreakerDefaults}. */
  readonly config?: CircuitBreakerOptions;
  /** Default: the wall clock (tests pass a manual one). */
  readonly clock?: Clock;
}

/**
 * A per-container circuit breaker for Redis, from our own library with its memory store: after a few failures
 * Redis is skipped (`CircuitOpenError`, no call made) until a probe succeeds. Transitions are logged; an opening is
 * counted as `RedisCircuitOpened`.
 */
export const redisCircuitBreaker = ({
  timeoutMs,
  log,
  metrics,
  config,
  clock,
}: RedisBreakerOptions): CircuitBreaker => {
  const store = new MemoryCircuitStore();
  const callTimeoutMs = timeoutMs + 50;
  return new CircuitBreaker(REDIS_CIRCUIT_ID, {
    stateStore: store,
    counterStore: store,
    ...(clock === undefined ? {} : { clock }),
    config: {
      ...RedisBreakerDefaults,
      callTimeoutMs,
      slowCallDurationMs: timeoutMs,
      minProbeTimeMs: Math.min(200, callTimeoutMs),
      ...config,
    },
    listeners: {
      onTransition: ({ from, to, reason }) => {
        if (to === 'OPEN') metrics?.addMetric(RedisBreakerMetrics.circuitOpened, MetricUnit.Count, 1);
        const line = { circuitId: REDIS_CIRCUIT_ID, from, to, reason };
        if (to === 'OPEN') log.warn('redis circuit opened: Redis is skipped until a probe succeeds', line);
        else log.info(`redis circuit ${to.toLowerCase()}`, line);
      },
      onError: ({ operation, error }) =>
        log.warn('redis circuit breaker error', { operation, ...describeError(error) }),
    },
  });
};

/** `RedisCommands` through a circuit breaker: an open circuit throws `CircuitOpenError` without calling Redis. */
export class GuardedRedis implements RedisCommands {
  readonly #redis: RedisCommands;
  readonly #breaker: CircuitBreaker;

  public constructor(redis: RedisCommands, breaker: CircuitBreaker) {
    this.#redis = redis;
    this.#breaker = breaker;
  }

  public get(key: string): Promise<string | null> {
    return this.#breaker.execute(() => this.#redis.get(key));
  }

  public set(
    key: string,
    value: string,
    options: { ex: number } | { ex: number; nx: true },
  ): Promise<string | null> {
    return this.#breaker.execute(() => this.#redis.set(key, value, options));
  }

  public del(...keys: string[]): Promise<number> {
    return this.#breaker.execute(() => this.#redis.del(...keys));
  }
}

/** True when Redis was skipped because its circuit is open (nothing was called). */
export const isRedisSkipped = (error: unknown): boolean =>
  error instanceof CircuitOpenError && error.circuitId === REDIS_CIRCUIT_ID;

/** Options of {@link cacheRedis}. */
export interface CacheRedisOptions {
  readonly secretId: string;
  /** Default `DEFAULT_REDIS_TIMEOUT_MS`. */
  readonly timeoutMs?: number;
  readonly log: Log;
  readonly metrics?: MetricsRecorder;
  /** Default: `redisSecretReader()`. */
  readonly readSecret?: SecretReader<RedisSecret>;
}

/**
 * The Redis of a function that uses it as a cache: follows its secret (`SecretBackedRedis`) and is guarded by the
 * container's Redis circuit, so a Redis outage costs a few timeouts per container, then nothing until Redis is back.
 */
export const cacheRedis = ({
  secretId,
  timeoutMs = DEFAULT_REDIS_TIMEOUT_MS,
  log,
  metrics,
  readSecret = redisSecretReader(),
}: CacheRedisOptions): RedisCommands =>
  new GuardedRedis(
    new SecretBackedRedis(secretId, readSecret, { timeoutMs }),
    redisCircuitBreaker({ timeoutMs, log, ...(metrics === undefined ? {} : { metrics }) }),
  );
