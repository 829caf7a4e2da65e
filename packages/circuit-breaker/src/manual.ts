import type { CircuitBreakerConfig } from './config.js';
import { CircuitStoreError } from './errors.js';
import type { CircuitSnapshot, ManualTarget } from './state.js';
import { planManual } from './state-machine.js';
import type { CircuitStateStore } from './store.js';

const MAX_ATTEMPTS = 8;

/**
 * A manual transition as written: the state it replaced and the new one.
 *
 * @example
 * ```ts
 * const transition: ManualTransition = { reason: 'gateway maintenance', config: resolveConfig(), now: Date.now };
 * ```
 */
export interface ManualTransition {
  readonly from: CircuitSnapshot;
  readonly to: CircuitSnapshot;
}

/**
 * Writes an operator's transition (FORCED_OPEN, DISABLED, METRICS_ONLY, CLOSED, or OPEN now) to the shared store,
 * with the same version fence as every other write: re-read and retried when the state moved meanwhile. Usable
 * without a breaker (an operations script); containers see the new state at their next sync.
 * @throws CircuitStoreError when the store fails or the state keeps changing.
 *
 * @example
 * ```ts
 * await writeManualState(new DynamoDbCircuitStore({ client, tableName }), 'gateway', 'FORCED_OPEN', {
 *   reason: 'gateway maintenance',
 *   config: resolveConfig(),
 *   now: Date.now,
 * });
 * ```
 */
export const writeManualState = async (
  store: CircuitStateStore,
  circuitId: string,
  target: ManualTarget,
  options: { readonly reason: string; readonly config: CircuitBreakerConfig; readonly now: () => number },
): Promise<ManualTransition> => {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const { snapshot } = await store.read(circuitId);
    const now = options.now();
    const next = planManual(snapshot, target, options.config, now, options.reason);
    const expiresAt = Math.ceil((now + options.config.retentionMs) / 1_000);
    const result = await store.compareAndSet(circuitId, snapshot.version, next, { now, expiresAt });
    if (result.applied) return { from: snapshot, to: next };
  }
  throw new CircuitStoreError(circuitId, 'setState', { cause: new Error('the state kept changing') });
};
