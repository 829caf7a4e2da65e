import { type CircuitSnapshot, initialSnapshot } from './state.js';
import { canApply } from './state-machine.js';
import type {
  CircuitStateStore,
  CompareAndSetResult,
  FlushContext,
  FlushResult,
  OutcomeCounterStore,
  StoredCircuit,
  WriteContext,
} from './store.js';
import type { BucketCounts } from './window.js';

interface Entry {
  snapshot: CircuitSnapshot;
  buckets: Map<number, BucketCounts>;
}

/**
 * State and counters in this process's memory, with the same fencing rules as the DynamoDB store. The breaker uses
 * one as its local fallback while the shared store is unreachable; tests use it as a store that needs no engine.
 *
 * @example
 * ```ts
 * // A circuit per process (each container decides alone), e.g. around a cache:
 * const store = new MemoryCircuitStore();
 * const breaker = new CircuitBreaker('redis', { stateStore: store, counterStore: store });
 * ```
 */
export class MemoryCircuitStore implements CircuitStateStore, OutcomeCounterStore {
  readonly #entries = new Map<string, Entry>();

  /** Seeds a circuit (e.g. with the last state known from the shared store). */
  public seed(circuitId: string, snapshot: CircuitSnapshot): void {
    this.#entry(circuitId).snapshot = snapshot;
  }

  public async read(circuitId: string): Promise<StoredCircuit> {
    const entry = this.#entry(circuitId);
    return { snapshot: entry.snapshot, buckets: [...entry.buckets.values()] };
  }

  public async compareAndSet(
    circuitId: string,
    expectedVersion: number,
    next: CircuitSnapshot,
    _context?: WriteContext,
  ): Promise<CompareAndSetResult> {
    const entry = this.#entry(circuitId);
    if (!canApply(entry.snapshot, expectedVersion, next)) return { applied: false, current: entry.snapshot };
    entry.snapshot = next;
    return { applied: true };
  }

  public async flush(
    circuitId: string,
    deltas: readonly BucketCounts[],
    context: FlushContext,
  ): Promise<FlushResult> {
    const entry = this.#entry(circuitId);
    const { presence } = context;
    const withPresence =
      deltas.length === 0 || presence === undefined
        ? deltas
        : [...deltas, { index: presence.index, calls: 0, failures: 0, slow: 0, presenceMs: presence.ms }];
    for (const delta of withPresence) {
      const current = entry.buckets.get(delta.index);
      const presenceMs = (current?.presenceMs ?? 0) + (delta.presenceMs ?? 0);
      entry.buckets.set(delta.index, {
        index: delta.index,
        calls: (current?.calls ?? 0) + delta.calls,
        failures: (current?.failures ?? 0) + delta.failures,
        slow: (current?.slow ?? 0) + delta.slow,
        ...(presenceMs === 0 ? {} : { presenceMs }),
      });
    }
    for (const index of entry.buckets.keys()) if (index < context.staleBefore) entry.buckets.delete(index);
    return { buckets: [...entry.buckets.values()], snapshot: entry.snapshot };
  }

  #entry(circuitId: string): Entry {
    let entry = this.#entries.get(circuitId);
    if (entry === undefined) {
      entry = { snapshot: initialSnapshot, buckets: new Map() };
      this.#entries.set(circuitId, entry);
    }
    return entry;
  }
}
