import {
  type BucketCounts,
  type CircuitSnapshot,
  type CircuitStateStore,
  type CompareAndSetResult,
  type FlushContext,
  type FlushResult,
  MemoryCircuitStore,
  type OutcomeCounterStore,
  type StoredCircuit,
  type WriteContext,
} from '@breakwater/circuit-breaker';

/** The package's controllable clock, under the name these tests have always used. */
export { ManualClock } from '@breakwater/circuit-breaker/testing';

/** The memory store, counting requests, and failing every request while `down` is true. */
export class CountingStore implements CircuitStateStore, OutcomeCounterStore {
  public readonly inner = new MemoryCircuitStore();
  public requests = { read: 0, compareAndSet: 0, flush: 0 };
  public down = false;

  public get total(): number {
    return this.requests.read + this.requests.compareAndSet + this.requests.flush;
  }

  public async read(circuitId: string): Promise<StoredCircuit> {
    this.#count('read');
    return this.inner.read(circuitId);
  }

  public async compareAndSet(
    circuitId: string,
    expectedVersion: number,
    next: CircuitSnapshot,
    context: WriteContext,
  ): Promise<CompareAndSetResult> {
    this.#count('compareAndSet');
    return this.inner.compareAndSet(circuitId, expectedVersion, next, context);
  }

  public async flush(
    circuitId: string,
    deltas: readonly BucketCounts[],
    context: FlushContext,
  ): Promise<FlushResult> {
    this.#count('flush');
    return this.inner.flush(circuitId, deltas, context);
  }

  #count(operation: keyof CountingStore['requests']): void {
    this.requests[operation] += 1;
    if (this.down) throw new Error('store unreachable');
  }
}

/** A promise settled from outside, to hold calls in flight. */
export const deferred = <T>() => {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

/** An error as the payment gateway client throws it. */
export const httpError = (status: number): Error => Object.assign(new Error(`HTTP ${status}`), { status });
