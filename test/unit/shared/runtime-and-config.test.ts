import { describe, expect, it } from 'vitest';
import { loadBillingConfig } from '../../../functions/billing/config';
import { loadNotificationsConfig } from '../../../functions/notifications/config';
import { loadOrderStatusConfig } from '../../../functions/order-status/config';
import { loadOrdersApiConfig } from '../../../functions/orders-api/config';
import { loadOutboxPublisherConfig } from '../../../functions/outbox-publisher/config';
import { ConfigurationError } from '../../../shared/errors';
import { once } from '../../../shared/runtime/once';

describe('once', () => {
  it('shares one result for the container, and forgets a failure', async () => {
    let calls = 0;
    const factory = once(async () => {
      calls += 1;
      if (calls === 1) throw new Error('throttled');
      return { client: calls };
    });

    await expect(factory()).rejects.toThrow('throttled');
    const [first, second] = await Promise.all([factory(), factory()]);
    expect(first).toBe(second);
    expect(await factory()).toEqual({ client: 2 });
    expect(calls).toBe(2);
  });
});

describe('function configuration', () => {
  const full = {
    EVENT_BUS_NAME: 'bus',
    ORDERS_TABLE_NAME: 'orders',
    OUTBOX_TABLE_NAME: 'outbox',
    IDEMPOTENCY_TABLE_NAME: 'idempotency',
    REDIS_SECRET_ID: 'redis',
    PAYMENT_GATEWAY_SECRET_ID: 'gateway',
    BREAKER_TABLE_NAME: 'breaker',
  };

  it('reads every function’s settings with documented defaults', () => {
    expect(loadOrdersApiConfig(full)).toEqual({
      ordersTableName: 'orders',
      outboxTableName: 'outbox',
      idempotencyTableName: 'idempotency',
      redisSecretId: 'redis',
      redisTimeoutMs: 1000,
      orderCacheTtlSeconds: 60,
      idempotencyTtlSeconds: 14 * 86_400,
      orderReaderArn: undefined,
      maxTotalCents: 99_999_999,
    });
    const reader = 'arn:aws:iam::123456789012:role/OrderReader';
    expect(
      loadOrdersApiConfig({
        ...full,
        ORDER_READER_ROLE_ARN: reader,
        PAYMENT_GATEWAY_MAX_AMOUNT_CENTS: '500000',
      }),
    ).toMatchObject({ orderReaderArn: reader, maxTotalCents: 500_000 });
    expect(loadOutboxPublisherConfig(full)).toEqual({ eventBusName: 'bus', outboxTableName: 'outbox' });
    expect(loadBillingConfig({ ...full, PAYMENT_GATEWAY_TIMEOUT_MS: '2500' })).toMatchObject({
      paymentGatewaySecretId: 'gateway',
      paymentGatewayTimeoutMs: 2500,
      breakerTableName: 'breaker',
      circuitId: 'payment-gateway',
      redisSecretId: 'redis',
      redisTimeoutMs: 1000,
    });
    // Without the Redis secret the breaker runs without its fast path.
    expect(
      loadBillingConfig({ ...full, REDIS_SECRET_ID: '', PAYMENT_GATEWAY_CIRCUIT_ID: 'gateway:eu' }),
    ).toMatchObject({ redisSecretId: undefined, circuitId: 'gateway:eu' });
    expect(loadOrderStatusConfig(full)).toMatchObject({ ordersTableName: 'orders', redisSecretId: 'redis' });
    expect(loadNotificationsConfig({ ...full, IDEMPOTENCY_TTL_SECONDS: '3600' })).toEqual({
      idempotencyTableName: full.IDEMPOTENCY_TABLE_NAME,
      idempotencyTtlSeconds: 3600,
    });
  });

  it('fails fast naming the missing or malformed variable', () => {
    expect(() => loadBillingConfig({ ...full, PAYMENT_GATEWAY_SECRET_ID: ' ' })).toThrow(
      new ConfigurationError('environment variable PAYMENT_GATEWAY_SECRET_ID is required but not set'),
    );
    expect(() => loadOrdersApiConfig({ ...full, ORDER_CACHE_TTL_SECONDS: '0' })).toThrow(
      /ORDER_CACHE_TTL_SECONDS/,
    );
    expect(() => loadOutboxPublisherConfig({})).toThrow(/EVENT_BUS_NAME/);
    expect(() => loadOrdersApiConfig({ ...full, ORDER_READER_ROLE_ARN: 'OrderReader' })).toThrow(
      /ORDER_READER_ROLE_ARN must be an IAM principal ARN/,
    );
    expect(() => loadOrdersApiConfig({ ...full, PAYMENT_GATEWAY_MAX_AMOUNT_CENTS: '0' })).toThrow(
      /PAYMENT_GATEWAY_MAX_AMOUNT_CENTS/,
    );
  });
});
