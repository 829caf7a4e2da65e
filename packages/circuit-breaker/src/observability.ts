import type { BreakerErrorEvent, CircuitBreakerListeners } from './listeners.js';
import { CircuitStates } from './state.js';

/**
 * Metric names the breaker emits (dimension: the circuit id).
 *
 * @example
 * ```ts
 * new Alarm(stack, 'Open', { metric: new Metric({ namespace, metricName: BreakerMetricNames.notClosed }), threshold: 1, evaluationPeriods: 1 });
 * ```
 */
export const BreakerMetricNames = {
  /** Count, one per transition this container wrote; plus one `CircuitOpened` per transition into OPEN. */
  transitions: 'CircuitTransitions',
  opened: 'CircuitOpened',
  /** Count of calls refused without being made. */
  rejected: 'CircuitRejectedCalls',
  /** Percent, the fleet-wide window at each sync. */
  failureRate: 'CircuitFailureRate',
  slowCallRate: 'CircuitSlowCallRate',
  /**
   * 1 while the circuit is not CLOSED (OPEN, HALF_OPEN or any manual state), else 0: emitted at every sync and
   * every transition (so the transition back to CLOSED is seen even if no sync follows). Alarm on its maximum.
   */
  notClosed: 'CircuitNotClosed',
  /** Count of state-store failures (each one switches the container to its local fallback). */
  storeErrors: 'CircuitStoreErrors',
  /** Count of fast-path failures (Redis): trips are then seen at state-store syncs only. */
  signalErrors: 'CircuitSignalErrors',
  /** Count of listener failures. */
  listenerErrors: 'CircuitListenerErrors',
} as const;

/**
 * The name of one breaker metric.
 *
 * @example
 * ```ts
 * const name: BreakerMetricName = BreakerMetricNames.rejected;
 * ```
 */
export type BreakerMetricName = (typeof BreakerMetricNames)[keyof typeof BreakerMetricNames];

/**
 * Where metrics go: with Powertools Metrics, {@link powertoolsMetricSink} (EMF, dimension `circuit`).
 *
 * @example
 * ```ts
 * const sink: BreakerMetricSink = (name, unit, value, circuitId) => console.log(name, unit, value, circuitId);
 * ```
 */
export type BreakerMetricSink = (
  name: BreakerMetricName,
  unit: 'Count' | 'Percent',
  value: number,
  circuitId: string,
) => void;

const notClosed = BreakerMetricNames.notClosed;

/** Which metric counts an error, by the operation that failed. */
const errorMetric = {
  sync: BreakerMetricNames.storeErrors,
  compareAndSet: BreakerMetricNames.storeErrors,
  signal: BreakerMetricNames.signalErrors,
  listener: BreakerMetricNames.listenerErrors,
} as const satisfies Record<BreakerErrorEvent['operation'], BreakerMetricName>;

/**
 * Listeners that turn breaker events into metrics. Combine with others via `combineListeners`.
 *
 * @example
 * ```ts
 * const listeners = metricsListeners((name, unit, value, circuitId) => emf(name, unit, value, { circuit: circuitId }));
 * ```
 */
export const metricsListeners = (sink: BreakerMetricSink): CircuitBreakerListeners => ({
  onTransition: (event) => {
    sink(BreakerMetricNames.transitions, 'Count', 1, event.circuitId);
    if (event.to === CircuitStates.open) sink(BreakerMetricNames.opened, 'Count', 1, event.circuitId);
    sink(notClosed, 'Count', event.to === CircuitStates.closed ? 0 : 1, event.circuitId);
  },
  onRejected: (event) => sink(BreakerMetricNames.rejected, 'Count', 1, event.circuitId),
  onSync: (event) => {
    sink(BreakerMetricNames.failureRate, 'Percent', event.window.failureRate * 100, event.circuitId);
    sink(BreakerMetricNames.slowCallRate, 'Percent', event.window.slowCallRate * 100, event.circuitId);
    sink(notClosed, 'Count', event.state === CircuitStates.closed ? 0 : 1, event.circuitId);
  },
  onError: (event) => sink(errorMetric[event.operation], 'Count', 1, event.circuitId),
});

/**
 * The dimension every breaker metric carries: the circuit id.
 *
 * @example
 * ```ts
 * new Metric({ namespace, metricName: 'CircuitOpened', dimensionsMap: { [CIRCUIT_DIMENSION]: 'gateway' } });
 * ```
 */
export const CIRCUIT_DIMENSION = 'circuit';

/**
 * What {@link powertoolsMetricSink} needs: Powertools' `Metrics` (one EMF document per metric).
 *
 * @example
 * ```ts
 * const source: SingleMetricSource = new Metrics({ namespace: 'shop' }); // Powertools Metrics fits
 * ```
 */
export interface SingleMetricSource {
  singleMetric(): {
    addDimension(
      name: string,
      value: string,
    ): { addMetric(name: string, unit: 'Count' | 'Percent', value: number): unknown };
  };
}

/**
 * Breaker metrics as EMF through Powertools Metrics: each one flushed at once as a single metric with the
 * function's default dimensions plus `circuit`, so a breaker's metrics never mix with the batch's buffered ones.
 *
 * @example
 * ```ts
 * import { Metrics } from '@aws-lambda-powertools/metrics';
 *
 * const listeners = metricsListeners(powertoolsMetricSink(new Metrics({ namespace: 'shop' })));
 * ```
 */
export const powertoolsMetricSink =
  (metrics: SingleMetricSource): BreakerMetricSink =>
  (name, unit, value, circuitId) =>
    metrics.singleMetric().addDimension(CIRCUIT_DIMENSION, circuitId).addMetric(name, unit, value);
