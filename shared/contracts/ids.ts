import { createHash } from 'node:crypto';

/**
 * Derives a stable UUID (version 8, RFC 9562 "custom") from a namespace and a name, so that an event emitted again
 * for the same cause gets the same id and downstream idempotency (keyed on the event id) drops the copy.
 *
 * Example: billing emits `payment.succeeded` with `deriveEventId('payment', orderCreatedEvent.id)`; if the record is
 * retried after the charge but before the acknowledgement, the re-emitted event is a duplicate, not a new event.
 */
export const deriveEventId = (namespace: string, name: string): string => {
  const bytes = createHash('sha256').update(`${namespace}\u0000${name}`).digest().subarray(0, 16);
  // Version 8 in the high nibble of byte 6, RFC 9562 variant (10xx) in byte 8.
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
