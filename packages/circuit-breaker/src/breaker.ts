import { type GuardedCall, runWithTimeout } from './call.js';
import {
  type Classification,
  defaultErrorClassifier,
  defaultResultClassifier,
  type ErrorClassifier,
  type ResultClassifier,
} from './classify.js';
import { type CircuitBreakerConfig, type CircuitBreakerOptions, resolveConfig } from './config.js';
import { CallTimeoutError, CircuitOpenError } from './errors.js';
import type { CircuitBreakerListeners } from './listeners.js';
import { writeManualState } from './manual.js';
import { callBudget, deadlineOf, probesRationed, syncNeed } from './policy.js';
import { CircuitReplica, type Clock, systemClock } from './replica.js';
import type { CircuitSnapshot, ManualTarget, ProbeLease } from './state.js';
import { decide, type ProbeResult, planProbeResult } from './state-machine.js';
import type { CircuitStateSignal, CircuitStateStore, OutcomeCounterStore } from './store.js';

/**
 * What a breaker needs. Stores are injected: DynamoDB in production, memory in tests.
 *
 * @example
 * ```ts
 * const store = new MemoryCircuitStore();
 * const deps: CircuitBreakerDependencies = { stateStore: store, counterStore: store, config: { callTimeoutMs: 2_000 } };
 * ```
 */
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
  /**
   * The fast path (e.g. `RedisStateSignal`): transitions are seen fleet-wide within about `signalIntervalMs`
   * instead of `quietSyncIntervalMs`. An accelerator only: the state store stays the source of truth. Default: none.
   */
  readonly signal?: CircuitStateSignal;
  /** Random fractions in [0, 1): spreads a large fleet's syncs and probe attempts. Default: Math.random. */
  readonly random?: () => number;
}

/**
 * Per-call options. Give the caller's time budget, so that no call or probe lease outlives the invocation.
 *
 * @example
 * ```ts
 * await breaker.execute(call, { remainingTimeMs: context.getRemainingTimeInMillis() });
 * ```
 */
export interface ExecuteOptions {
  /** The invocation's remaining time, measured now (Lambda: `context.getRemainingTimeInMillis()`). */
  readonly remainingTimeMs?: number;
  /** An absolute deadline in epoch ms (on the breaker's clock). The earlier of the two applies. */
  readonly deadline?: number;
  /** The caller's own cancellation: passed on to the call; a call cancelled this way is not counted. */
  readonly signal?: AbortSignal;
}

/**
 * The seam a caller depends on: run this call under the circuit.
 *
 * @example
 * ```ts
 * const guard: Guard = breaker.guard({ remainingTimeMs: context.getRemainingTimeInMillis() });
 * const charge = await guard(({ signal }) => gateway.charge(request, { signal }));
 * ```
 */
export type Guard = <T>(call: GuardedCall<T>) => Promise<T>;

const MAX_ATTEMPTS = 8;

/**
 * One circuit, as seen from one container: decides each call on the cached shared state (no store round trip on
 * the hot path of a closed circuit), runs it with a timeout, classifies and counts its outcome, and turns probe
 * results into fenced transitions. The store traffic lives in {@link CircuitReplica}; the rules in the pure
 * state machine (`decide`, `planTrip`, `planProbeResult`).
 *
 * @example
 * ```ts
 * import { CircuitBreaker, CircuitOpenError, MemoryCircuitStore } from '@breakwater/circuit-breaker';
 *
 * const store = new MemoryCircuitStore();
 * const breaker = new CircuitBreaker('gateway', { stateStore: store, counterStore: store });
 * try {
 *   await breaker.execute(({ signal }) => fetch(url, { signal }));
 * } catch (error) {
 *   if (error instanceof CircuitOpenError) console.log(`retry in ${error.retryAfterMs} ms`);
 * }
 * ```
 */
export class CircuitBreaker {
  public readonly circuitId: string;
  public readonly config: CircuitBreakerConfig;
  readonly #replica: CircuitReplica;
  readonly #stateStore: CircuitStateStore;
  readonly #clock: Clock;
  readonly #classifyError: ErrorClassifier;
  readonly #classifyResult: ResultClassifier;
  readonly #listeners: CircuitBreakerListeners;
  /** A sync some decision is waiting for: concurrent calls wait for it too instead of deciding on the old cache. */
  #decisive: Promise<void> | undefined;
  readonly #random: () => number;
  /** When this container last considered taking a probe lease in a rationed fleet. */
  #lastProbeChance = Number.NEGATIVE_INFINITY;

