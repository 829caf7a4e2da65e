import type { CircuitState } from './state.js';
import type { WindowSummary } from './window.js';

/**
 * A transition written by this container (each transition is reported once, by the writer whose write won).
 *
 * @example
 * ```ts
 * const onTransition = (event: TransitionEvent) => log.info(`${event.circuitId}: ${event.from} → ${event.to}`);
 * ```
 */
export interface TransitionEvent {
  readonly circuitId: string;
  readonly from: CircuitState;
  readonly to: CircuitState;
  /** The version the transition wrote. */
  readonly version: number;
  readonly reason: string;
  /** Epoch ms. */
  readonly at: number;
  readonly openUntil?: number;
  /** The window that caused a trip. */
  readonly window?: WindowSummary;
  /** True when the shared store was unreachable and the transition happened in this container's fallback only. */
  readonly local: boolean;
}

/**
 * A call refused without being made.
 *
 * @example
 * ```ts
 * const onRejection = (event: RejectionEvent) => metrics.count('rejected', event.circuitId);
 * ```
 */
export interface RejectionEvent {
  readonly circuitId: string;
  readonly state: CircuitState;
  readonly retryAfterMs: number;
  readonly reason: string;
}

/**
 * The fleet-wide window as seen at a sync (for rate metrics).
 *
 * @example
 * ```ts
 * const onSync = (event: SyncEvent) => log.debug('synced', { circuit: event.circuitId });
 * ```
 */
export interface SyncEvent {
  readonly circuitId: string;
  readonly state: CircuitState;
  readonly version: number;
  readonly window: WindowSummary;
  readonly local: boolean;
}

/**
 * Something failed inside the breaker: the state store (`sync`, `compareAndSet`), the fast path's signal
 * (`signal`: the breaker then relies on its state-store sync policy alone), or a listener. The guarded call is not
 * affected.
 *
 * @example
 * ```ts
 * const onError = (event: BreakerErrorEvent) => log.warn('breaker store', { error: String(event.error) });
 * ```
 */
export interface BreakerErrorEvent {
  readonly circuitId: string;
  readonly operation: 'sync' | 'compareAndSet' | 'signal' | 'listener';
  readonly error: unknown;
  /** True while the breaker runs on its local fallback because the shared store is unreachable. */
  readonly degraded: boolean;
}

/**
 * Observers of a breaker. They run inside the call that caused them and are awaited, so a Lambda function does not
 * freeze with an event half-published; their errors are caught and reported to `onError`, never to the caller.
 *
 * @example
 * ```ts
 * const listeners: CircuitBreakerListeners = { onTransition: (event) => log.info(event.reason) };
 * ```
 */
export interface CircuitBreakerListeners {
  readonly onTransition?: (event: TransitionEvent) => void | Promise<void>;
  readonly onRejected?: (event: RejectionEvent) => void;
  readonly onSync?: (event: SyncEvent) => void;
  readonly onError?: (event: BreakerErrorEvent) => void;
}

/**
 * Merges several listener sets into one (each event goes to every set, in order).
 *
 * @example
 * ```ts
 * const listeners = combineListeners(metricsListeners(powertoolsMetricSink(metrics)), { onTransition: alertOps });
 * ```
 */
export const combineListeners = (...sets: readonly CircuitBreakerListeners[]): CircuitBreakerListeners => ({
  onTransition: async (event) => {
    for (const set of sets) await set.onTransition?.(event);
  },
  onRejected: (event) => {
    for (const set of sets) set.onRejected?.(event);
  },
  onSync: (event) => {
    for (const set of sets) set.onSync?.(event);
  },
  onError: (event) => {
    for (const set of sets) set.onError?.(event);
  },
});
