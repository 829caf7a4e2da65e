import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToSystem, eventually, type System } from './support/system';

interface Order {
  orderId: string;
  status: string;
  totalCents: number;
  paymentId?: string;
}

const validOrder = (customerId: string) => ({
  customerId,
  currency: 'EUR',
  items: [
    { sku: 'sku-espresso', quantity: 2, unitPriceCents: 1250 },
    { sku: 'sku-filter', quantity: 1, unitPriceCents: 900 },
  ],
});

describe('an order, from the API to every consumer', () => {
  let system: System;
  beforeAll(() => {
    system = connectToSystem();
  });
  afterAll(() => system.close());

  /** Items in the orders table, read consistently (a Scan that counts, paginated). */
  const orderCount = async (): Promise<number> => {
    let count = 0;
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await system.dynamodb.send(
        new ScanCommand({
          TableName: system.output('OrdersTableName'),
          Select: 'COUNT',
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return count;
  };

  it('is created, charged once, marked paid, and the second read is a cache hit', async () => {
    const created = await system.api.post('/orders', validOrder('customer-happy'), {
      'x-correlation-id': 'flow-1',
    });
    expect(created.status).toBe(201);
    const order = created.body as Order;
    expect(order.status).toBe('PENDING_PAYMENT');
    expect(order.totalCents).toBe(3400);
    expect(created.headers.get('location')).toBe(`/orders/${order.orderId}`);

    const paid = await eventually('the order to be paid', async () => {
      const read = await system.api.get(`/orders/${order.orderId}`);
      return (read.body as Order).status === 'PAID' ? read : undefined;
    });
    expect((paid.body as Order).paymentId).toMatch(/^ch_/);

    const again = await system.api.get(`/orders/${order.orderId}`);
    expect(again.status).toBe(200);
    expect(again.headers.get('x-cache')).toBe('hit');
    expect((again.body as Order).status).toBe('PAID');

    if (system.gateway !== undefined) {
      const charges = (await system.gateway.ledger()).filter(
        (entry) => entry.charge?.reference === order.orderId,
      );
      expect(charges).toHaveLength(1);
      expect(charges[0]?.charge?.amountCents).toBe(3400);
    }
  });

  it('delivers an order whose text has characters outside the Basic Multilingual Plane (emoji) to its consumers', async () => {
    // SQS accepts #x10000–#x10FFFF; an engine that refused them lost such orders between EventBridge and the queues.
    const order = {
      ...validOrder('customer-🎉-party'),
      items: [{ sku: 'sku-☕-🍩', quantity: 1, unitPriceCents: 700 }],
    };
    const created = await system.api.post('/orders', order, { 'x-correlation-id': 'flow-emoji' });
    expect(created.status).toBe(201);
    const { orderId } = created.body as Order;
    const paid = await eventually(
      'the emoji order to be paid (billing received it from its queue)',
      async () => {
        const read = await system.api.get(`/orders/${orderId}`);
        return (read.body as Order).status === 'PAID' ? read : undefined;
      },
    );
    expect((paid.body as Order).totalCents).toBe(700);
  });

  it('creates one order for a retried POST that carries the same Idempotency-Key', async () => {
    const key = `retry-${Date.now()}`;
    const first = await system.api.post('/orders', validOrder('customer-retry'), { 'idempotency-key': key });
    const second = await system.api.post('/orders', validOrder('customer-retry'), { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // The second answer is the first one replayed from the idempotency record, and says so.
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((second.body as Order).orderId).toBe((first.body as Order).orderId);
  });

  it('answers 400 with the failing fields for an invalid body, and creates nothing', async () => {
    const before = await orderCount();
    const answer = await system.api.post('/orders', { customerId: '', currency: 'euro', items: [] });
    expect(answer.status).toBe(400);
    const body = JSON.stringify(answer.body);
    for (const field of ['customerId', 'currency', 'items']) expect(body).toContain(field);
    // The files of this project run one at a time and only a POST creates orders: the count is this test's own.
    expect(await orderCount()).toBe(before);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const answer = await system.api.post('/orders', '{"customerId": ');
    expect(answer.status).toBe(400);
  });

  it('answers 404 for an order that does not exist and for an unknown route', async () => {
    expect((await system.api.get('/orders/no-such-order')).status).toBe(404);
    expect((await system.api.get('/no-such-route')).status).toBe(404);
  });
});
