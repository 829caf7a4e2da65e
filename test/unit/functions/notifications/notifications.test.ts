import { describe, expect, it } from 'vitest';
import { buildNotification, type Notification } from '../../../../functions/notifications/core';
import {
  createNotificationsHandler,
  notificationsProcessor,
} from '../../../../functions/notifications/handler';
import {
  orderCreatedEvent,
  paymentFailedEvent,
  paymentSucceededEvent,
  sqsEvent,
  sqsRecord,
  sqsRecordOf,
} from '../../../support/events';
import { InMemoryIdempotencyStore } from '../../../support/in-memory-idempotency-store';
import { lambdaContext } from '../../../support/lambda';
import { quietObservability } from '../../../support/observability';
import { RecordingMetrics } from '../../../support/recording-log';

const ORDER_ID = '5a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

/** The handler over an in-memory idempotency table (the real Powertools logic) and a recording channel. */
const setup = (send?: (notification: Notification) => Promise<void>) => {
  const store = new InMemoryIdempotencyStore();
  const sent: Notification[] = [];
  const metrics = new RecordingMetrics();
  const processor = notificationsProcessor(
    {
      metrics,
      send:
        send ??
        (async (notification) => {
          sent.push(notification);
        }),
    },
    { persistenceStore: () => store, expiresAfterSeconds: 3600 },
  );
  const handler = createNotificationsHandler(async () => processor, quietObservability());
  return { store, sent, metrics, handler };
};

describe('buildNotification', () => {
  it('confirms an order with its item count and total', () => {
    const event = orderCreatedEvent();
    expect(buildNotification(event)).toEqual({
      kind: 'order-confirmation',
      orderId: event.data.orderId,
      customerId: 'customer-1',
      subject: `We received your order ${event.data.orderId}`,
      body: '2 item(s), 25.00 EUR. We will let you know when the payment goes through.',
      eventId: event.id,
    });
  });

  it('sends a receipt for a payment and explains a failed one', () => {
    expect(buildNotification(paymentSucceededEvent(ORDER_ID))).toMatchObject({
      kind: 'payment-receipt',
      body: 'We charged 25.00 EUR (payment ch_1).',
    });
    expect(buildNotification(paymentFailedEvent(ORDER_ID))).toMatchObject({
      kind: 'payment-problem',
      body: expect.stringContaining('declined'),
    });
    expect(
      buildNotification(
        paymentFailedEvent(ORDER_ID, {
          data: { orderId: ORDER_ID, amountCents: 1, currency: 'EUR', reason: 'invalid_request' },
        }),
      ),
    ).toMatchObject({
      body: expect.stringContaining('contact support'),
    });
  });
});

describe('notifications', () => {
  it('sends once per event id: a duplicate delivery, a redrive or a replay sends nothing more', async () => {
    const { sent, handler } = setup();
    const event = paymentSucceededEvent(ORDER_ID);

    expect(await handler(sqsEvent([sqsRecordOf(event)]), lambdaContext())).toEqual({ batchItemFailures: [] });
    // Redriven or replayed: a new SQS message id, the same event.
    expect(await handler(sqsEvent([sqsRecordOf(event)]), lambdaContext())).toEqual({ batchItemFailures: [] });

    expect(sent.map((notification) => [notification.kind, notification.eventId])).toEqual([
      ['payment-receipt', event.id],
    ]);
  });

  it('remembers a sent event in the idempotency table (not in Redis) for the configured TTL', async () => {
    const { store, handler } = setup();
    const event = orderCreatedEvent();
    await handler(sqsEvent([sqsRecordOf(event)]), lambdaContext());

    const records = [...store.records.values()];
    expect(records).toHaveLength(1);
    expect(records[0]?.idempotencyKey).toMatch(/^notifications\.send#/);
    expect(records[0]?.getStatus()).toBe('COMPLETED');
    expect((records[0]?.expiryTimestamp ?? 0) - Date.now() / 1000).toBeGreaterThan(3500);
  });

  it('retries a record whose send failed, and sends it then', async () => {
    let attempts = 0;
    const delivered: string[] = [];
    const { handler } = setup(async (notification) => {
      attempts += 1;
      if (attempts === 1) throw new Error('channel down');
      delivered.push(notification.eventId);
    });
    const record = sqsRecordOf(orderCreatedEvent());

    expect((await handler(sqsEvent([record]), lambdaContext())).batchItemFailures).toHaveLength(1);
    expect(await handler(sqsEvent([record]), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(delivered).toHaveLength(1);
  });

  it('sends one notification per event with the log sender and a metric, failing only bad records', async () => {
    const store = new InMemoryIdempotencyStore();
    const metrics = new RecordingMetrics();
    const processor = notificationsProcessor(
      { metrics },
      { persistenceStore: () => store, expiresAfterSeconds: 60 },
    );
    const handler = createNotificationsHandler(async () => processor, quietObservability());
    const created = orderCreatedEvent();
    const records = [
      sqsRecordOf(created),
      sqsRecordOf(created),
      sqsRecordOf(paymentFailedEvent(created.data.orderId)),
      sqsRecord('{}'),
    ];

    const response = await handler(sqsEvent(records), lambdaContext());

    const failed = response.batchItemFailures.map((failure) => failure.itemIdentifier);
    expect(failed).toContain(records[3]?.messageId);
    expect(failed).not.toContain(records[2]?.messageId);
    // The same event twice in one batch (records run in parallel): one claim wins; the other is either answered
    // from the stored result or, while the winner is still sending, failed for a retry. Never sent twice.
    expect(metrics.total('NotificationsSent')).toBe(2);
  });
});
