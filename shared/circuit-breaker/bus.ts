import { createEvent, deriveEventId, type EventEnvelope } from '../contracts';
import type { EventPublisher } from '../events/publisher';
import type { CircuitBreakerListeners, TransitionEvent } from './listeners';
import { toBreakerTransitionV1, transitionEventType } from './observability';

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
