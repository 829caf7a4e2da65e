import { AwsServiceError } from '../support/aws-protocol';
import { type Action, compilePatternMember } from './action-context';
import {
  acceptEntry,
  assertWithinSizeLimit,
  type EntryFailure,
  PUT_EVENTS_LIMITS,
  parseTestEvent,
} from './events';
import { requiredArray, requiredString } from './input';
import { routeEvent } from './router';

type EntryResult = { readonly EventId: string } | EntryFailure;

/**
 * PutEvents: up to 10 entries and 256 KB. Each entry is validated on its own — refused ones come back with
 * ErrorCode/ErrorMessage in Entries, in order — and each accepted event is routed now and delivered asynchronously.
 */
const putEvents: Action = ({ input, scope, store, now, routing }) => {
  const entries = requiredArray(input, 'Entries', 1, PUT_EVENTS_LIMITS.maxEntries);
  assertWithinSizeLimit(entries);
  const results: EntryResult[] = entries.map((entry) => {
    const accepted = acceptEntry(entry, scope, now);
    if ('ErrorCode' in accepted) return accepted;
    try {
      const bus = store.bus(accepted.busReference);
      routeEvent(routing, bus.name, accepted.event);
      return { EventId: accepted.event.id };
    } catch (error) {
      if (error instanceof AwsServiceError) return { ErrorCode: error.type, ErrorMessage: error.message };
      throw error;
    }
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
