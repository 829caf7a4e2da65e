import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RedisAdminClient } from '../../packages/local-cloud/src/upstash';
import { type Order, placeOrders, queueDepth } from './support/payments';
import { connectToSystem, drainQueue, eventually, type System } from './support/system';

/** Completed notification records in the idempotency table (one per event a notification was sent for). */
const sentNotifications = async (system: System): Promise<number> => {
  let count = 0;
  let start: Record<string, never> | undefined;
  do {
    const page = await system.dynamodb.send(
      new ScanCommand({
        TableName: system.output('IdempotencyTableName'),
        FilterExpression: 'begins_with(#id, :prefix) AND #status = :completed',
        ExpressionAttributeNames: { '#id': 'id', '#status': 'status' },
        ExpressionAttributeValues: {
          ':prefix': { S: 'notifications.send#' },
          ':completed': { S: 'COMPLETED' },
        },
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start !== undefined);
  return count;
};

/** An order's status in the orders table (the source of truth), read without the API and its cache. */
const storedStatus = async (system: System, orderId: string): Promise<string | undefined> => {
  const { Item } = await system.dynamodb.send(
    new GetItemCommand({
      TableName: system.output('OrdersTableName'),
      Key: { pk: { S: orderId } },
      ConsistentRead: true,
    }),
  );
  return Item?.status?.S;
};

// Redis is a cache, never a single point of failure. Stopping it needs the local Redis endpoint's admin API.
describe.runIf(!process.env.BREAKWATER_TARGET || process.env.BREAKWATER_TARGET === 'local')(
  'a Redis outage',
  () => {
    let system: System;
    let redis: RedisAdminClient;
    let orders: Order[] = [];

    beforeAll(() => {
      system = connectToSystem();
      if (system.redis === undefined) throw new Error('these tests need the local Redis admin API');
      redis = system.redis;
    });
    afterEach(async () => {
      // Redis comes back (empty) for the next test file, and the orders API caches again: its Redis circuit (which
      // this test leaves closed: one failed read is below its minimum of calls) serves the second read as a hit.
      await redis.start();
      const [order] = orders;
      if (order === undefined) return;
      await eventually('GET /orders/{id} served from the cache again', async () => {
        const read = await system.api.get(`/orders/${order.orderId}`);
        return read.headers.get('x-cache') === 'hit' ? true : undefined;
      });
    });
    afterAll(() => system?.close());

    it('with redis-server stopped, orders are paid, read back, and notified once each, with nothing dead-lettered', async () => {
      const dlqUrl = system.output('NotificationsDlqUrl');
      await drainQueue(system, dlqUrl);
      const sentBefore = await sentNotifications(system);

      await redis.stop();
      expect(await redis.status()).toEqual({ running: false });
      orders = await placeOrders(system, 'redis-down', 2);

      await eventually(
        'every order paid',
        async () => {
          const stored = await Promise.all(orders.map((order) => storedStatus(system, order.orderId)));
          return stored.every((status) => status === 'PAID') ? true : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      // The API answers from the table while Redis is down.
      const read = await system.api.get(`/orders/${orders[0]?.orderId}`);
      expect(read.status).toBe(200);
      expect((read.body as Order).status).toBe('PAID');
      expect(read.headers.get('x-cache')).toBe('miss');

      // order.created and payment.succeeded of each order: four notifications, each sent once.
      await eventually(
        'four notifications sent',
        async () => ((await sentNotifications(system)) - sentBefore >= 4 ? true : undefined),
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      await eventually('the notifications queue to drain', async () => {
        const depth = await queueDepth(system, system.output('NotificationsQueueUrl'));
        return depth.visible + depth.inFlight === 0 ? true : undefined;
      });
      expect((await sentNotifications(system)) - sentBefore).toBe(4);
      expect(await queueDepth(system, dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
    });
  },
);
