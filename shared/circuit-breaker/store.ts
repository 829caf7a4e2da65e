import type { CircuitSnapshot } from './state';
import type { BucketCounts } from './window';

/** A circuit as read from the state store. `buckets` is present when the store keeps the counters with the state. */
export interface StoredCircuit {
  readonly snapshot: CircuitSnapshot;
  readonly buckets?: readonly BucketCounts[];
}

/** The answer to a compare-and-set: applied, or refused with the state that is actually stored. */
export type CompareAndSetResult =
  | { readonly applied: true }
  | { readonly applied: false; readonly current: CircuitSnapshot };

/** Facts a store writes beside a snapshot. */
export interface WriteContext {
  readonly now: number;
  /** TTL of the circuit's item, epoch seconds. */
  readonly expiresAt: number;
}

/**
 * Where the circuit's state lives; the source of truth shared by every container. Implementations must make
 * `compareAndSet` atomic: it applies `next` only if the stored version equals `expectedVersion` (a never-written
 * circuit has version 0) and otherwise returns the stored snapshot, so that no stale writer ever wins.
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

/** Where the fleet-wide window lives, and what to tell it at a flush. */
export interface FlushContext extends WriteContext {
  /** Buckets older than this index are outside the window: the store may forget them. */
  readonly staleBefore: number;
}

/** The window after a flush. `snapshot` is present when the counters live with the state (one round trip). */
export interface FlushResult {
  readonly buckets: readonly BucketCounts[];
  readonly snapshot?: CircuitSnapshot;
}

/**
 * Fleet-wide outcome counters per time bucket. `flush` adds this container's pending deltas atomically (ADD /
 * INCRBY: concurrent flushes never lose counts) and returns every bucket of the window. With no deltas it only
 * reads.
 */
export interface OutcomeCounterStore {
  flush(circuitId: string, deltas: readonly BucketCounts[], context: FlushContext): Promise<FlushResult>;
}
