/**
 * `@breakwater/circuit-breaker/dynamodb`: the circuits' shared state in DynamoDB, one item per circuit (state,
 * version fence, probe leases, time-bucketed counters), read and written in one round trip per sync.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CircuitBreakerDependencies } from './breaker.js';
import { DynamoDbCircuitStore } from './dynamodb-store.js';
import { CircuitBreakers } from './registry.js';

export {
  breakerItemSchema,
  DynamoDbCircuitStore,
  type DynamoDbCircuitStoreOptions,
} from './dynamodb-store.js';

/**
 * Options of {@link dynamoDbCircuitBreakers}: a DynamoDB client and table, plus everything but the stores.
 *
 * @example
 * ```ts
 * const options: DynamoDbCircuitBreakersOptions = { client, tableName: 'breaker', config: { callTimeoutMs: 2_000 } };
 * ```
 */
export interface DynamoDbCircuitBreakersOptions
  extends Omit<CircuitBreakerDependencies, 'stateStore' | 'counterStore'> {
  /** A ready client (give it a short request timeout and `maxAttempts: 2`: the breaker has its own fallback). */
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/**
 * The production wiring: state and counters in one DynamoDB item per circuit (one round trip per sync), plus the
 * fast path when `signal` is given (e.g. `new RedisStateSignal({ redis })`).
 *
 * @example
 * ```ts
 * import { dynamoDbCircuitBreakers } from '@breakwater/circuit-breaker/dynamodb';
 *
 * // Module scope: caches and pending counters survive between invocations.
 * const breakers = dynamoDbCircuitBreakers({ client: new DynamoDBClient({ maxAttempts: 2 }), tableName: 'breaker' });
 * export const handler = async () => breakers.for('gateway').execute(({ signal }) => fetch(url, { signal }));
 * ```
 */
export const dynamoDbCircuitBreakers = (options: DynamoDbCircuitBreakersOptions): CircuitBreakers => {
  const { client, tableName, ...rest } = options;
  const store = new DynamoDbCircuitStore({ client, tableName });
  return new CircuitBreakers({ ...rest, stateStore: store, counterStore: store });
};
