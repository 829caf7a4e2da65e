import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemTargets } from './support/description';
import { type ApiCredentials, connectToSystem, type OrdersApi, type System } from './support/system';

// What the orders API refuses, and how: at the API, with a reason, before any order or payment exists.

const order = (overrides: Record<string, unknown> = {}) => ({
  customerId: 'customer-rules',
  currency: 'EUR',
  items: [{ sku: 'sku-mug', quantity: 2, unitPriceCents: 1250 }],
  ...overrides,
});

/**
 * Two principals. Locally any two access keys are two callers (the local HTTP API front derives the caller from
 * the SigV4 access key); elsewhere the second needs real credentials in BREAKWATER_OTHER_ACCESS_KEY_ID /
 * BREAKWATER_OTHER_SECRET_ACCESS_KEY (/ BREAKWATER_OTHER_SESSION_TOKEN), and the first is the usual chain's.
 */
const principals = (system: System): { owner: OrdersApi; other: OrdersApi } | undefined => {
  if (system.description.target === SystemTargets.local) {
    const local = (name: string): ApiCredentials => ({
      accessKeyId: `AKID${name}`,
      secretAccessKey: 'local',
    });
    return { owner: system.api.as(local('OWNER')), other: system.api.as(local('OTHER')) };
  }
  const { BREAKWATER_OTHER_ACCESS_KEY_ID: id, BREAKWATER_OTHER_SECRET_ACCESS_KEY: secret } = process.env;
  if (id === undefined || secret === undefined) return undefined;
  const token = process.env.BREAKWATER_OTHER_SESSION_TOKEN;
  return {
    owner: system.api,
    other: system.api.as({
      accessKeyId: id,
      secretAccessKey: secret,
      ...(token ? { sessionToken: token } : {}),
    }),
  };
};

describe('the orders API', () => {
  let system: System;
  beforeAll(() => {
    system = connectToSystem();
  });
  afterAll(() => system.close());

  it("shows an order to the principal that created it; another principal gets the missing order's 404", async (context) => {
    const callers = principals(system);
    if (callers === undefined) {
      context.skip('a second principal needs BREAKWATER_OTHER_ACCESS_KEY_ID and _SECRET_ACCESS_KEY here');
      return;
    }
    const created = await callers.owner.post('/orders', order());
    expect(created.status).toBe(201);
    const path = `/orders/${(created.body as { orderId: string }).orderId}`;

    expect((await callers.owner.get(path)).status).toBe(200);
    const other = await callers.other.get(path);
    const missing = await callers.other.get('/orders/0b6c5d0e-1111-4222-8333-444455556666');
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(other.body).toEqual({
      ...(missing.body as object),
      orderId: (created.body as { orderId: string }).orderId,
    });
  });

  it("answers 400 with a reason for a total of 0, a total above the gateway's maximum, a non-ISO 4217 currency", async () => {
    const cases = [
      [order({ items: [{ sku: 'sku-free', quantity: 1, unitPriceCents: 0 }] }), /order total is 0/],
      [
        order({ items: [{ sku: 'sku-car', quantity: 1000, unitPriceCents: 100_000 }] }),
        /payment gateway's maximum/,
      ],
      [order({ currency: 'XYZ' }), /ISO 4217/],
    ] as const;
    for (const [body, reason] of cases) {
      const answer = await system.api.post('/orders', body);
      expect(answer.status).toBe(400);
      const { message, fields } = answer.body as { message: string; fields: { message: string }[] };
      expect(message).toBe('invalid request body');
      expect(fields[0]?.message).toMatch(reason);
    }
  });

  it("answers a wrong method with 405 and Allow, and an unknown path with API Gateway's own 404", async () => {
    const onOrders = await system.api.request('DELETE', '/orders');
    expect(onOrders.status).toBe(405);
    expect(onOrders.headers.get('allow')).toBe('POST');
    const onOrder = await system.api.request('PUT', '/orders/0b6c5d0e-1111-4222-8333-444455556666', order());
    expect(onOrder.status).toBe(405);
    expect(onOrder.headers.get('allow')).toBe('GET');

    const unknown = await system.api.get('/no-such-route');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ message: 'Not Found' });
  });
});
