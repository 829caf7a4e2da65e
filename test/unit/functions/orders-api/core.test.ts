import { describe, expect, it } from 'vitest';
import {
  createOrder,
  getOrder,
  idempotentOrderId,
  parseCreateOrderRequest,
  RequestValidationError,
} from '../../../../functions/orders-api/core';
import { ContractError } from '../../../../shared/errors';
import {
  computeTotalCents,
  OrderAlreadyExistsError,
  OrderStatus,
  RedisOrderCache,
} from '../../../../shared/orders';
import { InMemoryOrderRepository } from '../../../support/in-memory-orders';
import { InMemoryRedis } from '../../../support/in-memory-redis';
import { RecordingLog } from '../../../support/recording-log';

const validRequest = {
  customerId: 'customer-1',
  items: [
    { sku: 'SKU-1', quantity: 2, unitPriceCents: 1250 },
    { sku: 'SKU-2', quantity: 1, unitPriceCents: 999 },
  ],
  currency: 'EUR',
};

const limits = { maxTotalCents: 99_999_999 };
const owner = 'arn:aws:iam::000000000000:role/storefront';

const setup = () => {
  const orders = new InMemoryOrderRepository();
  const redis = new InMemoryRedis();
  const log = new RecordingLog();
  const deps = {
    orders,
    cache: new RedisOrderCache(async () => redis, 60),
    log,
    now: () => new Date('2026-11-27T10:00:00.000Z'),
    newId: () => '7b0c8f4e-3c1d-4d7a-9a59-0f1e2d3c4b5a',
  };
  return { orders, redis, log, deps };
};

describe('parseCreateOrderRequest', () => {
  it('accepts a valid body and drops unknown fields', () => {
    expect(parseCreateOrderRequest({ ...validRequest, extra: true }, limits)).toEqual(validRequest);
  });

  it('lists every failing field with a dotted path', () => {
    const attempt = () =>
      parseCreateOrderRequest(
        {
          customerId: '',
          items: [{ sku: 'SKU-1', quantity: 0, unitPriceCents: -1 }],
          currency: 'eur',
        },
        limits,
      );
    expect(attempt).toThrow(RequestValidationError);
    try {
      attempt();
    } catch (error) {
      const paths = (error as RequestValidationError).fields.map((field) => field.path);
      expect(paths).toEqual(
        expect.arrayContaining(['customerId', 'items.0.quantity', 'items.0.unitPriceCents', 'currency']),
      );
    }
  });

  it('refuses a total of 0 and a total above the gateway maximum, naming the limit', () => {
    const free = { ...validRequest, items: [{ sku: 'SKU-1', quantity: 3, unitPriceCents: 0 }] };
    expect(() => parseCreateOrderRequest(free, limits)).toThrow(/order total is 0/);
    const atMax = { ...validRequest, items: [{ sku: 'SKU-1', quantity: 1, unitPriceCents: 1000 }] };
    expect(parseCreateOrderRequest(atMax, { maxTotalCents: 1000 })).toEqual(atMax);
    const overMax = { ...validRequest, items: [{ sku: 'SKU-1', quantity: 2, unitPriceCents: 501 }] };
    try {
      parseCreateOrderRequest(overMax, { maxTotalCents: 1000 });
      expect.unreachable();
    } catch (error) {
      expect((error as RequestValidationError).fields).toEqual([
        {
          path: 'items',
          message: "the order total 1002 is above the payment gateway's maximum of 1000 minor units",
        },
      ]);
    }
  });

  it('accepts circulating ISO 4217 currencies only, in upper case', () => {
    for (const currency of ['EUR', 'USD', 'JPY', 'XOF', 'CHF']) {
      expect(parseCreateOrderRequest({ ...validRequest, currency }, limits).currency).toBe(currency);
    }
    for (const currency of ['eur', 'ABC', 'XXX', 'XTS', 'HRK', 'EURO', '', 978]) {
      expect(() => parseCreateOrderRequest({ ...validRequest, currency }, limits), String(currency)).toThrow(
        /currency: must be an ISO 4217 currency code|currency: Invalid input/,
      );
    }
  });

  it('rejects an order without items and a body that is not an object', () => {
    expect(() => parseCreateOrderRequest({ ...validRequest, items: [] }, limits)).toThrow(/items/);
    expect(() => parseCreateOrderRequest([1, 2], limits)).toThrow(RequestValidationError);
  });
});

describe('computeTotalCents', () => {
  it('sums quantity times unit price', () => {
    expect(computeTotalCents(validRequest.items)).toBe(3499);
  });

  it('refuses a total that cannot be represented exactly', () => {
    expect(() =>
      computeTotalCents([{ sku: 'X', quantity: 1000, unitPriceCents: Number.MAX_SAFE_INTEGER }]),
    ).toThrow(ContractError);
  });
});

