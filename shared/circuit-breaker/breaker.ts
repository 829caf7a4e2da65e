import { randomUUID } from 'node:crypto';
import { type GuardedCall, runWithTimeout } from './call';
import {
  type Classification,
  defaultErrorClassifier,
  defaultResultClassifier,
  type ErrorClassifier,
  type ResultClassifier,
} from './classify';
import { type CircuitBreakerConfig, type CircuitBreakerOptions, resolveConfig } from './config';
import { CallTimeoutError, CircuitOpenError, CircuitStoreError } from './errors';
import type { BreakerErrorEvent, CircuitBreakerListeners } from './listeners';
import { MemoryCircuitStore } from './memory-store';
import {
  type CircuitSnapshot,
  CircuitStates,
  initialSnapshot,
  type ManualTarget,
  type ProbeLease,
} from './state';
import { decide, type ProbeResult, planManual, planProbeResult, planTrip } from './state-machine';
import type { CircuitStateStore, FlushContext, OutcomeCounterStore } from './store';
import {
  type BucketCounts,
  firstWindowBucket,
  OutcomeAccumulator,
  summarizeWindow,
  type WindowSummary,
} from './window';

/** A source of the current time in epoch ms (injectable so tests control it). */
export interface Clock {
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** What a breaker needs. Stores are injected: DynamoDB in production, memory in tests. */
export interface CircuitBreakerDependencies {
  readonly stateStore: CircuitStateStore;
  readonly counterStore: OutcomeCounterStore;
  readonly config?: CircuitBreakerOptions;
  /** Default: the wall clock. */
  readonly clock?: Clock;
  /** Default: {@link defaultErrorClassifier}. */
  readonly classifyError?: ErrorClassifier;
  /** Default: every returned value is a success. */
  readonly classifyResult?: ResultClassifier;
  readonly listeners?: CircuitBreakerListeners;
}

/** Per-call options. Give the caller's time budget, so that no call or probe lease outlives the invocation. */
export interface ExecuteOptions {
  /** The invocation's remaining time, measured now (Lambda: `context.getRemainingTimeInMillis()`). */
  readonly remainingTimeMs?: number;
  /** An absolute deadline in epoch ms (on the breaker's clock). The earlier of the two applies. */
  readonly deadline?: number;
  /** The caller's own cancellation: passed on to the call; a call cancelled this way is not counted. */
  readonly signal?: AbortSignal;
}

/** The seam a caller depends on: run this call under the circuit. */
export type Guard = <T>(call: GuardedCall<T>) => Promise<T>;

type SyncNeed = 'none' | 'beside' | 'await';
type WriteResult = 'applied' | 'refused' | 'error';
const MAX_WRITE_ATTEMPTS = 8;

/**
 * One circuit, as seen from one container. Decisions are made on a cached snapshot of the shared state; outcomes
 * are counted locally and flushed with each sync, which also refreshes the snapshot and evaluates the fleet-wide
 * window (one store round trip). Every state change is a compare-and-set on the snapshot's version.
 *
 * If the shared store fails, the breaker carries on with a local fallback seeded from the last known state (it
 * trips, cools down and probes on this container's own outcomes), reports every store error to `onError`, and
 * returns to the shared state at the first sync that succeeds: it neither stops calling nor stays stuck.
 */
export class CircuitBreaker {
  public readonly circuitId: string;
  public readonly config: CircuitBreakerConfig;
  readonly #stateStore: CircuitStateStore;
  readonly #counterStore: OutcomeCounterStore;
  readonly #clock: Clock;
  readonly #classifyError: ErrorClassifier;
  readonly #classifyResult: ResultClassifier;
  readonly #listeners: CircuitBreakerListeners;
  readonly #pending = new OutcomeAccumulator();
  #fallback: MemoryCircuitStore | undefined;
  #snapshot: CircuitSnapshot | undefined;
  /** Incremented by every write this container makes, so a sync that raced one does not undo it. */
  #writes = 0;
  #syncedAt = Number.NEGATIVE_INFINITY;
  #lastSharedAttempt = Number.NEGATIVE_INFINITY;
  #syncing: Promise<void> | undefined;

  public constructor(circuitId: string, dependencies: CircuitBreakerDependencies) {
    this.circuitId = circuitId;
    this.config = resolveConfig(dependencies.config);
    this.#stateStore = dependencies.stateStore;
    this.#counterStore = dependencies.counterStore;
    this.#clock = dependencies.clock ?? systemClock;
    this.#classifyError = dependencies.classifyError ?? defaultErrorClassifier;
    this.#classifyResult = dependencies.classifyResult ?? defaultResultClassifier;
    this.#listeners = dependencies.listeners ?? {};
  }

