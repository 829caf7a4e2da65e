import type { CircuitBreakerConfig } from './config.js';
import { FastPath } from './fast-path.js';
import type { BreakerErrorEvent, CircuitBreakerListeners } from './listeners.js';
import { MemoryCircuitStore } from './memory-store.js';
import {
  type CacheView,
  type CoordinationIntervals,
  coordinationIntervals,
  probesRationed,
} from './policy.js';
import { type CircuitSnapshot, initialSnapshot } from './state.js';
import { planTrip } from './state-machine.js';
import type {
  CircuitStateSignal,
  CircuitStateStore,
  FlushContext,
  OutcomeCounterStore,
  WriteContext,
} from './store.js';
import {
  type BucketCounts,
  bucketIndex,
  type CallOutcome,
  firstWindowBucket,
  OutcomeAccumulator,
  summarizeWindow,
  type WindowSummary,
} from './window.js';

/** States whose calls are counted in the window (the others reject or probe, and a close resets the window). */
const recordsOutcomes = (state: CircuitSnapshot['state']): boolean =>
  state === 'CLOSED' || state === 'METRICS_ONLY';

/**
 * A source of the current time in epoch ms (injectable so tests control it).
 *
 * @example
 * ```ts
 * const clock: Clock = { now: () => Date.now() };
 * ```
 */
export interface Clock {
  now(): number;
}

/**
 * The wall clock.
 *
 * @example
 * ```ts
 * new CircuitBreaker('gateway', { ...deps, clock: systemClock });
 * ```
 */
export const systemClock: Clock = { now: () => Date.now() };

/** How a compare-and-set ended: applied, refused (the cache now holds the stored state), or the store failed. */
export type WriteResult = 'applied' | 'refused' | 'error';

/** What a replica needs. */
export interface ReplicaDependencies {
  readonly circuitId: string;
  readonly config: CircuitBreakerConfig;
  readonly stateStore: CircuitStateStore;
  readonly counterStore: OutcomeCounterStore;
  readonly clock: Clock;
  readonly listeners: CircuitBreakerListeners;
  /** The fast path (e.g. Redis). Default: none, a container learns of transitions at its syncs only. */
  readonly signal?: CircuitStateSignal;
  /** Random fractions in [0, 1) (injectable so simulations are deterministic). Default: Math.random. */
  readonly random?: () => number;
}

/**
 * This container's replica of one circuit: the cached snapshot, the outcomes not yet flushed, and the only code
 * that talks to the stores. A sync flushes the outcomes, refreshes the snapshot and evaluates the fleet-wide
 * window in one round trip; every state change is a compare-and-set on the snapshot's version.
 *
 * When the shared store fails, the replica switches to a local fallback (a memory store seeded with the last known
 * state), reports the error, retries the shared store every `syncIntervalMs`, and drops the fallback at the first
 * sync that succeeds: the shared state then wins and the local transitions are forgotten.
 *
 * With a signal, every transition the shared store applied is also published on the fast path, and
 * {@link CircuitReplica.readSignal} lets a container that is letting calls through learn of one within about
 * `signalIntervalMs` (see {@link FastPath}).
 */
export class CircuitReplica {
  readonly #deps: ReplicaDependencies;
  readonly #fastPath: FastPath | undefined;
  readonly #pending = new OutcomeAccumulator();
  #fallback: MemoryCircuitStore | undefined;
  #snapshot: CircuitSnapshot | undefined;
  /** Counts changes of the cache by writes, so that a sync that raced a write does not undo it. */
  #writes = 0;
  #syncedAt = Number.NEGATIVE_INFINITY;
  #lastSharedAttempt = Number.NEGATIVE_INFINITY;
  #syncing: Promise<void> | undefined;
  /** The fleet's size as the shared window last showed it. */
  #fleet = 1;
  #lastFlush: number | undefined;
  #activeSince: number | undefined;
  #fleetAt = Number.NEGATIVE_INFINITY;
  /** The intervals in force until the next sync (fixed when the cache was last refreshed). */
  #intervals: CoordinationIntervals | undefined;
  /** This container's fixed offset within stretched intervals (see coordinationIntervals). */
  readonly #jitter: number;

