import { describe, expect, it } from 'vitest';
import {
  buildNotification,
  type Notification,
  NotificationInFlightError,
  notify,
} from '../../../../functions/notifications/core';
import {
  createNotificationsHandler,
  notificationsProcessor,
} from '../../../../functions/notifications/handler';
import { RedisDedupeStore } from '../../../../shared/redis/dedupe';
import {
  orderCreatedEvent,
  paymentFailedEvent,
  paymentSucceededEvent,
  sqsEvent,
  sqsRecord,
  sqsRecordOf,
} from '../../../support/events';
import { InMemoryRedis } from '../../../support/in-memory-redis';
import { lambdaContext } from '../../../support/lambda';
import { quietObservability } from '../../../support/observability';
import { RecordingLog, RecordingMetrics } from '../../../support/recording-log';

const ORDER_ID = '5a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

const setup = () => {
  const redis = new InMemoryRedis();
  const sent: Notification[] = [];
  const deps = {
    dedupe: new RedisDedupeStore(async () => redis),
    dedupeTtlSeconds: 3600,
    send: async (notification: Notification) => {
      sent.push(notification);
    },
  };
  return { redis, sent, deps, log: new RecordingLog() };
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

describe('notify', () => {
  it('sends once, then drops the duplicate; the dedupe key lives for the TTL', async () => {
    const { redis, sent, deps, log } = setup();
    const event = paymentSucceededEvent(ORDER_ID);

    expect(await notify(event, deps, 30, log)).toEqual({ outcome: 'sent', kind: 'payment-receipt' });
    expect(await notify(event, deps, 30, log)).toEqual({ outcome: 'duplicate' });
    expect(sent).toHaveLength(1);
    expect(redis.ttlSeconds(`dedupe:notifications:${event.id}`)).toBe(3600);
  });

  it('refuses (for a retry) while another run holds the claim, and runs once that claim lapses', async () => {
    const { redis, sent, deps, log } = setup();
    const event = orderCreatedEvent();
    await redis.set(`dedupe:notifications:${event.id}`, 'in-flight', { ex: 30 });

    await expect(notify(event, deps, 30, log)).rejects.toThrow(NotificationInFlightError);
    redis.now += 31_000;
    expect(await notify(event, deps, 30, log)).toMatchObject({ outcome: 'sent' });
    expect(sent).toHaveLength(1);
  });

  it('releases the claim when sending fails, so the retry can send', async () => {
    const { redis, deps, log } = setup();
    const event = orderCreatedEvent();
    const failing = { ...deps, send: async () => Promise.reject(new Error('channel down')) };

    await expect(notify(event, failing, 30, log)).rejects.toThrow('channel down');
    expect(await redis.get(`dedupe:notifications:${event.id}`)).toBeNull();
    expect(await notify(event, deps, 30, log)).toMatchObject({ outcome: 'sent' });
  });

  it('fails (to retry later) rather than risk a double send when Redis is unreachable', async () => {
    const { redis, sent, deps, log } = setup();
    redis.failWith = new Error('ECONNREFUSED');
    await expect(notify(orderCreatedEvent(), deps, 30, log)).rejects.toThrow('ECONNREFUSED');
    expect(sent).toEqual([]);
  });
});

describe('notifications handler', () => {
  it('sends one notification per event with the log sender and a metric, failing only bad records', async () => {
    const redis = new InMemoryRedis();
    const metrics = new RecordingMetrics();
    const processor = notificationsProcessor({
      dedupe: new RedisDedupeStore(async () => redis),
      dedupeTtlSeconds: 60,
      metrics,
    });
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
    // The same event twice in one batch (records run in parallel): one claim wins; the other is either dropped as
    // a duplicate or, while the winner is still sending, failed for a retry. Never sent twice.
    expect(metrics.total('NotificationsSent')).toBe(2);
  });
});