  /** The last known state (undefined before the first sync). */
  public get snapshot(): CircuitSnapshot | undefined {
    return this.#snapshot;
  }

  /** True while the shared store is unreachable and the local fallback decides. */
  public get degraded(): boolean {
    return this.#fallback !== undefined;
  }

  /**
   * Runs `call` if the circuit admits it. The call gets an AbortSignal that fires at its timeout (the smaller of
   * `callTimeoutMs` and the caller's deadline minus `deadlineMarginMs`).
   * @throws CircuitOpenError when the call is not admitted (nothing was called).
   * @throws CallTimeoutError when the call timed out; otherwise whatever the call threw.
   */
  public async execute<T>(call: GuardedCall<T>, options: ExecuteOptions = {}): Promise<T> {
    const now = this.#clock.now();
    const deadline = Math.min(
      options.deadline ?? Number.POSITIVE_INFINITY,
      options.remainingTimeMs === undefined ? Number.POSITIVE_INFINITY : now + options.remainingTimeMs,
    );
    const need = this.#syncNeed(now);
    if (need === 'await') await this.sync();
    // A quiet circuit's sync runs beside the call, off its path, and is awaited before returning so that nothing
    // is left in flight when a Lambda invocation ends.
    const beside = need === 'beside' ? this.sync() : undefined;
    try {
      return await this.#admitAndRun(call, deadline, options.signal);
    } finally {
      if (beside !== undefined) await beside;
    }
  }

  /**
   * A guard bound to a time budget: `(call) => execute(call, options)`, with `remainingTimeMs` measured now.
   * This is the seam billing depends on: `guard: breakers.for(id).guard({ remainingTimeMs })`.
   */
  public guard(options: ExecuteOptions = {}): Guard {
    const deadline = Math.min(
      options.deadline ?? Number.POSITIVE_INFINITY,
      options.remainingTimeMs === undefined
        ? Number.POSITIVE_INFINITY
        : this.#clock.now() + options.remainingTimeMs,
    );
    const fixed: ExecuteOptions = {
      deadline,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    };
    return (call) => this.execute(call, fixed);
  }

