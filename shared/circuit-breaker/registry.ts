import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CircuitBreaker, type CircuitBreakerDependencies } from './breaker';
import type { CircuitBreakerOptions } from './config';
import { DynamoDbCircuitStore } from './dynamodb-store';

/**
 * The circuits of one process, one breaker per circuit id, created on first use. Keep the registry at module scope
 * in a Lambda function so that caches and pending counters survive between invocations. A new per-key circuit
 * (per gateway endpoint, per merchant) costs one line: `breakers.for('gateway:stripe-eu')`.
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

/** Options of {@link dynamoDbCircuitBreakers}: a DynamoDB client and table, plus everything but the stores. */
export interface DynamoDbCircuitBreakersOptions
  extends Omit<CircuitBreakerDependencies, 'stateStore' | 'counterStore'> {
  /** A ready client (give it a short request timeout and `maxAttempts: 2`: the breaker has its own fallback). */
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/** The production wiring: state and counters in one DynamoDB item per circuit (one round trip per sync). */
export const dynamoDbCircuitBreakers = (options: DynamoDbCircuitBreakersOptions): CircuitBreakers => {
  const { client, tableName, ...rest } = options;
  const store = new DynamoDbCircuitStore({ client, tableName });
  return new CircuitBreakers({ ...rest, stateStore: store, counterStore: store });
};
