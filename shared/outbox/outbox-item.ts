import { type EventEnvelope, parseEvent } from '../contracts';
import { ContractError } from '../errors';

/**
 * An item of the outbox table: written in the same transaction as the state change that caused the event, read by
 * the outbox publisher from the table's stream, deleted once the event is on the bus.
 */
export interface OutboxItem {
  /** The event id. */
  readonly pk: string;
  /** The whole envelope as JSON: exactly what becomes the EventBridge `detail`. */
  readonly event: string;
  /**
   * When the event occurred, as UTC ISO-8601 (`toISOString`): a fixed-width string, so the sweeper can compare it
   * with a cutoff inside a DynamoDB filter expression (an offset such as `+02:00` would break that ordering).
   */
  readonly createdAt: string;
}

/** The outbox item holding an event. */
export const toOutboxItem = (envelope: EventEnvelope): OutboxItem => ({
  pk: envelope.id,
  event: JSON.stringify(envelope),
  createdAt: new Date(envelope.occurredAt).toISOString(),
});

/**
 * Reads the event out of an outbox item's key and `event` attribute. Throws `ContractError` when either is missing,
 * the event breaks the contract, or the key and the event id disagree.
 */
export const parseOutboxItem = (pk: unknown, event: unknown): ReturnType<typeof parseEvent> => {
  if (typeof pk !== 'string' || typeof event !== 'string') {
    throw new ContractError('outbox item has no string pk and event attributes');
  }
  let json: unknown;
  try {
    json = JSON.parse(event);
  } catch (error) {
    throw new ContractError('outbox event is not JSON', [], { cause: error });
  }
  const envelope = parseEvent(json);
  if (envelope.id !== pk) {
    throw new ContractError(`outbox key '${pk}' does not match event id '${envelope.id}'`);
  }
  return envelope;
};

/**
 * Reads the event out of an outbox item's stream image (DynamoDB attribute-value form). Throws `ContractError` when
 * the item is not an outbox item or its event breaks the contract, or when the key and the event id disagree.
 */
export const parseOutboxImage = (
  image: Readonly<Record<string, { S?: string | undefined }>> | undefined,
): ReturnType<typeof parseEvent> => {
  const pk = image?.pk?.S;
  const event = image?.event?.S;
  if (pk === undefined || event === undefined) {
    throw new ContractError('outbox stream record has no string pk and event attributes');
  }
  return parseOutboxItem(pk, event);
};
