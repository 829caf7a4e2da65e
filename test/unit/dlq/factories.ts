import { randomUUID } from 'node:crypto';
import { toDlqMessage } from '../../../packages/dlq/src/message';
import type { DlqMessage } from '../../../packages/dlq/src/types';
import { createEvent, EventTypes } from '../../../shared/contracts';

/** An order.created EventBridge event body with our envelope in `detail`. */
export const eventBody = (
  overrides: { eventId?: string; currency?: string; totalCents?: number } = {},
): string => {
  const envelope = createEvent({
    type: EventTypes.orderCreated,
    id: overrides.eventId ?? randomUUID(),
    correlationId: 'corr-1',
    data: {
      orderId: 'o-1',
      customerId: 'c-1',
      items: [{ sku: 'sku-1', quantity: 1, unitPriceCents: overrides.totalCents ?? 1000 }],
      totalCents: overrides.totalCents ?? 1000,
      currency: overrides.currency ?? 'EUR',
    },
  });
  return JSON.stringify({ 'detail-type': envelope.type, source: envelope.source, detail: envelope });
};

/** A DLQ message as a receive would produce it, with optional attribute and system attribute overrides. */
export const dlqMessage = (
  options: {
    body?: string;
    messageId?: string;
    attributes?: Record<string, string>;
    system?: Record<string, string>;
  } = {},
): DlqMessage =>
  toDlqMessage({
    MessageId: options.messageId ?? randomUUID(),
    ReceiptHandle: `rh-${randomUUID()}`,
    Body: options.body ?? eventBody(),
    Attributes: { SentTimestamp: '1700000000000', ApproximateReceiveCount: '3', ...options.system },
    MessageAttributes: Object.fromEntries(
      Object.entries(options.attributes ?? {}).map(([name, value]) => [
        name,
        { DataType: 'String', StringValue: value },
      ]),
    ),
  });