  public constructor(circuitId: string, dependencies: CircuitBreakerDependencies) {
    this.circuitId = circuitId;
    this.config = resolveConfig(dependencies.config);
    this.#stateStore = dependencies.stateStore;
    this.#clock = dependencies.clock ?? systemClock;
    this.#classifyError = dependencies.classifyError ?? defaultErrorClassifier;
    this.#classifyResult = dependencies.classifyResult ?? defaultResultClassifier;
    this.#listeners = dependencies.listeners ?? {};
    this.#random = dependencies.random ?? Math.random;
    this.#replica = new CircuitReplica({
      random: this.#random,
      circuitId,
      config: this.config,
      stateStore: dependencies.stateStore,
      counterStore: dependencies.counterStore,
      clock: this.#clock,
      listeners: this.#listeners,
      ...(dependencies.signal === undefined ? {} : { signal: dependencies.signal }),
    });
  }

  /** The last known state (CLOSED version 0 before the first sync). */
  public get snapshot(): CircuitSnapshot {
    return this.#replica.snapshot;
  }

  /** True while the shared store is unreachable and the local fallback decides. */
  public get degraded(): boolean {
    return this.#replica.degraded;
  }

  /** The number of containers calling this circuit, as its shared window last showed it (1 before a sync). */
  public get fleetEstimate(): number {
    return this.#replica.fleet;
  }

  /**
   * Runs `call` if the circuit admits it. The call gets an AbortSignal that fires at its timeout (the smaller of
   * `callTimeoutMs` and the caller's deadline minus `deadlineMarginMs`).
   * @throws CircuitOpenError when the call is not admitted (nothing was called).
   * @throws CallTimeoutError when the call timed out; otherwise whatever the call threw.
   */
  public async execute<T>(call: GuardedCall<T>, options: ExecuteOptions = {}): Promise<T> {
    const now = this.#clock.now();
    let need = syncNeed(this.#replica.cacheView(), now, this.config);
    if (need === 'await') {
      this.#decisive ??= this.#replica.sync().finally(() => {
        this.#decisive = undefined;
      });
    }
    // E.g. the sync after failures, which may trip the circuit: a call arriving while it runs (another record of
    // the same batch) must not slip through on the cache it is about to replace.
    if (this.#decisive !== undefined) {
      await this.#decisive;
      need = 'none'; // the store was just read: nothing more to sync for this call
    }
    // A quiet circuit's sync, or a read of the fast path, runs beside the call, off its path, and is awaited before
    // returning so that nothing is left in flight when a Lambda invocation ends.
    let beside: Promise<void> | undefined;
    if (need === 'beside') beside = this.#replica.sync();
    else if (this.#replica.signalDue(now)) {
      // A container that called too rarely to read beside its calls in time looks before deciding instead.
      if (this.#replica.signalStale(now)) await this.#replica.readSignal();
      else beside = this.#replica.readSignal();
    }
    try {
      return await this.#admitAndRun(call, deadlineOf(now, options), options.signal);
    } finally {
      if (beside !== undefined) await beside;
    }
  }

  /**
   * A guard bound to a time budget, `remainingTimeMs` measured now. This is the seam billing depends on:
   * `guard: breakers.for('gateway:stripe-eu').guard({ remainingTimeMs: context.getRemainingTimeInMillis() })`.
   */
  public guard(options: ExecuteOptions = {}): Guard {
    const deadline = deadlineOf(this.#clock.now(), options);
    const fixed: ExecuteOptions = {
      deadline,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    };
    return (call) => this.execute(call, fixed);
  }

  /**
   * Flushes this container's pending outcomes, refreshes the state and evaluates the fleet-wide window (tripping
   * the circuit when it crosses a threshold). One round trip; concurrent calls share it; never throws. Call it at
   * the end of a batch to publish the batch's outcomes without waiting for the next call.
   */
  public sync(): Promise<void> {
    return this.#replica.sync();
  }

  /**
   * An operator's transition (FORCED_OPEN, DISABLED, METRICS_ONLY, back to CLOSED, or OPEN now), written to the
   * shared store with the same version fence as every other write. Other containers see it at their next sync
   * (an automatically OPEN circuit is re-read when its cooldown ends).
   * @throws CircuitStoreError when the shared store cannot be read or written.
   */
  public async setState(target: ManualTarget, reason: string): Promise<CircuitSnapshot> {
    const { from, to } = await writeManualState(this.#stateStore, this.circuitId, target, {
      reason,
      config: this.config,
      now: () => this.#clock.now(),
    });
    this.#replica.adopt(to);
    await this.#replica.announce(from, to, undefined);
    return to;
  }

  async #admitAndRun<T>(call: GuardedCall<T>, deadline: number, signal: AbortSignal | undefined): Promise<T> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const now = this.#clock.now();
      const snapshot = this.#replica.snapshot;
      const { timeoutMs, lease } = callBudget(now, deadline, this.config);
      const decision = decide(snapshot, this.config, now, lease);
      if (decision.kind === 'call') {
        if (timeoutMs <= 0) throw new CallTimeoutError(this.circuitId, 0);
        return this.#runCall(call, decision.record, timeoutMs, signal);
      }
      if (decision.kind === 'reject') this.#reject(snapshot, decision.retryAfterMs, decision.reason);
      else if (!this.#mayTryProbe(now)) {
        this.#reject(
          snapshot,
          this.config.halfOpenRetryAfterMs,
          'probe attempts are rationed across the fleet',
        );
      } else if ((await this.#replica.write(snapshot, decision.next)) === 'applied') {
        return this.#runProbe(call, decision.slot, decision.lease, timeoutMs, signal);
      }
      // Refused (another container moved first) or the store failed: the cache now holds the truth, decide again.
    }
    this.#reject(this.#replica.snapshot, this.config.halfOpenRetryAfterMs, 'contention on the probe slots');
  }

  /**
   * In a fleet larger than `probeAttemptsPerSecond`, a container considers a probe lease at most once per
   * `syncIntervalMs` and tries with probability budget / fleet, so the fleet makes about `probeAttemptsPerSecond`
   * conditional writes a second when a cooldown ends instead of one per container. The K slots and the version
   * fence still decide who probes; this only spares the store the writes that would be refused.
   */
  #mayTryProbe(now: number): boolean {
    const fleet = this.#replica.fleet;
    if (!probesRationed(fleet, this.config)) return true;
    if (now - this.#lastProbeChance < this.config.syncIntervalMs) return false;
    this.#lastProbeChance = now;
    return this.#random() < this.config.probeAttemptsPerSecond / fleet;
  }

  #reject(snapshot: CircuitSnapshot, retryAfterMs: number, reason: string): never {
    try {
      this.#listeners.onRejected?.({
        circuitId: this.circuitId,
        state: snapshot.state,
        retryAfterMs,
        reason,
      });
    } catch (error) {
      this.#replica.reportError('listener', error);
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
        const slow = ended - started >= this.config.slowCallDurationMs;
        this.#replica.record(ended, { failure: classification === 'failure', slow });
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
      const slow = this.#clock.now() - started >= this.config.slowCallDurationMs;
      await this.#reportProbe(slot, lease.id, result === 'success' && slow ? 'failure' : result);
    }
  }

  #run<T>(call: GuardedCall<T>, timeoutMs: number, probe: boolean, signal?: AbortSignal): Promise<T> {
    const options = { circuitId: this.circuitId, timeoutMs, probe };
    return runWithTimeout(call, signal === undefined ? options : { ...options, signal });
  }

  #classifyThrown(error: unknown, timeoutMs: number, signal: AbortSignal | undefined): Classification {
    // The caller's own cancellation says nothing about the dependency; nor does a timeout that the caller's
    // deadline imposed before the call could even count as slow.
    if (signal?.aborted === true) return 'ignore';
    const cutShort = timeoutMs < this.config.callTimeoutMs && timeoutMs < this.config.slowCallDurationMs;
    if (error instanceof CallTimeoutError && cutShort) return 'ignore';
    return this.#classifyError(error);
  }

  async #reportProbe(slot: string, leaseId: string, result: ProbeResult): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const snapshot = this.#replica.snapshot;
      const next = planProbeResult(snapshot, slot, leaseId, result, this.config, this.#clock.now());
      // Undefined: the round is over or the lease was taken over. An error: the lease simply expires.
      if (next === undefined || (await this.#replica.write(snapshot, next)) !== 'refused') return;
    }
  }
}

const asProbeResult = (classification: Classification): ProbeResult =>
  classification === 'ignore' ? 'release' : classification;
