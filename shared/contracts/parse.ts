import { randomUUID } from 'node:crypto';
import { ContractError } from '../errors';
import { type EventEnvelope, eventEnvelopeSchema } from './envelope';
import { type EventDataByType, type EventType, eventCatalog } from './events';
import * as z from './zod';

/** Turns zod issues into `path: message` strings that a log line or an HTTP 400 body can carry. */
export const formatIssues = (error: z.core.$ZodError): string[] =>
  error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);

const isKnownType = (type: string): type is EventType => Object.hasOwn(eventCatalog, type);

/**
 * Checks an envelope and its data against the catalog. Throws `ContractError` naming the reason for a malformed
 * envelope, an unknown type, an unknown version, a source that may not emit the type, or invalid data.
 */
export const parseEvent = (input: unknown): EventEnvelope<EventType, EventDataByType[EventType]> => {
  const envelope = eventEnvelopeSchema.safeParse(input);
  if (!envelope.success) {
    throw new ContractError('malformed event envelope', formatIssues(envelope.error));
  }
  const { type, version, source } = envelope.data;
  if (!isKnownType(type)) {
    throw new ContractError(`unknown event type '${type}'`);
  }
  const entry = eventCatalog[type];
  if (entry.source !== source) {
    throw new ContractError(`event type '${type}' must come from '${entry.source}', not '${source}'`);
  }
  const schema = (entry.versions as Record<number, z.ZodMiniType | undefined>)[version];
  if (schema === undefined) {
    throw new ContractError(`unsupported version ${version} of event type '${type}'`);
  }
  const data = schema.safeParse(envelope.data.data);
  if (!data.success) {
    throw new ContractError(`invalid data for ${type} v${version}`, formatIssues(data.error));
  }
  return { ...envelope.data, type, data: data.data } as EventEnvelope<EventType, EventDataByType[EventType]>;
};

/** A parsed event whose type is one of `T`, with the data of that type. */
export type EventOfType<T extends EventType> = { [K in T]: EventEnvelope<K, EventDataByType[K]> }[T];

/**
 * Narrows a parsed event to the types a consumer subscribes to; throws `ContractError` for any other type (a rule
 * that routes more than the consumer handles is a wiring bug, and the message must reach the DLQ, not vanish).
 */
export const assertEventType = <T extends EventType>(
  event: EventEnvelope<EventType, EventDataByType[EventType]>,
  expected: readonly T[],
): EventOfType<T> => {
  if (!(expected as readonly string[]).includes(event.type)) {
    throw new ContractError(`unexpected event type '${event.type}', expected ${expected.join(' or ')}`);
  }
  return event as unknown as EventOfType<T>;
};

/**
 * `parseEvent` as a check: undefined for a valid envelope, else the reason. The DLQ tool's `checkEvent`: what fails
 * here would fail at the consumer again, so the replay leaves it in the DLQ.
 */
export const checkEventEnvelope = (input: unknown): string | undefined => {
  try {
    parseEvent(input);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

/** Like `parseEvent`, but also requires the given type (a consumer subscribed to one type uses this). */
export const parseEventOfType = <T extends EventType>(
  input: unknown,
  expected: readonly T[],
): EventEnvelope<T, EventDataByType[T]> =>
  assertEventType(parseEvent(input), expected) as EventEnvelope<T, EventDataByType[T]>;

const eventBridgeEventSchema = z.object({
  id: z.string(),
  'detail-type': z.string(),
  source: z.string(),
  time: z.optional(z.string()),
  detail: z.unknown(),
});

/**
 * Reads the domain event out of an SQS message body that EventBridge delivered (the whole EventBridge event is the
 * body, and our envelope is its `detail`). Throws `ContractError` on anything else.
 */
export const parseEventBridgeMessageBody = (
  body: string,
): EventEnvelope<EventType, EventDataByType[EventType]> => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new ContractError('message body is not JSON', [], { cause: error });
  }
  const event = eventBridgeEventSchema.safeParse(json);
  if (!event.success) {
    throw new ContractError('message body is not an EventBridge event', formatIssues(event.error));
  }
  const envelope = parseEvent(event.data.detail);
  if (event.data['detail-type'] !== envelope.type) {
    throw new ContractError(
      `detail-type '${event.data['detail-type']}' does not match envelope type '${envelope.type}'`,
    );
  }
  return envelope;
};

/** What a producer passes to create a new event; the rest of the envelope is filled in. */
export interface NewEvent<T extends EventType> {
  type: T;
  data: EventDataByType[T];
  correlationId: string;
  causationId?: string;
  /** Defaults to a random UUID. Pass a deterministic one to make re-emission idempotent. */
  id?: string;
  /** Defaults to now. */
  occurredAt?: Date;
}

/** Builds a valid, current-version envelope for a new event (validated, so a producer cannot emit garbage). */
export const createEvent = <T extends EventType>(
  event: NewEvent<T>,
): EventEnvelope<T, EventDataByType[T]> => {
  const envelope = {
    id: event.id ?? randomUUID(),
    type: event.type,
    version: 1,
    source: eventCatalog[event.type].source,
    occurredAt: (event.occurredAt ?? new Date()).toISOString(),
    correlationId: event.correlationId,
    ...(event.causationId === undefined ? {} : { causationId: event.causationId }),
    data: event.data,
  };
  return parseEventOfType(envelope, [event.type]);
};
