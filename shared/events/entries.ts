import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { EventEnvelope } from '../contracts';

/** PutEvents accepts at most this many entries per call. */
export const PUT_EVENTS_MAX_ENTRIES = 10;
/** PutEvents accepts at most this many bytes per call (sum of entry sizes, see `putEventsEntrySize`). */
export const PUT_EVENTS_MAX_BYTES = 256 * 1024;

/** Limits a batch must respect; the defaults are PutEvents'. */
export interface BatchLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
}

/** PutEvents' own limits. */
export const putEventsLimits: BatchLimits = {
  maxEntries: PUT_EVENTS_MAX_ENTRIES,
  maxBytes: PUT_EVENTS_MAX_BYTES,
};

/**
 * Maps an envelope to its PutEvents entry: Source = envelope.source, DetailType = envelope.type, Detail = the whole
 * envelope as JSON, Time = when the event occurred (so the bus, its archive and replays see the domain time), and
 * TraceHeader = the producer's X-Ray trace header when there is one (EventBridge hands it on to its targets, so the
 * consumer's trace links to the producer's; it does not count towards the entry's size).
 */
export const toPutEventsEntry = (
  envelope: EventEnvelope,
  eventBusName: string,
  traceHeader?: string,
): PutEventsRequestEntry => ({
  EventBusName: eventBusName,
  Source: envelope.source,
  DetailType: envelope.type,
  Detail: JSON.stringify(envelope),
  Time: new Date(envelope.occurredAt),
  ...(traceHeader === undefined ? {} : { TraceHeader: traceHeader }),
});

const utf8Bytes = (value: string | undefined): number =>
  value === undefined ? 0 : Buffer.byteLength(value, 'utf8');

/**
 * The size EventBridge counts for an entry: 14 bytes when Time is set, plus the UTF-8 bytes of Source, DetailType,
 * Detail and each Resources ARN. EventBusName does not count.
 */
export const putEventsEntrySize = (entry: PutEventsRequestEntry): number =>
  (entry.Time === undefined ? 0 : 14) +
  utf8Bytes(entry.Source) +
  utf8Bytes(entry.DetailType) +
  utf8Bytes(entry.Detail) +
  (entry.Resources ?? []).reduce((total, arn) => total + utf8Bytes(arn), 0);

/**
 * Splits items into consecutive batches of at most `maxEntries` items and `maxBytes` total size, keeping their
 * order. Every item must fit alone (callers set oversized items aside first).
 */
export const planBatches = <T>(
  items: readonly T[],
  sizeOf: (item: T) => number,
  { maxEntries, maxBytes }: BatchLimits = putEventsLimits,
): T[][] => {
  const batches: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length === maxEntries || currentBytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};
