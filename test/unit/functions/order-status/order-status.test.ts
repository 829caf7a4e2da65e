import { describe, expect, it } from 'vitest';
import {
  applyPaymentEvent,
  OrderNotFoundError,
  statusChangeFor,
} from '../../../../functions/order-status/core';
import { createOrderStatusHandler, orderStatusProcessor } from '../../../../functions/order-status/handler';
import { ContractError } from '../../../../shared/errors';
import { type Order, OrderStatus, RedisOrderCache } from '../../../../shared/orders';
import {
  orderCreatedEvent,
  paymentFailedEvent,
  paymentSucceededEvent,
  sqsEvent,
  sqsRecord,
  sqsRecordOf,
} from '../../../support/events';
import { inMemoryPersistence } from '../../../support/in-memory-idempotency-store';
import { InMemoryOrderRepository } from '../../../support/in-memory-orders';
import { InMemoryRedis } from '../../../support/in-memory-redis';
import { lambdaContext } from '../../../support/lambda';
import { quietObservability } from '../../../support/observability';
import { RecordingLog, RecordingMetrics } from '../../../support/recording-log';

const ORDER_ID = '3f0d7a52-8d7e-4c55-b0d9-6a2f1c1e9b10';
const AT = new Date('2026-11-27T12:00:00.000Z');

const pendingOrder = (): Order => ({
  orderId: ORDER_ID,
  customerId: 'customer-1',
  items: [{ sku: 'SKU-1', quantity: 1, unitPriceCents: 2500 }],
  totalCents: 2500,
  currency: 'EUR',
  status: OrderStatus.pendingPayment,
  createdAt: '2026-11-27T10:00:00.000Z',
  updatedAt: '2026-11-27T10:00:00.000Z',
  statusVersion: 0,
});

const setup = () => {
  const orders = new InMemoryOrderRepository();
  orders.orders.set(ORDER_ID, pendingOrder());
  const redis = new InMemoryRedis();
  const log = new RecordingLog();
  const metrics = new RecordingMetrics();
  const deps = { orders, cache: new RedisOrderCache(async () => redis), metrics, now: () => AT };
  return { orders, redis, log, metrics, deps };
};

describe('statusChangeFor', () => {
  it('maps payment.succeeded to PAID with the payment id, payment.failed to PAYMENT_FAILED', () => {
    const succeeded = paymentSucceededEvent(ORDER_ID);
    expect(statusChangeFor(succeeded, AT)).toEqual({
      orderId: ORDER_ID,
      to: 'PAID',
      paymentId: 'ch_1',
      eventId: succeeded.id,
      at: AT,
    });
    expect(statusChangeFor(paymentFailedEvent(ORDER_ID), AT)).toMatchObject({ to: 'PAYMENT_FAILED' });
    expect(statusChangeFor(paymentFailedEvent(ORDER_ID), AT)).not.toHaveProperty('paymentId');
  });
});

