import type { CircuitSnapshot, CircuitState } from './state.js';
import type { BucketCounts } from './window.js';

/**
 * A circuit as read from the state store. `buckets` is present when the store keeps the counters with the state.
 *
 * @example
 * ```ts
 * const { snapshot }: StoredCircuit = await store.read('gateway');
 * ```
 */
export interface StoredCircuit {
  readonly snapshot: CircuitSnapshot;
  readonly buckets?: readonly BucketCounts[];
}

/**
 * The answer to a compare-and-set: applied, or refused with the state that is actually stored.
 *
 * @example
 * ```ts
 * const result: CompareAndSetResult = await store.compareAndSet('gateway', expectedVersion, next, context);
 * ```
 */
export type CompareAndSetResult =
  | { readonly applied: true }
  | { readonly applied: false; readonly current: CircuitSnapshot };

/**
 * Facts a store writes beside a snapshot.
 *
 * @example
 * ```ts
 * const context: WriteContext = { now: Date.now(), config: resolveConfig() };
 * ```
 */
export interface WriteContext {
  readonly now: number;
  /** TTL of the circuit's item, epoch seconds. */
  readonly expiresAt: number;
}

/**
 * Where the circuit's state lives; the source of truth shared by every container. Implementations must make
 * `compareAndSet` atomic: it applies `next` only if the stored version equals `expectedVersion` (a never-written
 * circuit has version 0) and otherwise returns the stored snapshot, so that no stale writer ever wins.
 *
 * @example
 * ```ts
 * class MyStore implements CircuitStateStore {
 *   async read(circuitId: string) { return readFromMyDatabase(circuitId); }
 *   async compareAndSet(circuitId: string, expectedVersion: number, next: CircuitSnapshot) { return writeIf(expectedVersion, next); }
 * }
 * ```
 */
export interface CircuitStateStore {
  /** A strongly consistent read. */
  read(circuitId: string): Promise<StoredCircuit>;
  compareAndSet(
    circuitId: string,
    expectedVersion: number,
    next: CircuitSnapshot,
    context: WriteContext,
  ): Promise<CompareAndSetResult>;
}

/**
 * Where the fleet-wide window lives, and what to tell it at a flush.
 *
 * @example
 * ```ts
 * await counters.flush('gateway', pending, context as FlushContext);
 * ```
 */
export interface FlushContext extends WriteContext {
  /** Buckets older than this index are outside the window: the store may forget them. */
  readonly staleBefore: number;
  /**
   * With deltas: this container's presence, the ms since its previous flush (at most the window), to be added to
   * bucket `index`'s `presenceMs`: the fleet-size estimate. Absent: nothing to add.
   */
  readonly presence?: { readonly index: number; readonly ms: number };
}

/**
 * The window after a flush. `snapshot` is present when the counters live with the state (one round trip).
 *
 * @example
 * ```ts
 * const result: FlushResult = await counters.flush('gateway', pending, context);
 * ```
 */
export interface FlushResult {
  readonly buckets: readonly BucketCounts[];
  readonly snapshot?: CircuitSnapshot;
}

/**
 * Fleet-wide outcome counters per time bucket. `flush` adds this container's pending deltas atomically (ADD /
 * INCRBY: concurrent flushes never lose counts) and returns every bucket of the window. With no deltas it only
 * reads.
 *
 * @example
 * ```ts
 * class MyCounters implements OutcomeCounterStore {
 *   async flush(circuitId: string, pending: BucketCounts[], context: FlushContext) { return addToMyDatabase(circuitId, pending, context); }
 * }
 * ```
 */
export interface OutcomeCounterStore {
  flush(circuitId: string, deltas: readonly BucketCounts[], context: FlushContext): Promise<FlushResult>;
}

/**
 * What the fast path tells about a transition: enough to know whether a cached state is stale.
 *
 * @example
 * ```ts
 * const hint: StateHint | undefined = await signal.read('gateway');
 * ```
 */
export interface StateHint {
  readonly state: CircuitState;
  /** The fencing version the transition wrote. */
  readonly version: number;
  /** OPEN: end of the cooldown (epoch ms). */
  readonly openUntil?: number;
  /**
   * The whole snapshot the transition wrote (absent in hints of older publishers). A reader adopts it without
   * reading the state store: only snapshots a fenced write applied are published.
   */
  readonly snapshot?: CircuitSnapshot;
}

/**
 * The fast path (an accelerator, never the truth): the container whose fenced write wins a transition publishes a
 * hint, and every container that is letting calls through reads it at most once per `signalIntervalMs`, syncing
 * from the state store at once when the version moved. Implementations must never let an older version replace a
 * newer one. Any error is handled by the breaker: it then relies on its state-store sync policy alone.
 *
 * @example
 * ```ts
 * const signal: CircuitStateSignal = new RedisStateSignal({ redis });
 * ```
 */
export interface CircuitStateSignal {
  /** Publishes the hint of a transition that the state store applied. */
  publish(circuitId: string, hint: StateHint): Promise<void>;
  /** The latest hint, or undefined when there is none (never published, or expired). */
  read(circuitId: string): Promise<StateHint | undefined>;
}