describe('createOrder', () => {
  it('stores a PENDING_PAYMENT order and its order.created event in one write', async () => {
    const { orders, deps } = setup();
    const order = await createOrder(
      { request: validRequest, correlationId: 'corr-42', ownerPrincipal: owner },
      deps,
    );

    expect(order).toMatchObject({
      orderId: '7b0c8f4e-3c1d-4d7a-9a59-0f1e2d3c4b5a',
      status: OrderStatus.pendingPayment,
      totalCents: 3499,
      statusVersion: 0,
      createdAt: '2026-11-27T10:00:00.000Z',
    });
    expect(orders.orders.get(order.orderId)).toEqual(order);
    const [event] = [...orders.outbox.values()];
    expect(event).toMatchObject({
      type: 'order.created',
      source: 'breakwater.orders',
      version: 1,
      correlationId: 'corr-42',
      occurredAt: order.createdAt,
      data: { orderId: order.orderId, customerId: 'customer-1', totalCents: 3499, currency: 'EUR' },
    });
    expect(event?.causationId).toBeUndefined();
  });
});

describe('getOrder', () => {
  it('reads the table on a miss, fills the cache, and serves the next read from it', async () => {
    const { orders, redis, deps } = setup();
    const order = await createOrder(
      { request: validRequest, correlationId: 'c', ownerPrincipal: owner },
      deps,
    );

    expect(await getOrder(order.orderId, deps)).toEqual({ order, cache: 'miss' });
    expect(redis.ttlSeconds(`order:${order.orderId}`)).toBe(60);
    expect(await getOrder(order.orderId, deps)).toEqual({ order, cache: 'hit' });
    expect(orders.reads).toBe(1);
  });

  it('answers undefined for an unknown order and caches nothing', async () => {
    const { redis, deps } = setup();
    expect(await getOrder('missing', deps)).toBeUndefined();
    expect(redis.calls.filter(([command]) => command === 'set')).toEqual([]);
  });

  it('serves from the table and logs a warning when Redis fails', async () => {
    const { redis, log, deps } = setup();
    const order = await createOrder(
      { request: validRequest, correlationId: 'c', ownerPrincipal: owner },
      deps,
    );
    redis.failWith = new Error('ECONNREFUSED');

    expect(await getOrder(order.orderId, deps)).toEqual({ order, cache: 'miss' });
    expect(log.at('warn')).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('order cache unavailable'),
        attributes: expect.objectContaining({ orderId: order.orderId, errorMessage: 'ECONNREFUSED' }),
      }),
    ]);
    // No refill attempt against a Redis that just failed.
    expect(redis.calls.filter(([command]) => command === 'set')).toEqual([]);
  });

  it('treats an unreadable cache entry as a miss', async () => {
    const { redis, deps } = setup();
    const order = await createOrder(
      { request: validRequest, correlationId: 'c', ownerPrincipal: owner },
      deps,
    );
    await redis.set(`order:${order.orderId}`, '{"not":"an order"}', { ex: 60 });

    expect(await getOrder(order.orderId, deps)).toEqual({ order, cache: 'miss' });
  });
});

describe('createOrder with a fixed order id (an idempotent create)', () => {
  it('derives one UUID-shaped id per caller, customer and key', () => {
    const id = idempotentOrderId(owner, 'customer-1', 'key-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(idempotentOrderId(owner, 'customer-1', 'key-1')).toBe(id);
    expect(idempotentOrderId(owner, 'customer-2', 'key-1')).not.toBe(id);
    expect(idempotentOrderId('other', 'customer-1', 'key-1')).not.toBe(id);
  });

  it('a re-run returns the order the first run wrote, and writes neither a second order nor a second event', async () => {
    const { orders, deps } = setup();
    const orderId = idempotentOrderId(owner, 'customer-1', 'key-1');
    const input = { request: validRequest, correlationId: 'c-1', ownerPrincipal: owner, orderId };
    const first = await createOrder(input, deps);
    const again = await createOrder({ ...input, correlationId: 'c-2' }, { ...deps, now: () => new Date() });
    expect(again).toEqual(first);
    expect(orders.orders.size).toBe(1);
    expect(orders.outbox.size).toBe(1);
  });

  it('refuses a re-run with another body: the id belongs to the first', async () => {
    const { orders, deps } = setup();
    const orderId = idempotentOrderId(owner, 'customer-1', 'key-1');
    await createOrder({ request: validRequest, correlationId: 'c-1', ownerPrincipal: owner, orderId }, deps);
    const other = { ...validRequest, currency: 'USD' };
    await expect(
      createOrder({ request: other, correlationId: 'c-2', ownerPrincipal: owner, orderId }, deps),
    ).rejects.toBeInstanceOf(OrderAlreadyExistsError);
    expect(orders.orders.size).toBe(1);
  });
});