describe('applyPaymentEvent', () => {
  it('moves a pending order to PAID and invalidates its cached copy', async () => {
    const { orders, redis, log, deps } = setup();
    await redis.set(`order:${ORDER_ID}`, JSON.stringify(pendingOrder()), { ex: 60 });

    const outcome = await applyPaymentEvent(paymentSucceededEvent(ORDER_ID), deps, log);

    expect(outcome).toEqual({ outcome: 'applied', status: 'PAID', statusVersion: 1 });
    expect(orders.orders.get(ORDER_ID)).toMatchObject({
      status: 'PAID',
      paymentId: 'ch_1',
      statusVersion: 1,
      updatedAt: AT.toISOString(),
    });
    expect(await redis.get(`order:${ORDER_ID}`)).toBeNull();
  });

  it('moves a pending order to PAYMENT_FAILED', async () => {
    const { orders, log, deps } = setup();
    expect(await applyPaymentEvent(paymentFailedEvent(ORDER_ID), deps, log)).toMatchObject({
      outcome: 'applied',
      status: 'PAYMENT_FAILED',
    });
    expect(orders.orders.get(ORDER_ID)?.status).toBe('PAYMENT_FAILED');
  });

  it('treats the same outcome again as a duplicate: no change, no error', async () => {
    const { orders, log, deps } = setup();
    await applyPaymentEvent(paymentSucceededEvent(ORDER_ID), deps, log);
    const again = await applyPaymentEvent(paymentSucceededEvent(ORDER_ID), deps, log);

    expect(again).toEqual({ outcome: 'duplicate', status: 'PAID' });
    expect(orders.orders.get(ORDER_ID)?.statusVersion).toBe(1);
  });

  it.each([
    ['PAID', paymentFailedEvent],
    ['PAYMENT_FAILED', paymentSucceededEvent],
  ] as const)(
    'never regresses a %s order: a late conflicting event is ignored and logged',
    async (final, late) => {
      const { orders, log, metrics, deps } = setup();
      orders.orders.set(ORDER_ID, { ...pendingOrder(), status: final, statusVersion: 1 });

      expect(await applyPaymentEvent(late(ORDER_ID), deps, log)).toEqual({
        outcome: 'ignored',
        status: final,
      });
      expect(orders.orders.get(ORDER_ID)).toMatchObject({ status: final, statusVersion: 1 });
      expect(log.at('warn')).toEqual([
        expect.objectContaining({ message: expect.stringContaining('ignored') }),
      ]);
      expect(metrics.total('OrderStatusEventsIgnored')).toBe(1);
    },
  );

  it('fails with a contract error for an order that does not exist', async () => {
    const { log, deps } = setup();
    const attempt = applyPaymentEvent(
      paymentSucceededEvent('8d3c7e0a-0000-4000-8000-000000000000'),
      deps,
      log,
    );
    await expect(attempt).rejects.toThrow(OrderNotFoundError);
    await expect(attempt).rejects.toBeInstanceOf(ContractError);
  });

  it('logs, and still succeeds, when the cache cannot be invalidated', async () => {
    const { redis, log, deps } = setup();
    redis.failWith = new Error('ETIMEDOUT');

    expect(await applyPaymentEvent(paymentSucceededEvent(ORDER_ID), deps, log)).toMatchObject({
      outcome: 'applied',
    });
    expect(log.at('warn')).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('could not invalidate'),
        attributes: expect.objectContaining({ orderId: ORDER_ID, errorMessage: 'ETIMEDOUT' }),
      }),
    ]);
  });
});

describe('order-status handler', () => {
  const handlerFor = (deps: ReturnType<typeof setup>['deps']) => {
    const processor = orderStatusProcessor(deps, {
      persistenceStore: inMemoryPersistence(),
      expiresAfterSeconds: 60,
    });
    return createOrderStatusHandler(async () => processor, quietObservability());
  };

  it('applies payment events and fails only the bad records', async () => {
    const { orders, deps } = setup();
    const handler = handlerFor(deps);
    const records = [
      sqsRecordOf(paymentSucceededEvent(ORDER_ID)),
      sqsRecord('{"detail-type": "payment.succeeded"}'),
      sqsRecordOf(orderCreatedEvent()),
      sqsRecordOf(paymentFailedEvent('8d3c7e0a-0000-4000-8000-000000000000')),
    ];

    const response = await handler(sqsEvent(records), lambdaContext());

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
      records.slice(1).map((record) => record.messageId),
    );
    expect(orders.orders.get(ORDER_ID)?.status).toBe('PAID');
  });

  it('is idempotent on the event id: a redelivered event is not applied twice', async () => {
    const { orders, deps } = setup();
    const handler = handlerFor(deps);
    const event = paymentSucceededEvent(ORDER_ID);
    let changes = 0;
    const changeStatus = orders.changeStatus.bind(orders);
    orders.changeStatus = async (change) => {
      changes += 1;
      return changeStatus(change);
    };

    await handler(sqsEvent([sqsRecordOf(event)]), lambdaContext());
    const again = await handler(sqsEvent([sqsRecordOf(event)]), lambdaContext());

    expect(again).toEqual({ batchItemFailures: [] });
    expect(changes).toBe(1);
  });
});