  public constructor(dependencies: ReplicaDependencies) {
    this.#deps = dependencies;
    const { signal, circuitId, config } = dependencies;
    this.#jitter = (dependencies.random ?? Math.random)();
    this.#fastPath = signal === undefined ? undefined : new FastPath(circuitId, signal, config, this.#jitter);
  }

  /** The fleet's size as the shared window last showed it (1 before the first sync). */
  public get fleet(): number {
    return this.#fleet;
  }

  /** The cached snapshot (the never-written state before the first sync). */
  public get snapshot(): CircuitSnapshot {
    return this.#snapshot ?? initialSnapshot;
  }

  /** True while the shared store is unreachable and the local fallback decides. */
  public get degraded(): boolean {
    return this.#fallback !== undefined;
  }

  /** What the sync policy needs to know. */
  public cacheView(): CacheView {
    return {
      snapshot: this.#snapshot,
      syncedAt: this.#syncedAt,
      adverse: this.#pending.adverse,
      ...(this.#pending.adverseSince === undefined ? {} : { adverseSince: this.#pending.adverseSince }),
      degraded: this.degraded,
      lastSharedAttempt: this.#lastSharedAttempt,
      fleet: this.#fleet,
      jitter: this.#jitter,
      ...(this.#intervals === undefined ? {} : { intervals: this.#intervals }),
    };
  }

  /**
   * Adopts a snapshot the fast path carried, when it is newer than the cache: it is what a fenced write of the
   * state store applied (only such writes are published), so no state-store read is needed to act on it. That
   * keeps a transition from sending every container of a large fleet to the state store at once.
   */
  public adoptPublished(snapshot: CircuitSnapshot): boolean {
    if (snapshot.version <= this.snapshot.version || this.degraded) return false;
    const before = this.snapshot.state;
    this.adopt(snapshot);
    this.#refreshed(this.#deps.clock.now(), before);
    return true;
  }

  /** Counts a finished call (flushed with the next sync). */
  public record(now: number, outcome: CallOutcome): void {
    this.#activeSince ??= now;
    this.#pending.record(now, outcome, this.#deps.config.bucketMs);
  }

  /** True when the fast path should be read now (beside the call about to be decided). */
  public signalDue(now: number): boolean {
    return this.#fastPath?.due(now, this.snapshot, this.degraded, this.#fleet) ?? false;
  }

  /** True when the due read of the fast path should be awaited before deciding (see {@link FastPath.stale}). */
  public signalStale(now: number): boolean {
    return this.#fastPath?.stale(now, this.#fleet) ?? false;
  }

  /** Reads the fast path and syncs if it announces a newer version. Never throws. */
  public readSignal(): Promise<void> {
    return this.#fastPath?.read(this.#deps.clock.now(), this) ?? Promise.resolve();
  }

  /** One sync at a time: concurrent callers share it. Never throws. */
  public sync(): Promise<void> {
    this.#syncing ??= this.#runSync().finally(() => {
      this.#syncing = undefined;
    });
    return this.#syncing;
  }

  /** A compare-and-set from `from` to `next` on the active store; the cache follows what the store holds. */
  public async write(
    from: CircuitSnapshot,
    next: CircuitSnapshot,
    window?: WindowSummary,
  ): Promise<WriteResult> {
    const now = this.#deps.clock.now();
    const store = this.#fallback ?? this.#deps.stateStore;
    try {
      const result = await store.compareAndSet(
        this.#deps.circuitId,
        from.version,
        next,
        this.writeContext(now),
      );
      if (!result.applied) {
        const before = this.snapshot.state;
        this.adopt(result.current);
        this.#refreshed(now, before);
        return 'refused';
      }
      this.#refreshed(now);
      this.adopt(next);
      if (from.state !== next.state) await this.announce(from, next, window);
      return 'applied';
    } catch (error) {
      this.#enterFallback(error, 'compareAndSet');
      return 'error';
    }
  }

