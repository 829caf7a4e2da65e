import { CircuitBreakerConfigurationError } from './errors.js';

/**
 * Default settings of a circuit. Every option of {@link CircuitBreakerConfig} is documented here with its default;
 * the values follow resilience4j's semantics, tuned for a payment gateway called from Lambda functions.
 *
 * Precedence: defaults → the registry's `config` → the per-circuit overrides given to `for(circuitId, overrides)`.
 *
 * @example
 * ```ts
 * const config = resolveConfig({ cooldownMs: CircuitBreakerDefaults.cooldownMs * 2 });
 * ```
 */
export const CircuitBreakerDefaults = {
  /** Share of failed calls in the window at or above which the circuit opens (0–1]. */
  failureRateThreshold: 0.5,
  /** Share of slow calls in the window at or above which the circuit opens (0–1]. 1 = only when every call is slow. */
  slowCallRateThreshold: 0.8,
  /** A call that takes at least this long counts as slow (whatever its outcome). */
  slowCallDurationMs: 2_000,
  /** Fewer calls than this in the window never open the circuit, whatever the rates. */
  minimumCalls: 20,
  /** Length of the fleet-wide sliding window. A multiple of `bucketMs`. */
  windowMs: 30_000,
  /** Resolution of the window: outcomes are counted per bucket of this length. Same for every writer of a circuit. */
  bucketMs: 1_000,
  /** How long the circuit stays OPEN after it trips. */
  cooldownMs: 30_000,
  /** Each failed half-open round multiplies the cooldown by this factor (1 = constant cooldown). */
  cooldownMultiplier: 2,
  /** Upper bound of the grown cooldown. */
  maxCooldownMs: 300_000,
  /** K: probes allowed in flight at the same time across the fleet while HALF_OPEN. */
  halfOpenMaxProbes: 2,
  /** M: successful probes that close the circuit. One failed (or slow) probe reopens it. */
  halfOpenSuccessesToClose: 3,
  /** Per-call timeout; the call's AbortSignal fires when it elapses and the call counts as a failure. */
  callTimeoutMs: 5_000,
  /** Time kept free before the caller's deadline (to record the outcome and answer); calls are cut shorter. */
  deadlineMarginMs: 500,
  /** A probe needs at least this much time (after the margin) or it is not started. */
  minProbeTimeMs: 200,
  /** Extra validity of a probe lease beyond its call timeout, to write the probe's result. Covers clock skew. */
  leaseSlackMs: 1_000,
  /**
   * Sync period while this container has seen a failure or a slow call since its last sync, or the circuit is not
   * CLOSED: such a sync is awaited before the next decision, so a trip is seen within about this long.
   */
  syncIntervalMs: 1_000,
  /** Sync period of a quiet, closed circuit (only successes): the sync then runs beside the call, off its path. */
  quietSyncIntervalMs: 15_000,
  /** A cached state older than this (e.g. a container thawed after minutes) is refreshed before deciding. */
  maxStaleMs: 30_000,
  /**
   * Fast path (when a state signal is configured): a container letting calls through reads the signal at most this
   * often, so it sees a trip made elsewhere within about this long. After a failed read it waits
   * `quietSyncIntervalMs` before trying again (the state-store sync policy alone applies meanwhile). Every sync
   * postpones the next read by this long, so a value above `quietSyncIntervalMs` means the signal is never read.
   */
  signalIntervalMs: 1_000,
  /**
   * Coordination budgets: what the whole fleet of one circuit may send to each store per second. Every container
   * estimates the fleet's size from the window (each flush adds the time since the container's previous one) and
   * stretches its own intervals to `fleet / budget` when that is longer than the interval above, so the circuit's
   * load on a store stays under its budget whatever the number of containers (see README, Cost at scale).
   *
   * Flushes of outcomes to the state item (each a write of ≤ 2 KB, ≤ 2 WCU): 150/s keeps the item under 300 of a
   * partition's 1,000 WCU/s, and under 500 writes/s even when the fleet estimate is low by a half (it lags a fleet
   * that grows, and a window that was just reset).
   */
  stateWritesPerSecond: 150,
  /** Reads of the state item that carry no outcomes (1 RCU each, strongly consistent): a third of 3,000 RCU/s. */
  stateReadsPerSecond: 1_000,
  /**
   * Fast-path reads (one Redis command each), per circuit: 8,000/s stays under Upstash pay-as-you-go's 10,000
   * commands/s and keeps a trip visible within 10,000 / 8,000 ≈ 1.3 s for a fleet of 10,000 containers (an estimate
   * high by a third: 1.7 s). Lower it when the database serves much else: visibility is fleet / budget seconds.
   */
  signalReadsPerSecond: 8_000,
  /**
   * Attempts to take a half-open probe lease (a conditional write each), fleet-wide: once the fleet is larger than
   * this, a container tries at most once per `syncIntervalMs`, with probability `budget / fleet`, so the end of a
   * cooldown does not become one conditional write per container.
   */
  probeAttemptsPerSecond: 50,
  /** `retryAfterMs` reported while FORCED_OPEN (no cooldown applies). */
  forcedOpenRetryAfterMs: 60_000,
  /** Upper bound of `retryAfterMs` while HALF_OPEN with every probe slot taken. */
  halfOpenRetryAfterMs: 1_000,
  /** The circuit's item expires (TTL) this long after its last sync or transition. */
  retentionMs: 7 * 24 * 3_600_000,
} as const;

