import { type Action, compilePatternMember } from './action-context.js';
import { busNameOf } from './arns.js';
import {
  acceptEntry,
  assertEntryConstraints,
  assertWithinSizeLimit,
  type EntryFailure,
  PUT_EVENTS_LIMITS,
  parseTestEvent,
} from './events.js';
import { requiredArray, requiredString } from './input.js';
import { routeEvent } from './router.js';

type EntryResult = { readonly EventId: string } | EntryFailure;

/**
 * PutEvents: up to 10 entries and 256 KB. Member constraints (EventBusName, TraceHeader) fail the whole call; each
 * entry is then validated on its own — refused ones come back with ErrorCode/ErrorMessage in Entries, in order —
 * and each accepted event is routed now and delivered asynchronously. An entry for a bus that does not exist gets
 * an EventId and goes nowhere, which is what AWS answers (aws/aws-sdk#186, aws/aws-cli#9186).
 */
const putEvents: Action = ({ input, scope, store, now, routing }) => {
  const entries = requiredArray(input, 'Entries', 1, PUT_EVENTS_LIMITS.maxEntries);
  entries.forEach(assertEntryConstraints);
  assertWithinSizeLimit(entries);
  const results: EntryResult[] = entries.map((entry) => {
    const accepted = acceptEntry(entry, scope, now);
    if ('ErrorCode' in accepted) return accepted;
    const busName = busNameOf(scope, accepted.busReference);
    const bus = busName === undefined ? undefined : store.findBus(busName);
    if (bus === undefined) routing.metrics.eventsToMissingBus += 1;
    else routeEvent(routing, bus.name, accepted.event);
    return { EventId: accepted.event.id };
  });
  const failed = results.filter((result) => 'ErrorCode' in result).length;
  routing.metrics.putEvents += results.length - failed;
  routing.metrics.failedEntries += failed;
  return { FailedEntryCount: failed, Entries: results };
};

/** TestEventPattern: whether an event (JSON text with AWS's mandatory fields) matches a pattern. */
const testEventPattern: Action = ({ input }) => {
  const pattern = compilePatternMember(requiredString(input, 'EventPattern'));
  const event = parseTestEvent(requiredString(input, 'Event'));
  return { Result: pattern.matches(event) };
};

/** The event actions by name. */
export const eventActions: Readonly<Record<string, Action>> = {
  PutEvents: putEvents,
  TestEventPattern: testEventPattern,
};
