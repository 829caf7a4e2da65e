import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createOrdersApiHandler } from '../../../../functions/orders-api/handler';
import { idempotentCreateOrder, type OrdersApiDependencies } from '../../../../functions/orders-api/routes';
import { RedisOrderCache } from '../../../../shared/orders';
import { type HttpApiRequest, httpApiEvent } from '../../../support/events';
import { inMemoryPersistence } from '../../../support/in-memory-idempotency-store';
import { InMemoryOrderRepository } from '../../../support/in-memory-orders';
import { InMemoryRedis } from '../../../support/in-memory-redis';
import { lambdaContext } from '../../../support/lambda';
import { quietObservability } from '../../../support/observability';
import { RecordingLog, RecordingMetrics } from '../../../support/recording-log';

const body = {
  customerId: 'customer-1',
  items: [{ sku: 'SKU-1', quantity: 3, unitPriceCents: 500 }],
  currency: 'EUR',
};

/** The JSON bodies the API answers with, loosely typed for assertions. */
interface Body {
  message?: string;
  orderId?: string;
  fields?: { path: string; message: string }[];
  [key: string]: unknown;
}

const readerArn = 'arn:aws:iam::000000000000:role/support/OrderReader';

const setup = (orders = new InMemoryOrderRepository()) => {
  const redis = new InMemoryRedis();
  const base = { orders, cache: new RedisOrderCache(async () => redis, 60), log: new RecordingLog() };
  const metrics = new RecordingMetrics();
  const deps: OrdersApiDependencies = {
    ...base,
    metrics,
    createOrderOnce: idempotentCreateOrder(base, {
      persistenceStore: inMemoryPersistence(),
      expiresAfterSeconds: 3600,
    }),
    readAccess: { readerArn },
    limits: { maxTotalCents: 10_000 },
  };
  const handler = createOrdersApiHandler(async () => deps, quietObservability());
  const call = async (
    request: HttpApiRequest,
  ): Promise<APIGatewayProxyStructuredResultV2 & { json: Body }> => {
    const response = await handler(httpApiEvent(request), lambdaContext());
    return { ...response, json: JSON.parse(response.body ?? '{}') as Body };
  };
  return { orders, redis, metrics, call };
};

