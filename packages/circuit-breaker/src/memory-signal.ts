import type { CircuitStateSignal, StateHint } from './store.js';

/**
 * The fast path in this process's memory, with the Redis signal's rule (an older version never replaces a newer
 * one). For tests, and for several breakers of one process; it counts requests and can be switched off.
 *
 * @example
 * ```ts
 * const signal = new MemoryStateSignal(); // share it between breakers to test the fast path
 * const a = new CircuitBreaker('gateway', { ...deps, signal });
 * ```
 */
export class MemoryStateSignal implements CircuitStateSignal {
  readonly #hints = new Map<string, StateHint>();
  /** Requests received, failed ones included. */
  public readonly requests = { publish: 0, read: 0 };
  /** While true, every request fails (Redis unreachable). */
  public down = false;

  public async publish(circuitId: string, hint: StateHint): Promise<void> {
    this.#request('publish');
    const current = this.#hints.get(circuitId);
    if (current === undefined || current.version < hint.version) this.#hints.set(circuitId, hint);
  }

  public async read(circuitId: string): Promise<StateHint | undefined> {
    this.#request('read');
    return this.#hints.get(circuitId);
  }

  #request(operation: keyof MemoryStateSignal['requests']): void {
    this.requests[operation] += 1;
    if (this.down) throw new Error('signal unreachable');
  }
}
