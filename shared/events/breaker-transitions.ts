import {
  type CircuitBreakerListeners,
  type CircuitState,
  CircuitStates,
  type TransitionEvent,
} from '@breakwater/circuit-breaker';
import { createEvent, deriveEventId, type EventEnvelope } from '../contracts';
import { type BreakerTransitionV1, EventTypes } from '../contracts/events';
import type { EventPublisher } from './publisher';

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

/**
 * The domain event announcing a transition: `breaker.opened | breaker.half_opened | breaker.closed` from source
 * `breakwater.circuit-breaker`. Its id derives from the circuit, the version and the instant the transition wrote, so
 * a retried publish of the same transition is a duplicate consumers drop (the version alone would repeat after the
 * circuit's item expired and started again at version 0). Every event of a circuit carries the same correlation id.
 */
export const toTransitionEvent = (event: TransitionEvent): EventEnvelope =>
  createEvent({
    type: transitionEventType(event.to),
    data: toBreakerTransitionV1(event),
    id: deriveEventId(
      'breaker.transition',
      `${event.circuitId}#${event.version}#${event.at}${event.local ? '#local' : ''}`,
    ),
    correlationId: `breaker:${event.circuitId}`,
    occurredAt: new Date(event.at),
  });

/**
 * Listeners that put every transition this container wrote on the bus (each transition is written, so published,
 * exactly once fleet-wide; a local fallback's transitions are published too, marked in their reason). A publish
 * failure is reported to `onError` as a listener error, never to the caller.
 */
export const transitionEventListeners = (
  publisher: Pick<EventPublisher, 'publish'>,
): CircuitBreakerListeners => ({
  onTransition: (event) => publisher.publish([toTransitionEvent(event)]),
});
