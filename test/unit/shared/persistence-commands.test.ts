import { describe, expect, it } from 'vitest';
import {
  buildCreateOrderTransaction,
  buildStatusChangeUpdate,
  canTransition,
  type Order,
  OrderStatus,
} from '../../../shared/orders';
import { buildOutboxDelete, parseOutboxImage, toOutboxItem } from '../../../shared/outbox';
import { orderCreatedEvent } from '../../support/events';

const order: Order = {
  orderId: 'o-1',
  customerId: 'c-1',
  items: [{ sku: 'S', quantity: 1, unitPriceCents: 100 }],
  totalCents: 100,
  currency: 'EUR',
  status: OrderStatus.pendingPayment,
  createdAt: '2026-11-27T10:00:00.000Z',
  updatedAt: '2026-11-27T10:00:00.000Z',
  statusVersion: 0,
};

describe('order lifecycle', () => {
  it('allows only PENDING_PAYMENT → PAID | PAYMENT_FAILED', () => {
    expect(canTransition('PENDING_PAYMENT', 'PAID')).toBe(true);
    expect(canTransition('PENDING_PAYMENT', 'PAYMENT_FAILED')).toBe(true);
    expect(canTransition('PAID', 'PAYMENT_FAILED')).toBe(false);
    expect(canTransition('PAYMENT_FAILED', 'PAID')).toBe(false);
    expect(canTransition('PAID', 'PENDING_PAYMENT')).toBe(false);
  });
});

describe('DynamoDB commands', () => {
  it('writes the order and its outbox item in one transaction, each only if new', () => {
    const event = orderCreatedEvent();
    const input = buildCreateOrderTransaction(order, event, {
      ordersTableName: 'orders',
      outboxTableName: 'outbox',
    });

    expect(input.TransactItems).toEqual([
      {
        Put: {
          TableName: 'orders',
          Item: { pk: 'o-1', ...order },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: 'outbox',
          Item: { pk: event.id, event: JSON.stringify(event), createdAt: event.occurredAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
  });

  it('changes a status only from PENDING_PAYMENT, bumping the version, and returns the old item on refusal', () => {
    const input = buildStatusChangeUpdate(
      { orderId: 'o-1', to: 'PAID', paymentId: 'ch_1', eventId: 'e-1', at: new Date('2026-11-27T11:00:00Z') },
      'orders',
    );
    expect(input).toMatchObject({
      Key: { pk: 'o-1' },
      ConditionExpression: 'attribute_exists(pk) AND #status = :from',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      ExpressionAttributeValues: {
        ':from': 'PENDING_PAYMENT',
        ':to': 'PAID',
        ':paymentId': 'ch_1',
        ':one': 1,
      },
    });
    expect(input.UpdateExpression).toContain('ADD statusVersion :one');
    expect(input.UpdateExpression).toContain('paymentId = :paymentId');

    const failed = buildStatusChangeUpdate(
      { orderId: 'o-1', to: 'PAYMENT_FAILED', eventId: 'e-2', at: new Date() },
      'orders',
    );
    expect(failed.UpdateExpression).not.toContain('paymentId');
    expect(failed.ExpressionAttributeValues).not.toHaveProperty(':paymentId');
  });

  it('deletes an outbox item only if it exists', () => {
    expect(buildOutboxDelete('e-1', 'outbox')).toEqual({
      TableName: 'outbox',
      Key: { pk: 'e-1' },
      ConditionExpression: 'attribute_exists(pk)',
    });
  });

  it('reads an outbox stream image back into the event', () => {
    const event = orderCreatedEvent();
    const item = toOutboxItem(event);
    expect(parseOutboxImage({ pk: { S: item.pk }, event: { S: item.event } })).toEqual(event);
    expect(() => parseOutboxImage(undefined)).toThrow(/no string pk/);
  });
});