  /**
   * Flushes this container's pending outcomes, refreshes the state and evaluates the fleet-wide window (tripping
   * the circuit when it crosses a threshold). One round trip to the stores; concurrent calls share it; never throws.
   */
  public sync(): Promise<void> {
    this.#syncing ??= this.#runSync().finally(() => {
      this.#syncing = undefined;
    });
    return this.#syncing;
  }

  /**
   * An operator's transition (FORCED_OPEN, DISABLED, METRICS_ONLY, or back to CLOSED, or OPEN now), written to the
   * shared store with the same fencing as every other write. Containers see it at their next sync.
   * @throws CircuitStoreError when the shared store cannot be read or written.
   */
  public async setState(target: ManualTarget, reason: string): Promise<CircuitSnapshot> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
      const { snapshot } = await this.#stateStore.read(this.circuitId);
      const now = this.#clock.now();
      const next = planManual(snapshot, target, this.config, now, reason);
      const result = await this.#stateStore.compareAndSet(
        this.circuitId,
        snapshot.version,
        next,
        this.#written(now),
      );
      if (result.applied) {
        this.#adopt(next);
        await this.#emitTransition(snapshot, next, undefined);
        return next;
      }
    }
    throw new CircuitStoreError(this.circuitId, 'setState', { cause: new Error('the state kept changing') });
  }

  #syncNeed(now: number): SyncNeed {
    const snapshot = this.#snapshot;
    if (snapshot === undefined) return 'await';
    const { syncIntervalMs, quietSyncIntervalMs, maxStaleMs } = this.config;
    // On the fallback, retry the shared store periodically but never make a decision wait for a failing store.
    if (this.#fallback !== undefined)
      return now - this.#lastSharedAttempt >= syncIntervalMs ? 'beside' : 'none';
    const age = now - this.#syncedAt;
    switch (snapshot.state) {
      case CircuitStates.closed:
      case CircuitStates.metricsOnly:
        if (age >= maxStaleMs || (this.#pending.adverse && age >= syncIntervalMs)) return 'await';
        return age >= quietSyncIntervalMs ? 'beside' : 'none';
      case CircuitStates.disabled:
        return age >= quietSyncIntervalMs ? 'beside' : 'none';
      case CircuitStates.open:
        // Rejections stay local until the cooldown ends; then the compare-and-set to HALF_OPEN reads the truth.
        return 'none';
      case CircuitStates.halfOpen:
        return age >= syncIntervalMs ? 'await' : 'none';
      case CircuitStates.forcedOpen:
        return age >= quietSyncIntervalMs ? 'await' : 'none';
    }
  }

  async #admitAndRun<T>(call: GuardedCall<T>, deadline: number, signal: AbortSignal | undefined): Promise<T> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
      const now = this.#clock.now();
      const snapshot = this.#snapshot ?? initialSnapshot;
      const timeoutMs = Math.min(this.config.callTimeoutMs, deadline - now - this.config.deadlineMarginMs);
      const lease: ProbeLease | undefined =
        timeoutMs >= this.config.minProbeTimeMs
          ? { id: randomUUID(), until: Math.min(now + timeoutMs + this.config.leaseSlackMs, deadline) }
          : undefined;
      const decision = decide(snapshot, this.config, now, lease);
      if (decision.kind === 'call') {
        if (timeoutMs <= 0) throw new CallTimeoutError(this.circuitId, 0);
        return this.#runCall(call, decision.record, timeoutMs, signal);
      }
      if (decision.kind === 'reject') this.#reject(snapshot, decision.retryAfterMs, decision.reason);
      else if ((await this.#write(snapshot, decision.next, undefined)) === 'applied') {
        return this.#runProbe(call, decision.slot, decision.lease, timeoutMs, signal);
      }
      // Refused (another container moved first) or the store failed: the cache now holds the truth, decide again.
    }
    this.#reject(
      this.#snapshot ?? initialSnapshot,
      this.config.halfOpenRetryAfterMs,
      'contention on the probe slots',
    );
  }

  #reject(snapshot: CircuitSnapshot, retryAfterMs: number, reason: string): never {
    const event = { circuitId: this.circuitId, state: snapshot.state, retryAfterMs, reason };
    try {
      this.#listeners.onRejected?.(event);
    } catch (error) {
      this.#reportError('listener', error);
    }
    throw new CircuitOpenError(this.circuitId, snapshot.state, retryAfterMs, reason);
  }

  async #runCall<T>(
    call: GuardedCall<T>,
    record: boolean,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<T> {
    const started = this.#clock.now();
    let classification: Classification = 'ignore';
    try {
      const value = await this.#run(call, timeoutMs, false, signal);
      classification = this.#classifyResult(value);
      return value;
    } catch (error) {
      classification = this.#classifyThrown(error, timeoutMs, signal);
      throw error;
    } finally {
      const ended = this.#clock.now();
      if (record && classification !== 'ignore') {
        const outcome = {
          failure: classification === 'failure',
          slow: ended - started >= this.config.slowCallDurationMs,
        };
        this.#pending.record(ended, outcome, this.config.bucketMs);
      }
    }
  }

  async #runProbe<T>(
    call: GuardedCall<T>,
    slot: string,
    lease: ProbeLease,
    timeoutMs: number,
    signal?: AbortSignal,
  ) {
    const started = this.#clock.now();
    let result: ProbeResult = 'release';
    try {
      const value = await this.#run(call, timeoutMs, true, signal);
      result = asProbeResult(this.#classifyResult(value));
      return value;
    } catch (error) {
      result = asProbeResult(this.#classifyThrown(error, timeoutMs, signal));
      throw error;
    } finally {
      // A slow probe is no evidence of recovery: the circuit may have opened for slowness.
      if (result === 'success' && this.#clock.now() - started >= this.config.slowCallDurationMs)
        result = 'failure';
      await this.#reportProbe(slot, lease.id, result);
    }
  }

  #run<T>(call: GuardedCall<T>, timeoutMs: number, probe: boolean, signal?: AbortSignal): Promise<T> {
    const options = { circuitId: this.circuitId, timeoutMs, probe };
    return runWithTimeout(call, signal === undefined ? options : { ...options, signal });
  }

  #classifyThrown(error: unknown, timeoutMs: number, signal: AbortSignal | undefined): Classification {
    // The caller's own cancellation says nothing about the dependency.
    if (signal?.aborted === true) return 'ignore';
    // Neither does a timeout imposed by the caller's deadline before the call could even count as slow.
    if (error instanceof CallTimeoutError && timeoutMs < this.config.callTimeoutMs) {
      if (timeoutMs < this.config.slowCallDurationMs) return 'ignore';
    }
    return this.#classifyError(error);
  }

  async #reportProbe(slot: string, leaseId: string, result: ProbeResult): Promise<void> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
      const snapshot = this.#snapshot ?? initialSnapshot;
      const next = planProbeResult(snapshot, slot, leaseId, result, this.config, this.#clock.now());
      // Undefined: the round is over or the lease was taken over; an error: the lease simply expires.
      if (next === undefined || (await this.#write(snapshot, next, undefined)) !== 'refused') return;
    }
  }

  /** A compare-and-set from `from` to `next` on the active store; the cache follows what the store holds. */
  async #write(
    from: CircuitSnapshot,
    next: CircuitSnapshot,
    window: WindowSummary | undefined,
  ): Promise<WriteResult> {
    const now = this.#clock.now();
    const store = this.#fallback ?? this.#stateStore;
    try {
      const result = await store.compareAndSet(this.circuitId, from.version, next, this.#written(now));
      this.#syncedAt = now;
      if (!result.applied) {
        this.#adopt(result.current);
        return 'refused';
      }
      this.#adopt(next);
      if (from.state !== next.state) await this.#emitTransition(from, next, window);
      return 'applied';
    } catch (error) {
      this.#enterFallback(error, 'compareAndSet');
      return 'error';
    }
  }

  #adopt(snapshot: CircuitSnapshot): void {
    this.#snapshot = snapshot;
    this.#writes += 1;
  }

  #written(now: number) {
    return { now, expiresAt: Math.ceil((now + this.config.retentionMs) / 1_000) };
  }

  async #runSync(): Promise<void> {
    const now = this.#clock.now();
    const deltas = this.#pending.drain(now, this.config);
    const context: FlushContext = {
      ...this.#written(now),
      staleBefore: firstWindowBucket(now, 0, this.config),
    };
    const writesBefore = this.#writes;
    if (this.#fallback === undefined || now - this.#lastSharedAttempt >= this.config.syncIntervalMs) {
      this.#lastSharedAttempt = now;
      try {
        const flushed = await this.#counterStore.flush(this.circuitId, deltas, context);
        const snapshot = flushed.snapshot ?? (await this.#stateStore.read(this.circuitId)).snapshot;
        const recovered = this.#fallback !== undefined;
        this.#fallback = undefined;
        await this.#applySync(snapshot, flushed.buckets, now, recovered || this.#writes === writesBefore);
        return;
      } catch (error) {
        // The deltas are not lost: the fallback counts them (they never reach the shared window).
        this.#enterFallback(error, 'sync');
      }
    }
    const fallback = this.#fallback ?? new MemoryCircuitStore();
    const flushed = await fallback.flush(this.circuitId, deltas, context);
    await this.#applySync(flushed.snapshot ?? initialSnapshot, flushed.buckets, now, true);
  }

  async #applySync(
    snapshot: CircuitSnapshot,
    buckets: readonly BucketCounts[],
    now: number,
    authoritative: boolean,
  ) {
    // A read that raced one of this container's own writes may be older than the cache; the newer one stays.
    if (authoritative || snapshot.version >= (this.#snapshot?.version ?? 0)) this.#adopt(snapshot);
    this.#syncedAt = now;
    const current = this.#snapshot ?? initialSnapshot;
    const window = summarizeWindow(buckets, now, current.windowStart, this.config);
    const local = this.#fallback !== undefined;
    try {
      this.#listeners.onSync?.({
        circuitId: this.circuitId,
        state: current.state,
        version: current.version,
        window,
        local,
      });
    } catch (error) {
      this.#reportError('listener', error);
    }
    const next = planTrip(current, window, this.config, now);
    if (next !== undefined) await this.#write(current, next, window);
  }

  #enterFallback(error: unknown, operation: 'sync' | 'compareAndSet'): void {
    if (this.#fallback === undefined) {
      this.#fallback = new MemoryCircuitStore();
      this.#fallback.seed(this.circuitId, this.#snapshot ?? initialSnapshot);
    }
    this.#reportError(operation, error);
  }

  #reportError(operation: BreakerErrorEvent['operation'], error: unknown): void {
    try {
      this.#listeners.onError?.({ circuitId: this.circuitId, operation, error, degraded: this.degraded });
    } catch {
      // An error listener that throws has nowhere left to report to.
    }
  }

  async #emitTransition(from: CircuitSnapshot, next: CircuitSnapshot, window: WindowSummary | undefined) {
    try {
      await this.#listeners.onTransition?.({
        circuitId: this.circuitId,
        from: from.state,
        to: next.state,
        version: next.version,
        reason: next.reason,
        at: next.since,
        ...(next.openUntil === undefined ? {} : { openUntil: next.openUntil }),
        ...(window === undefined ? {} : { window }),
        local: this.degraded,
      });
    } catch (error) {
      this.#reportError('listener', error);
    }
  }
}

const asProbeResult = (classification: Classification): ProbeResult =>
  classification === 'ignore' ? 'release' : classification;
