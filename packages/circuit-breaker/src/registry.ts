import { CircuitBreaker, type CircuitBreakerDependencies } from './breaker.js';
import type { CircuitBreakerOptions } from './config.js';

/**
 * The circuits of one process, one breaker per circuit id, created on first use. Keep the registry at module scope
 * in a Lambda function so that caches and pending counters survive between invocations. A new per-key circuit
 * (per gateway endpoint, per merchant) costs one line: `breakers.for('gateway:stripe-eu')`.
 *
 * @example
 * ```ts
 * const store = new MemoryCircuitStore();
 * const breakers = new CircuitBreakers({ stateStore: store, counterStore: store });
 * await breakers.for('gateway:stripe-eu').execute(call); // one breaker per circuit id
 * ```
 */
export class CircuitBreakers {
  readonly #dependencies: CircuitBreakerDependencies;
  readonly #breakers = new Map<string, CircuitBreaker>();

  public constructor(dependencies: CircuitBreakerDependencies) {
    this.#dependencies = dependencies;
  }

  /**
   * The breaker of a circuit. `overrides` apply over the registry's config when the breaker is first created;
   * later calls return the same breaker and ignore them.
   */
  public for(circuitId: string, overrides?: CircuitBreakerOptions): CircuitBreaker {
    let breaker = this.#breakers.get(circuitId);
    if (breaker === undefined) {
      breaker = new CircuitBreaker(circuitId, {
        ...this.#dependencies,
        config: { ...this.#dependencies.config, ...overrides },
      });
      this.#breakers.set(circuitId, breaker);
    }
    return breaker;
  }

  /** Syncs every circuit (e.g. at the end of a batch, to flush the outcomes it produced). Never throws. */
  public async syncAll(): Promise<void> {
    await Promise.all([...this.#breakers.values()].map((breaker) => breaker.sync()));
  }
}