  /** Makes a snapshot written elsewhere (e.g. by an operator through this breaker) the cached one. */
  public adopt(snapshot: CircuitSnapshot): void {
    this.#snapshot = snapshot;
    this.#writes += 1;
  }

  /** `now` and the TTL of the circuit's item. */
  public writeContext(now: number): WriteContext {
    return { now, expiresAt: Math.ceil((now + this.#deps.config.retentionMs) / 1_000) };
  }

  /**
   * Announces a transition this container wrote: on the fast path when the shared store applied it (a local
   * fallback's transition is not the truth), and to `onTransition`. Awaited; never throws.
   */
  public async announce(
    from: CircuitSnapshot,
    next: CircuitSnapshot,
    window: WindowSummary | undefined,
  ): Promise<void> {
    const published = this.degraded ? undefined : this.#fastPath?.publish(next, this);
    await Promise.all([published, this.emitTransition(from, next, window)]);
  }

  /** Reports a transition this container wrote (awaited; listener errors go to `onError`). */
  public async emitTransition(
    from: CircuitSnapshot,
    next: CircuitSnapshot,
    window: WindowSummary | undefined,
  ) {
    try {
      await this.#deps.listeners.onTransition?.({
        circuitId: this.#deps.circuitId,
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
      this.reportError('listener', error);
    }
  }

  /** Tells `onError`; never throws. */
  public reportError(operation: BreakerErrorEvent['operation'], error: unknown): void {
    try {
      this.#deps.listeners.onError?.({
        circuitId: this.#deps.circuitId,
        operation,
        error,
        degraded: this.degraded,
      });
    } catch {
      // An error listener that throws has nowhere left to report to.
    }
  }

  async #runSync(): Promise<void> {
    const { circuitId, config, clock, counterStore, stateStore } = this.#deps;
    const now = clock.now();
    const drained = this.#pending.drain(now, config);
    // Outcomes recorded before this container learnt the circuit is not CLOSED can no longer matter (the window is
    // reset when it closes): the sync is then a read, not a write, however many containers make it.
    const deltas = recordsOutcomes(this.snapshot.state) ? drained : [];
    const context: FlushContext = {
      ...this.writeContext(now),
      staleBefore: firstWindowBucket(now, 0, config),
      ...(deltas.length === 0 ? {} : { presence: this.#presence(now) }),
    };
    const writesBefore = this.#writes;
    const retryMs = coordinationIntervals(this.#fleet, config).adverseSyncMs;
    if (this.#fallback === undefined || now - this.#lastSharedAttempt >= retryMs) {
      this.#lastSharedAttempt = now;
      try {
        const flushed = await counterStore.flush(circuitId, deltas, context);
        const snapshot = flushed.snapshot ?? (await stateStore.read(circuitId)).snapshot;
        const recovered = this.#fallback !== undefined;
        this.#fallback = undefined;
        this.#fastPath?.synced(now, this.#fleet);
        await this.#applySync(snapshot, flushed.buckets, now, recovered || this.#writes === writesBefore);
        return;
      } catch (error) {
        // The deltas are not dropped: the fallback counts them (they never reach the shared window).
        this.#enterFallback(error, 'sync');
      }
    }
    const fallback = this.#fallback ?? new MemoryCircuitStore();
    const flushed = await fallback.flush(circuitId, deltas, context);
    await this.#applySync(flushed.snapshot ?? initialSnapshot, flushed.buckets, now, true);
  }

  async #applySync(
    snapshot: CircuitSnapshot,
    buckets: readonly BucketCounts[],
    now: number,
    authoritative: boolean,
  ) {
    const { circuitId, config, listeners } = this.#deps;
    // A read that raced one of this container's own writes may be older than the cache: the newer one stays.
    const before = this.#snapshot?.state ?? 'cold';
    if (authoritative || snapshot.version >= this.snapshot.version) this.adopt(snapshot);
    const current = this.snapshot;
    const window = summarizeWindow(buckets, now, current.windowStart, config);
    // Only the shared window tells the fleet's size; an empty one (OPEN: nobody records) keeps the last estimate.
    const counted = window.containers ?? 0;
    if (!this.degraded && counted > 0)
      this.#estimateFleet(counted, now, now - current.windowStart < config.windowMs);
    this.#refreshed(now, before);
    try {
      listeners.onSync?.({
        circuitId,
        state: current.state,
        version: current.version,
        window,
        local: this.degraded,
      });
    } catch (error) {
      this.reportError('listener', error);
    }
    const next = planTrip(current, window, config, now);
    if (next !== undefined) await this.write(current, next, window);
  }

  /**
   * The time this container spent calling since its previous flush of outcomes (or its first call): its share of
   * the head count. Not capped at the window, so that a container flushing less often than once a window still
   * counts as one on average; capped at twice its own quiet interval, so that a container thawed after a long
   * freeze does not count as many.
   */
  #presence(now: number): { index: number; ms: number } {
    const { config } = this.#deps;
    const { quietSyncMs } = coordinationIntervals(this.#fleet, config);
    const since = this.#lastFlush ?? this.#activeSince ?? now - config.syncIntervalMs;
    this.#lastFlush = now;
    // Nor beyond the window's reset: the head count divides by the time since then (a close resets it).
    const cap = Math.min(2 * quietSyncMs, now - this.snapshot.windowStart);
    return {
      index: bucketIndex(now, config.bucketMs),
      ms: Math.max(1, Math.min(cap, now - since)),
    };
  }

  /**
   * The fleet estimate follows a larger count at once and a smaller one at most by half per window: presence lands
   * in the bucket of each flush, so a window's count wobbles with the phase of the containers' intervals, and the
   * estimate should err on the side of fewer requests.
   */
  #estimateFleet(counted: number, now: number, fresh: boolean): void {
    // A window reset less than a window ago (a close) has not seen every container yet: it may only raise it.
    if (fresh) {
      this.#fleet = Math.max(this.#fleet, counted);
      return;
    }
    const windows = Math.min(1, Math.max(0, now - this.#fleetAt) / this.#deps.config.windowMs);
    this.#fleet = Math.max(counted, Math.round(this.#fleet * 0.5 ** windows), 1);
    this.#fleetAt = now;
  }

  /**
   * The cache was refreshed from the store (or a published snapshot): the intervals until the next sync. When that
   * brought a new state in a large fleet, many containers learnt it within the same second or two (a transition):
   * this one's next sync is then placed at its own offset into the new state's interval, so that the fleet's next
   * syncs spread over a whole interval instead of coming due together.
   */
  #refreshed(now: number, stateBefore: CircuitSnapshot['state'] | 'cold' = this.snapshot.state): void {
    const { config } = this.#deps;
    const intervals = coordinationIntervals(this.#fleet, config);
    this.#intervals = intervals;
    this.#syncedAt = now;
    const { state } = this.snapshot;
    // A cold container's first sync counts as learning a state: a fleet scaling out must not stay in step.
    if (stateBefore === state || !probesRationed(this.#fleet, config)) return;
    const closedLike = state === 'CLOSED' || state === 'METRICS_ONLY' || state === 'DISABLED';
    const intervalMs = closedLike ? intervals.quietSyncMs : intervals.readSyncMs;
    this.#syncedAt = now - (1 - this.#jitter) * intervalMs;
  }

  #enterFallback(error: unknown, operation: 'sync' | 'compareAndSet'): void {
    if (this.#fallback === undefined) {
      this.#fallback = new MemoryCircuitStore();
      this.#fallback.seed(this.#deps.circuitId, this.snapshot);
    }
    this.reportError(operation, error);
  }
}