/**
 * Settings of one circuit (see {@link CircuitBreakerDefaults} for each meaning and default).
 *
 * @example
 * ```ts
 * const config: CircuitBreakerConfig = resolveConfig({ failureRateThreshold: 0.3 });
 * ```
 */
export type CircuitBreakerConfig = { readonly [K in keyof typeof CircuitBreakerDefaults]: number };

/**
 * Settings given by a caller: any subset of {@link CircuitBreakerConfig}.
 *
 * @example
 * ```ts
 * const options: CircuitBreakerOptions = { failureRateThreshold: 0.3, callTimeoutMs: 2_000 };
 * ```
 */
export type CircuitBreakerOptions = Partial<CircuitBreakerConfig>;

const positive = (name: keyof CircuitBreakerConfig, value: number): void => {
  if (!Number.isFinite(value) || value <= 0) {
    throw new CircuitBreakerConfigurationError(
      `circuit breaker: ${name} must be a positive number, got ${value}`,
    );
  }
};

const integer = (name: keyof CircuitBreakerConfig, value: number): void => {
  if (!Number.isInteger(value) || value < 1) {
    throw new CircuitBreakerConfigurationError(
      `circuit breaker: ${name} must be an integer ≥ 1, got ${value}`,
    );
  }
};

const rate = (name: keyof CircuitBreakerConfig, value: number): void => {
  if (!(value > 0 && value <= 1)) {
    throw new CircuitBreakerConfigurationError(`circuit breaker: ${name} must be in (0, 1], got ${value}`);
  }
};

/**
 * Merges overrides over the defaults (later arguments win) and validates the result.
 * @throws CircuitBreakerConfigurationError naming the first invalid option.
 *
 * @example
 * ```ts
 * const config = resolveConfig({ windowMs: 20_000, minimumCalls: 50 }); // throws on an invalid option
 * ```
 */
export const resolveConfig = (
  ...layers: readonly (CircuitBreakerOptions | undefined)[]
): CircuitBreakerConfig => {
  const merged: Record<keyof CircuitBreakerConfig, number> = { ...CircuitBreakerDefaults };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer ?? {})) {
      if (!(key in CircuitBreakerDefaults))
        throw new CircuitBreakerConfigurationError(`circuit breaker: unknown option ${key}`);
      if (value !== undefined) merged[key as keyof CircuitBreakerConfig] = value;
    }
  }
  rate('failureRateThreshold', merged.failureRateThreshold);
  rate('slowCallRateThreshold', merged.slowCallRateThreshold);
  integer('minimumCalls', merged.minimumCalls);
  integer('halfOpenMaxProbes', merged.halfOpenMaxProbes);
  integer('halfOpenSuccessesToClose', merged.halfOpenSuccessesToClose);
  for (const name of [
    'slowCallDurationMs',
    'windowMs',
    'bucketMs',
    'cooldownMs',
    'maxCooldownMs',
    'callTimeoutMs',
    'minProbeTimeMs',
    'syncIntervalMs',
    'quietSyncIntervalMs',
    'maxStaleMs',
    'signalIntervalMs',
    'forcedOpenRetryAfterMs',
    'halfOpenRetryAfterMs',
    'retentionMs',
    'stateWritesPerSecond',
    'stateReadsPerSecond',
    'signalReadsPerSecond',
    'probeAttemptsPerSecond',
  ] as const) {
    positive(name, merged[name]);
  }
  if (merged.deadlineMarginMs < 0 || merged.leaseSlackMs < 0) {
    throw new CircuitBreakerConfigurationError(
      'circuit breaker: deadlineMarginMs and leaseSlackMs must not be negative',
    );
  }
  if (merged.windowMs % merged.bucketMs !== 0 || merged.windowMs / merged.bucketMs > 120) {
    throw new CircuitBreakerConfigurationError(
      `circuit breaker: windowMs (${merged.windowMs}) must be a multiple of bucketMs (${merged.bucketMs}), at most 120 buckets`,
    );
  }
  if (merged.cooldownMultiplier < 1) {
    throw new CircuitBreakerConfigurationError(
      `circuit breaker: cooldownMultiplier must be ≥ 1, got ${merged.cooldownMultiplier}`,
    );
  }
  if (merged.maxCooldownMs < merged.cooldownMs) {
    throw new CircuitBreakerConfigurationError('circuit breaker: maxCooldownMs must be ≥ cooldownMs');
  }
  if (merged.quietSyncIntervalMs < merged.syncIntervalMs || merged.maxStaleMs < merged.quietSyncIntervalMs) {
    throw new CircuitBreakerConfigurationError(
      'circuit breaker: need syncIntervalMs ≤ quietSyncIntervalMs ≤ maxStaleMs',
    );
  }
  return Object.freeze(merged);
};
