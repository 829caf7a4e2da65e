import { type BreakerTransitionV1, EventTypes } from '../contracts/events';
import type { CircuitBreakerListeners, TransitionEvent } from './listeners';
import { type CircuitState, CircuitStates } from './state';

/** The bus event type announcing a transition into `to`: calls stop (opened), probe (half-opened) or flow (closed). */
export const transitionEventType = (
  to: CircuitState,
):
  | typeof EventTypes.breakerOpened
  | typeof EventTypes.breakerHalfOpened
  | typeof EventTypes.breakerClosed => {
  switch (to) {
    case CircuitStates.open:
    case CircuitStates.forcedOpen:
      return EventTypes.breakerOpened;
    case CircuitStates.halfOpen:
      return EventTypes.breakerHalfOpened;
    default:
      return EventTypes.breakerClosed;
  }
};

/** The data of the `breaker.*` event (schema `breakerTransitionV1Schema`) for a transition. */
export const toBreakerTransitionV1 = (event: TransitionEvent): BreakerTransitionV1 => ({
  circuitId: event.circuitId,
  from: event.from,
  to: event.to,
  stateVersion: event.version,
  reason: event.local ? `${event.reason} (local fallback: the state store was unreachable)` : event.reason,
  ...(event.window === undefined
    ? {}
    : { failureRate: event.window.failureRate, slowCallRate: event.window.slowCallRate }),
  ...(event.openUntil === undefined ? {} : { openUntil: new Date(event.openUntil).toISOString() }),
});

/** Metric names the breaker emits (dimension: the circuit id). */
export const BreakerMetricNames = {
  /** Count, one per transition this container wrote; plus one `CircuitOpened` per transition into OPEN. */
  transitions: 'CircuitTransitions',
  opened: 'CircuitOpened',
  /** Count of calls refused without being made. */
  rejected: 'CircuitRejectedCalls',
  /** Percent, the fleet-wide window at each sync. */
  failureRate: 'CircuitFailureRate',
  slowCallRate: 'CircuitSlowCallRate',
  /** 1 at a sync while the circuit is not CLOSED (OPEN, HALF_OPEN or any manual state), else 0: alarm on it. */
  notClosed: 'CircuitNotClosed',
  /** Count of state-store failures (each one switches the container to its local fallback). */
  storeErrors: 'CircuitStoreErrors',
  /** Count of listener failures. */
  listenerErrors: 'CircuitListenerErrors',
} as const;

/** The name of one breaker metric. */
export type BreakerMetricName = (typeof BreakerMetricNames)[keyof typeof BreakerMetricNames];

/**
 * Where metrics go. With Powertools Metrics: `(name, unit, value, circuitId) =>
 * metrics.singleMetric().addDimension('circuit', circuitId).addMetric(name, unit, value)` (EMF).
 */
export type BreakerMetricSink = (
  name: BreakerMetricName,
  unit: 'Count' | 'Percent',
  value: number,
  circuitId: string,
) => void;

/** Listeners that turn breaker events into metrics. Combine with others via `combineListeners`. */
export const metricsListeners = (sink: BreakerMetricSink): CircuitBreakerListeners => ({
  onTransition: (event) => {
    sink(BreakerMetricNames.transitions, 'Count', 1, event.circuitId);
    if (event.to === CircuitStates.open) sink(BreakerMetricNames.opened, 'Count', 1, event.circuitId);
  },
  onRejected: (event) => sink(BreakerMetricNames.rejected, 'Count', 1, event.circuitId),
  onSync: (event) => {
    sink(BreakerMetricNames.failureRate, 'Percent', event.window.failureRate * 100, event.circuitId);
    sink(BreakerMetricNames.slowCallRate, 'Percent', event.window.slowCallRate * 100, event.circuitId);
    sink(
      BreakerMetricNames.notClosed,
      'Count',
      event.state === CircuitStates.closed ? 0 : 1,
      event.circuitId,
    );
  },
  onError: (event) =>
    sink(
      event.operation === 'listener' ? BreakerMetricNames.listenerErrors : BreakerMetricNames.storeErrors,
      'Count',
      1,
      event.circuitId,
    ),
});
