import { randomUUID } from 'node:crypto';
import type { Scope } from './arns.js';
import { AwsErrors } from './aws-errors.js';
import type { EventBridgeEvent } from './model.js';

/** EventBridge's limits of one PutEvents call. */
export const PUT_EVENTS_LIMITS = { maxEntries: 10, maxTotalBytes: 256 * 1024 } as const;

/** A PutEvents entry refused on its own (the rest of the call still goes through). */
export interface EntryFailure {
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

type Raw = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const utf8 = (text: unknown): number => (typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : 0);

/**
 * The size AWS counts for an entry: 14 bytes for `Time` if given, plus the UTF-8 bytes of Source, DetailType,
 * Detail and each of Resources ("Calculating PutEvents event entry size").
 */
export const entrySize = (entry: unknown): number => {
  if (!isObject(entry)) return 0;
  const resources = Array.isArray(entry.Resources) ? entry.Resources : [];
  return (
    (entry.Time === undefined || entry.Time === null ? 0 : 14) +
    utf8(entry.Source) +
    utf8(entry.DetailType) +
    utf8(entry.Detail) +
    resources.reduce<number>((sum, resource) => sum + utf8(resource), 0)
  );
};

/** Throws AWS's ValidationException when the entries of one call exceed 256 KB together. */
export const assertWithinSizeLimit = (entries: readonly unknown[]): void => {
  const total = entries.reduce<number>((sum, entry) => sum + entrySize(entry), 0);
  if (total > PUT_EVENTS_LIMITS.maxTotalBytes) {
    throw AwsErrors.validation('Total size of the entries in the request is over the limit.');
  }
};

const BUS_REFERENCE =
  /^(arn:aws[\w-]*:events:[a-z]{2}-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[/.\-_A-Za-z0-9]+$/;

const memberConstraint = (index: number, member: string, value: string, constraint: string) =>
  AwsErrors.constraint(
    `Value '${value}' at 'entries.${index + 1}.member.${member}' failed to satisfy constraint: ${constraint}`,
  );

/**
 * The constraints of PutEventsRequestEntry's members that AWS checks before looking at any entry (so one broken
 * constraint fails the whole call): EventBusName (1–1600, a name or bus ARN) and TraceHeader (1–500).
 */
export const assertEntryConstraints = (entry: unknown, index: number): void => {
  if (!isObject(entry))
    throw AwsErrors.serialization(`Value at 'entries.${index + 1}.member' must be a structure`);
  const bus = entry.EventBusName;
  if (typeof bus === 'string') {
    if (bus.length === 0 || bus.length > 1600) {
      const bound = bus.length === 0 ? 'greater than or equal to 1' : 'less than or equal to 1600';
      throw memberConstraint(index, 'eventBusName', bus, `Member must have length ${bound}`);
    }
    if (!BUS_REFERENCE.test(bus)) {
      throw memberConstraint(
        index,
        'eventBusName',
        bus,
        `Member must satisfy regular expression pattern: ${BUS_REFERENCE.source.slice(1, -1)}`,
      );
    }
  }
  const trace = entry.TraceHeader;
  if (typeof trace === 'string' && (trace.length === 0 || trace.length > 500)) {
    const bound = trace.length === 0 ? 'greater than or equal to 1' : 'less than or equal to 500';
    throw memberConstraint(index, 'traceHeader', trace, `Member must have length ${bound}`);
  }
};

/** Epoch milliseconds as an event's `time`: ISO-8601 to the second, as EventBridge writes it. */
export const eventTime = (millis: number): string => new Date(millis).toISOString().replace(/\.\d{3}Z$/, 'Z');

const invalid = (name: string, reason: string): EntryFailure => ({
  ErrorCode: 'InvalidArgument',
  ErrorMessage: `Parameter ${name} is not valid. Reason: ${reason}`,
});

const requiredText = (entry: Raw, name: string): string | EntryFailure => {
  const value = entry[name];
  if (value === undefined || value === null || value === '')
    return invalid(name, `${name} is a required argument.`);
  if (typeof value !== 'string') return invalid(name, `${name} must be a string.`);
  return value;
};

const entryTime = (value: unknown, now: number): number | undefined => {
  if (value === undefined || value === null) return now;
  const millis =
    typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isFinite(millis) ? millis : undefined;
};

/** What an accepted entry becomes: the event, and the bus it was put on (name or ARN, as given). */
export interface AcceptedEntry {
  readonly event: EventBridgeEvent;
  readonly busReference: string | undefined;
}

/**
 * Validates one PutEvents entry and builds its event, or says why AWS would refuse it: Source, DetailType and Detail
 * required; Detail a JSON object (`MalformedDetail`); sources starting with `aws.` reserved for AWS services
 * (`NotAuthorizedForSourceException`). The bus is resolved by the caller.
 */
export const acceptEntry = (entry: unknown, scope: Scope, now: number): AcceptedEntry | EntryFailure => {
  if (!isObject(entry)) return invalid('Entries', 'each entry must be an object.');
  const source = requiredText(entry, 'Source');
  if (typeof source !== 'string') return source;
  const detailType = requiredText(entry, 'DetailType');
  if (typeof detailType !== 'string') return detailType;
  const detailText = requiredText(entry, 'Detail');
  if (typeof detailText !== 'string') return detailText;
  let detail: unknown;
  try {
    detail = JSON.parse(detailText);
  } catch {
    detail = undefined;
  }
  if (!isObject(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  if (source.startsWith('aws.')) {
    return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
  }
  const resources = entry.Resources ?? [];
  if (!Array.isArray(resources) || !resources.every((resource) => typeof resource === 'string')) {
    return invalid('Resources', 'Resources must be a list of strings.');
  }
  const time = entryTime(entry.Time, now);
  if (time === undefined) return invalid('Time', 'Time must be a timestamp.');
  const busReference = entry.EventBusName;
  if (busReference !== undefined && busReference !== null && typeof busReference !== 'string') {
    return invalid('EventBusName', 'EventBusName must be a string.');
  }
  const event: EventBridgeEvent = {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source,
    account: scope.accountId,
    time: eventTime(time),
    region: scope.region,
    resources: resources as string[],
    detail: detail as Record<string, unknown>,
  };
  return { event, busReference: typeof busReference === 'string' ? busReference : undefined };
};

/**
 * The fields TestEventPattern requires of its `Event`. AWS's reference page also lists `resources`, but AWS accepts
 * events without it (observed against AWS), so it is checked only when present.
 */
export const TEST_EVENT_REQUIRED_FIELDS = [
  'id',
  'account',
  'source',
  'time',
  'region',
  'detail-type',
] as const;

/**
 * AWS answers every problem with the event alike (observed against AWS: not JSON, not an object, a mandatory field
 * missing, a malformed field).
 */
const invalidEvent = () => AwsErrors.validation('Parameter Event is not valid.');

/** Parses TestEventPattern's `Event` and checks its mandatory fields, or throws AWS's ValidationException. */
export const parseTestEvent = (text: string): Raw => {
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw invalidEvent();
  }
  if (!isObject(event)) throw invalidEvent();
  const missing = TEST_EVENT_REQUIRED_FIELDS.filter(
    (field) => event[field] === undefined || event[field] === null,
  );
  if (missing.length > 0) {
    throw invalidEvent();
  }
  if (event.resources !== undefined && !Array.isArray(event.resources)) {
    throw invalidEvent();
  }
  return event;
};
