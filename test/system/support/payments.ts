import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { GatewayAdminClient } from '../../../local/gateway';
import { PAYMENT_GATEWAY_CIRCUIT_ID } from '../../../shared/payment-gateway/circuit';
import type { System } from './system';

export interface Order {
  readonly orderId: string;
  readonly status: string;
}

/** Visible and in-flight messages of a queue. */
export const queueDepth = async (system: System, queueUrl: string) => {
  const { Attributes = {} } = await system.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
};

/** The breaker table's item of the payment circuit, as the source of truth holds it now. */
export const circuitItem = async (system: System) => {
  const { Item } = await system.dynamodb.send(
    new GetItemCommand({
      TableName: system.output('BreakerTableName'),
      Key: { pk: { S: PAYMENT_GATEWAY_CIRCUIT_ID } },
      ConsistentRead: true,
    }),
  );
  return {
    state: Item?.state?.S ?? 'CLOSED',
    version: Number(Item?.version?.N ?? 0),
    openUntil: Item?.openUntil?.N === undefined ? undefined : Number(Item.openUntil.N),
    reason: Item?.reason?.S ?? '',
  };
};

/** Places `count` orders and returns them. */
export const placeOrders = async (system: System, prefix: string, count: number): Promise<Order[]> => {
  const orders: Order[] = [];
  for (let i = 0; i < count; i += 1) {
    const answer = await system.api.post('/orders', {
      customerId: `${prefix}-${i}`,
      currency: 'EUR',
      items: [{ sku: `sku-${prefix}`, quantity: 1, unitPriceCents: 1000 + i }],
    });
    if (answer.status !== 201)
      throw new Error(`POST /orders answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    orders.push(answer.body as Order);
  }
  return orders;
};

/** Current status of each order. */
export const statuses = async (system: System, orders: readonly Order[]): Promise<string[]> =>
  Promise.all(
    orders.map(async (order) => ((await system.api.get(`/orders/${order.orderId}`)).body as Order).status),
  );

/** Charges the gateway took for each order (by the order id it was given as reference). */
export const chargesPerOrder = async (gateway: GatewayAdminClient, orders: readonly Order[]) => {
  const ledger = await gateway.ledger();
  return orders.map((order) => ledger.filter((entry) => entry.charge?.reference === order.orderId).length);
};

/** Gateway requests made so far, over every idempotency key. */
export const gatewayAttempts = async (gateway: GatewayAdminClient): Promise<number> =>
  (await gateway.ledger()).reduce((sum, entry) => sum + entry.attempts, 0);
