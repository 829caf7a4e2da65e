import type { CircuitBreakerConfig } from './config';
import type { BreakerErrorEvent, CircuitBreakerListeners } from './listeners';
import { MemoryCircuitStore } from './memory-store';
import type { CacheView } from './policy';
import { type CircuitSnapshot, initialSnapshot } from './state';
import { planTrip } from './state-machine';
import type { CircuitStateStore, FlushContext, OutcomeCounterStore, WriteContext } from './store';
import {
  type BucketCounts,
  type CallOutcome,
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
}

/**
 * This container's replica of one circuit: the cached snapshot, the outcomes not yet flushed, and the only code
 * that talks to the stores. A sync flushes the outcomes, refreshes the snapshot and evaluates the fleet-wide
 * window in one round trip; every state change is a compare-and-set on the snapshot's version.
 *
 * When the shared store fails, the replica switches to a local fallback (a memory store seeded with the last known
 * state), reports the error, retries the shared store every `syncIntervalMs`, and drops the fallback at the first
 * sync that succeeds: the shared state then wins and the local transitions are forgotten.
 */
export class CircuitReplica {
  readonly #deps: ReplicaDependencies;
  readonly #pending = new OutcomeAccumulator();
  #fallback: MemoryCircuitStore | undefined;
  #snapshot: CircuitSnapshot | undefined;
  /** Counts changes of the cache by writes, so that a sync that raced a write does not undo it. */
  #writes = 0;
  #syncedAt = Number.NEGATIVE_INFINITY;
  #lastSharedAttempt = Number.NEGATIVE_INFINITY;
  #syncing: Promise<void> | undefined;

  public constructor(dependencies: ReplicaDependencies) {
    this.#deps = dependencies;
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
      degraded: this.degraded,
      lastSharedAttempt: this.#lastSharedAttempt,
    };
  }

  /** Counts a finished call (flushed with the next sync). */
  public record(now: number, outcome: CallOutcome): void {
    this.#pending.record(now, outcome, this.#deps.config.bucketMs);
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
      this.#syncedAt = now;
      if (!result.applied) {
        this.adopt(result.current);
        return 'refused';
      }
      this.adopt(next);
      if (from.state !== next.state) await this.emitTransition(from, next, window);
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
    const deltas = this.#pending.drain(now, config);
    const context: FlushContext = {
      ...this.writeContext(now),
      staleBefore: firstWindowBucket(now, 0, config),
    };
    const writesBefore = this.#writes;
    if (this.#fallback === undefined || now - this.#lastSharedAttempt >= config.syncIntervalMs) {
      this.#lastSharedAttempt = now;
      try {
        const flushed = await counterStore.flush(circuitId, deltas, context);
        const snapshot = flushed.snapshot ?? (await stateStore.read(circuitId)).snapshot;
        const recovered = this.#fallback !== undefined;
        this.#fallback = undefined;
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
    if (authoritative || snapshot.version >= this.snapshot.version) this.adopt(snapshot);
    this.#syncedAt = now;
    const current = this.snapshot;
    const window = summarizeWindow(buckets, now, current.windowStart, config);
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

  #enterFallback(error: unknown, operation: 'sync' | 'compareAndSet'): void {
    if (this.#fallback === undefined) {
      this.#fallback = new MemoryCircuitStore();
      this.#fallback.seed(this.#deps.circuitId, this.snapshot);
    }
    this.reportError(operation, error);
  }
}
