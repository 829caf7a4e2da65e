import { describe, expect, it } from 'vitest';
import { chargeIdempotencyKey } from '../../../../functions/billing/core';
import { billingProcessor, createBillingHandler } from '../../../../functions/billing/handler';
import { deriveEventId, type EventEnvelope } from '../../../../shared/contracts';
import { EventPublisher } from '../../../../shared/events/publisher';
import {
  type CallGuard,
  PaymentGatewayUnavailableError,
  PaymentRequestRejectedError,
} from '../../../../shared/payment-gateway';
import {
  orderCreatedEvent,
  paymentSucceededEvent,
  sqsEvent,
  sqsRecord,
  sqsRecordOf,
} from '../../../support/events';
import { FakeEventBridge } from '../../../support/fake-event-bridge';
import { FakePaymentGateway } from '../../../support/fake-payment-gateway';
import { inMemoryPersistence } from '../../../support/in-memory-idempotency-store';
import { lambdaContext } from '../../../support/lambda';
import { quietObservability } from '../../../support/observability';
import { RecordingMetrics } from '../../../support/recording-log';

const setup = (guard?: CallGuard) => {
  const gateway = new FakePaymentGateway();
  const bus = new FakeEventBridge();
  const metrics = new RecordingMetrics();
  const processor = billingProcessor(
    {
      gateway,
      publisher: new EventPublisher({
        client: bus,
        eventBusName: 'breakwater',
        sleep: async () => undefined,
      }),
      metrics,
      ...(guard === undefined ? {} : { guardFor: () => guard }),
    },
    { persistenceStore: inMemoryPersistence(), expiresAfterSeconds: 3600 },
  );
  const handler = createBillingHandler(async () => processor, quietObservability());
  const emitted = (): EventEnvelope[] => bus.accepted.map((entry) => JSON.parse(entry.Detail ?? '{}'));
  return { gateway, bus, metrics, handler, emitted };
};