describe('orders API: POST /orders', () => {
  it('creates the order: 201, Location, the order, the correlation id echoed', async () => {
    const { orders, call } = setup();
    const response = await call({
      method: 'POST',
      path: '/orders',
      body,
      headers: { 'X-Correlation-Id': 'req-123' },
    });

    expect(response.statusCode).toBe(201);
    expect(response.json).toMatchObject({ status: 'PENDING_PAYMENT', totalCents: 1500, currency: 'EUR' });
    expect(response.headers).toMatchObject({
      location: `/orders/${response.json.orderId}`,
      'x-correlation-id': 'req-123',
      'content-type': 'application/json',
    });
    const [event] = [...orders.outbox.values()];
    expect(event).toMatchObject({ type: 'order.created', correlationId: 'req-123' });
  });

  it('starts a correlation id when the request has none (or an unusable one)', async () => {
    const { orders, call } = setup();
    const response = await call({
      method: 'POST',
      path: '/orders',
      body,
      headers: { 'x-correlation-id': 'a b' },
    });

    const correlationId = response.headers?.['x-correlation-id'];
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect([...orders.outbox.values()][0]?.correlationId).toBe(correlationId);
  });

  it('answers 400 with the failing fields for an invalid body', async () => {
    const { orders, call } = setup();
    const response = await call({
      method: 'POST',
      path: '/orders',
      body: { ...body, items: [{ sku: 'SKU-1', quantity: -1, unitPriceCents: 5 }], currency: 'euro' },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json.message).toBe('invalid request body');
    expect(response.json.fields?.map((field) => field.path)).toEqual(
      expect.arrayContaining(['items.0.quantity', 'currency']),
    );
    expect(orders.orders.size).toBe(0);
  });

  it('answers 400 for malformed JSON and for a missing body, 415 for another content type', async () => {
    const { call } = setup();
    const malformed = await call({
      method: 'POST',
      path: '/orders',
      body: '{"customerId": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json).toEqual({ message: 'request body is not valid JSON' });

    expect((await call({ method: 'POST', path: '/orders' })).statusCode).toBe(400);
    const text = await call({
      method: 'POST',
      path: '/orders',
      body: 'hi',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.statusCode).toBe(415);
  });

  it('answers 400 with a reason for a total of 0, a total above the gateway maximum, an unknown currency', async () => {
    const { orders, call } = setup();
    const cases = [
      [{ ...body, items: [{ sku: 'SKU-1', quantity: 1, unitPriceCents: 0 }] }, /order total is 0/],
      [{ ...body, items: [{ sku: 'SKU-1', quantity: 2, unitPriceCents: 5_001 }] }, /maximum of 10000/],
      [{ ...body, currency: 'XYZ' }, /ISO 4217/],
    ] as const;
    for (const [invalid, reason] of cases) {
      const response = await call({ method: 'POST', path: '/orders', body: invalid });
      expect(response.statusCode).toBe(400);
      expect(response.json.message).toBe('invalid request body');
      expect(response.json.fields?.[0]?.message).toMatch(reason);
    }
    expect(orders.orders.size).toBe(0);
  });

  it('answers 403 to a request that carries no IAM identity (a route deployed without IAM auth)', async () => {
    const { orders, call } = setup();
    const response = await call({ method: 'POST', path: '/orders', body, caller: null });
    expect(response.statusCode).toBe(403);
    expect(orders.orders.size).toBe(0);
  });

  it('with the same Idempotency-Key, answers the same order and writes no second one', async () => {
    const { orders, metrics, call } = setup();
    const request = { method: 'POST', path: '/orders', body, headers: { 'Idempotency-Key': 'key-1' } };
    const first = await call(request);
    const second = await call(request);

    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json).toEqual(first.json);
    expect(second.headers?.['idempotent-replayed']).toBe('true');
    expect(first.headers?.['idempotent-replayed']).toBeUndefined();
    expect(orders.orders.size).toBe(1);
    expect(orders.outbox.size).toBe(1);
    expect(metrics.total('OrdersCreated')).toBe(1);
  });

  it('answers the same order to a retry of a create that crashed after writing it (its idempotency record gone)', async () => {
    const crashed = setup();
    const request = { method: 'POST', path: '/orders', body, headers: { 'Idempotency-Key': 'key-crash' } };
    const first = await crashed.call(request);
    // A fresh idempotency store over the same table: the first run's record was left in progress and expired, as
    // when its worker is killed between the order's write and the record's completion.
    const retried = setup(crashed.orders);
    const second = await retried.call(request);

    expect(second.statusCode).toBe(201);
    expect(second.json.orderId).toBe(first.json.orderId);
    expect(crashed.orders.orders.size).toBe(1);
    expect(crashed.orders.outbox.size).toBe(1);
    const changed = await setup(crashed.orders).call({ ...request, body: { ...body, currency: 'USD' } });
    expect(changed.statusCode).toBe(422);
    expect(crashed.orders.orders.size).toBe(1);
  });

  it('refuses a reused Idempotency-Key with another body (422), and scopes keys per customer', async () => {
    const { orders, call } = setup();
    const headers = { 'idempotency-key': 'key-1' };
    await call({ method: 'POST', path: '/orders', body, headers });

    const changed = await call({
      method: 'POST',
      path: '/orders',
      body: { ...body, currency: 'USD' },
      headers,
    });
    expect(changed.statusCode).toBe(422);

    const otherCustomer = await call({
      method: 'POST',
      path: '/orders',
      body: { ...body, customerId: 'customer-2' },
      headers,
    });
    expect(otherCustomer.statusCode).toBe(201);
    expect(orders.orders.size).toBe(2);

    // Another caller reusing the key gets its own order, never the first caller's.
    const otherCaller = await call({
      method: 'POST',
      path: '/orders',
      body,
      headers,
      caller: 'arn:aws:iam::000000000000:user/other',
    });
    expect(otherCaller.statusCode).toBe(201);
    expect(otherCaller.headers?.['idempotent-replayed']).toBeUndefined();
    expect(orders.orders.size).toBe(3);
  });

  it('answers a generic 500 when the store fails, without leaking the cause', async () => {
    const { orders, call } = setup();
    orders.failWith = new Error('ProvisionedThroughputExceededException: secret table detail');
    const response = await call({
      method: 'POST',
      path: '/orders',
      body,
      headers: { 'x-correlation-id': 'c-1' },
    });

    expect(response.statusCode).toBe(500);
    expect(response.json).toEqual({ message: 'internal server error' });
    expect(response.headers?.['x-correlation-id']).toBe('c-1');
  });
});

describe('orders API: GET /orders/{id}', () => {
  it('reads through the cache: miss, then hit', async () => {
    const { call, metrics } = setup();
    const created = await call({ method: 'POST', path: '/orders', body });
    const path = `/orders/${created.json.orderId}`;

    const first = await call({ method: 'GET', path });
    const second = await call({ method: 'GET', path });
    expect(first.statusCode).toBe(200);
    expect(first.headers?.['x-cache']).toBe('miss');
    expect(second.headers?.['x-cache']).toBe('hit');
    expect(second.json).toEqual(created.json);
    expect([metrics.total('OrderCacheMisses'), metrics.total('OrderCacheHits')]).toEqual([1, 1]);
  });

  it('serves from the table when Redis is down', async () => {
    const { redis, call } = setup();
    const created = await call({ method: 'POST', path: '/orders', body });
    redis.failWith = new Error('timeout');

    const response = await call({ method: 'GET', path: `/orders/${created.json.orderId}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['x-cache']).toBe('miss');
  });

  it('shows an order to the principal that created it and to the reader role; any other caller gets 404', async () => {
    const { call, orders } = setup();
    const storefront = 'arn:aws:sts::000000000000:assumed-role/Storefront/container-1';
    const created = await call({ method: 'POST', path: '/orders', body, caller: storefront });
    const path = `/orders/${created.json.orderId}`;
    expect(created.json.ownerPrincipal).toBeUndefined();
    expect(orders.orders.get(String(created.json.orderId))?.ownerPrincipal).toBe(
      'arn:aws:iam::000000000000:role/Storefront',
    );

    const sameRole = await call({
      method: 'GET',
      path,
      caller: 'arn:aws:sts::000000000000:assumed-role/Storefront/container-2',
    });
    expect(sameRole.statusCode).toBe(200);
    expect(sameRole.json).toEqual(created.json);
    const asReader = await call({
      method: 'GET',
      path,
      caller: 'arn:aws:sts::000000000000:assumed-role/OrderReader/support-session',
    });
    expect(asReader.statusCode).toBe(200);

    const unknown = await call({ method: 'GET', path: '/orders/0b6c5d0e-1111-4222-8333-444455556666' });
    for (const other of [
      'arn:aws:iam::000000000000:user/mallory',
      'arn:aws:iam::999999999999:role/Storefront',
    ]) {
      // Served from the cache (filled above) or not, the answer is that of an order that does not exist.
      const answer = await call({ method: 'GET', path, caller: other });
      expect(answer.statusCode).toBe(404);
      expect(answer.json).toEqual({ ...unknown.json, orderId: created.json.orderId });
    }
  });

  it('answers 404 for an unknown or malformed id', async () => {
    const { call } = setup();
    const unknown = await call({ method: 'GET', path: '/orders/0b6c5d0e-1111-4222-8333-444455556666' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json).toMatchObject({ message: 'order not found' });
    expect((await call({ method: 'GET', path: '/orders/not-an-id' })).statusCode).toBe(404);
  });
});

describe('orders API: routing', () => {
  it('answers 404 for unknown routes and 405 (with Allow) for a wrong method', async () => {
    const { call } = setup();
    const unknown = await call({ method: 'GET', path: '/customers' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json).toEqual({ message: 'route not found', method: 'GET', path: '/customers' });

    const wrongMethod = await call({ method: 'DELETE', path: '/orders' });
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers?.allow).toBe('POST');
    expect(wrongMethod.json.message).toMatch(/DELETE/);

    expect(
      (await call({ method: 'PUT', path: '/orders/0b6c5d0e-1111-4222-8333-444455556666' })).statusCode,
    ).toBe(405);
  });
});