describe('billing', () => {
  it('charges with a deterministic Idempotency-Key and emits payment.succeeded caused by the order event', async () => {
    const { gateway, handler, emitted, metrics } = setup();
    const order = orderCreatedEvent({ correlationId: 'corr-9' });

    expect(await handler(sqsEvent([sqsRecordOf(order)]), lambdaContext())).toEqual({ batchItemFailures: [] });

    expect(gateway.calls).toEqual([
      {
        amountCents: 2500,
        currency: 'EUR',
        reference: order.data.orderId,
        idempotencyKey: `charge:${order.data.orderId}`,
      },
    ]);
    expect(emitted()).toEqual([
      expect.objectContaining({
        id: deriveEventId('billing.payment-outcome', order.id),
        type: 'payment.succeeded',
        source: 'breakwater.billing',
        correlationId: 'corr-9',
        causationId: order.id,
        data: { orderId: order.data.orderId, paymentId: 'ch_1', amountCents: 2500, currency: 'EUR' },
      }),
    ]);
    expect(metrics.total('PaymentsSucceeded')).toBe(1);
  });

  it('emits payment.failed for a decline, and the record succeeds', async () => {
    const { gateway, handler, emitted } = setup();
    gateway.next = () => ({ status: 'declined', error: 'card_declined', declineCode: 'insufficient_funds' });
    const order = orderCreatedEvent();

    expect(await handler(sqsEvent([sqsRecordOf(order)]), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(emitted()).toEqual([
      expect.objectContaining({
        type: 'payment.failed',
        causationId: order.id,
        data: expect.objectContaining({ reason: 'declined', declineCode: 'insufficient_funds' }),
      }),
    ]);
  });

  it('fails only the record whose charge met an unavailable gateway, emitting nothing for it', async () => {
    const { gateway, handler, emitted } = setup();
    const [down, fine] = [orderCreatedEvent(), orderCreatedEvent()];
    gateway.next = (request) =>
      request.reference === down.data.orderId
        ? new PaymentGatewayUnavailableError('payment gateway answered 503', {
            reason: 'status',
            status: 503,
          })
        : 'succeed';
    const records = [sqsRecordOf(down), sqsRecordOf(fine)];

    const response = await handler(sqsEvent(records), lambdaContext());
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[0]?.messageId }]);
    expect(emitted().map((event) => (event.data as { orderId: string }).orderId)).toEqual([
      fine.data.orderId,
    ]);
  });

  it('fails malformed messages and unexpected event types alone', async () => {
    const { handler, emitted } = setup();
    const good = orderCreatedEvent();
    const records = [
      sqsRecord('not json'),
      sqsRecordOf(paymentSucceededEvent('order-x')),
      sqsRecordOf({ ...good, version: 9 } as EventEnvelope<'order.created'>),
      sqsRecordOf(good),
    ];

    const response = await handler(sqsEvent(records), lambdaContext());
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
      records.slice(0, 3).map((record) => record.messageId),
    );
    expect(emitted()).toHaveLength(1);
  });

  it('charges once for an event delivered twice (idempotent on the event id, not the message id)', async () => {
    const { gateway, handler, emitted } = setup();
    const order = orderCreatedEvent();

    await handler(sqsEvent([sqsRecordOf(order)]), lambdaContext());
    // Redriven from a DLQ: new message id, same event.
    await handler(sqsEvent([sqsRecordOf(order)]), lambdaContext());

    expect(gateway.calls).toHaveLength(1);
    expect(emitted()).toHaveLength(1);
  });

  it('after a publish failure, the retry reuses the charge (same key) and re-emits the same event id', async () => {
    const { gateway, bus, handler, emitted } = setup();
    const order = orderCreatedEvent();
    bus.callFailure = (call) => (call <= 4 ? new Error('EventBridge unavailable') : undefined);

    const first = await handler(sqsEvent([sqsRecordOf(order)]), lambdaContext());
    expect(first.batchItemFailures).toHaveLength(1);

    const retry = await handler(sqsEvent([sqsRecordOf(order)]), lambdaContext());
    expect(retry).toEqual({ batchItemFailures: [] });
    expect(gateway.calls.map((call) => call.idempotencyKey)).toEqual([
      chargeIdempotencyKey(order.data.orderId),
      chargeIdempotencyKey(order.data.orderId),
    ]);
    expect(gateway.ledger.size).toBe(1);
    expect(emitted().map((event) => event.id)).toEqual([deriveEventId('billing.payment-outcome', order.id)]);
  });

  it('emits payment.failed (invalid_request) for a request the gateway refuses, but fails the record on a credentials problem', async () => {
    const { gateway, handler, emitted } = setup();
    const [invalid, unauthorized] = [orderCreatedEvent(), orderCreatedEvent()];
    gateway.next = (request) =>
      new PaymentRequestRejectedError('rejected', {
        status: request.reference === invalid.data.orderId ? 422 : 401,
      });
    const records = [sqsRecordOf(invalid), sqsRecordOf(unauthorized)];

    const response = await handler(sqsEvent(records), lambdaContext());
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[1]?.messageId }]);
    expect(emitted()).toEqual([
      expect.objectContaining({
        type: 'payment.failed',
        data: expect.objectContaining({ reason: 'invalid_request' }),
      }),
    ]);
  });

  it('runs every gateway call through the guard (the circuit-breaker seam)', async () => {
    const guarded: string[] = [];
    const refusing: CallGuard = async () => {
      guarded.push('refused');
      throw new PaymentGatewayUnavailableError('circuit open', { reason: 'status' });
    };
    const { gateway, handler } = setup(refusing);
    const record = sqsRecordOf(orderCreatedEvent());

    const response = await handler(sqsEvent([record]), lambdaContext());
    expect(guarded).toEqual(['refused']);
    expect(gateway.calls).toEqual([]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
  });
});
