import {
  createEvent,
  deriveEventId,
  type EventEnvelope,
  EventTypes,
  type OrderCreatedV1,
} from '../../shared/contracts';
import type { EventPublisher } from '../../shared/events/publisher';
import { type Log, type MetricsRecorder, MetricUnit } from '../../shared/middleware/observability';
import {
  type CallGuard,
  type ChargeResult,
  type PaymentGateway,
  PaymentRequestRejectedError,
  passThrough,
} from '../../shared/payment-gateway';

/** The gateway idempotency key of an order's charge: deterministic, so a retried charge can never charge twice. */
export const chargeIdempotencyKey = (orderId: string): string => `charge:${orderId}`;

/** Metric names of billing. */
export const BillingMetrics = {
  paymentsSucceeded: 'PaymentsSucceeded',
  paymentsDeclined: 'PaymentsDeclined',
  paymentsInvalid: 'PaymentsInvalid',
} as const;

/** What billing needs. */
export interface BillingDependencies {
  readonly gateway: PaymentGateway;
  readonly publisher: Pick<EventPublisher, 'publish'>;
  readonly metrics: MetricsRecorder;
  /**
   * THE seam of the circuit breaker: every gateway call runs inside it and gets its AbortSignal. Default
   * `passThrough`. A guard that refuses a call throws (`CircuitOpenError`): nothing is charged, the record fails, and
   * the handler's queue-aware fallback delays its return until the circuit can admit a call.
   */
  readonly guard?: CallGuard;
}

/** What billing did with an order (stored by idempotency, returned for repeats). */
export type BillingOutcome =
  | { readonly outcome: 'succeeded'; readonly paymentId: string; readonly emittedEventId: string }
  | {
      readonly outcome: 'failed';
      readonly reason: 'declined' | 'invalid_request';
      readonly emittedEventId: string;
    };

type Decision =
  | { readonly kind: 'charged'; readonly result: ChargeResult }
  | { readonly kind: 'invalid'; readonly error: PaymentRequestRejectedError };

/**
 * Charges an order and emits the outcome: `payment.succeeded`, or `payment.failed` for a decline (a business
 * outcome, so the record succeeds) or a request the gateway can never accept. Throws, failing the record, when the
 * gateway is unavailable or the event cannot be published (retried later), or when it refuses our credentials or
 * the gateway secret is unusable (not retryable: the record goes to the DLQ at once, with the reason).
 *
 * The emitted event's id derives from the order event's id: a retry after a publish failure re-emits the same event,
 * which consumers drop as a duplicate. Its causation id is the order event's id; the correlation id carries on.
 */
export const billOrder = async (
  event: EventEnvelope<typeof EventTypes.orderCreated, OrderCreatedV1>,
  { gateway, publisher, metrics, guard = passThrough }: BillingDependencies,
  log: Log,
): Promise<BillingOutcome> => {
  const { orderId, totalCents, currency } = event.data;
  const decision = await charge(gateway, guard, {
    amountCents: totalCents,
    currency,
    reference: orderId,
    idempotencyKey: chargeIdempotencyKey(orderId),
  });
  const common = {
    id: deriveEventId('billing.payment-outcome', event.id),
    correlationId: event.correlationId,
    causationId: event.id,
  };
  if (decision.kind === 'charged' && decision.result.status === 'succeeded') {
    const { chargeId, replayed } = decision.result;
    const emitted = createEvent({
      ...common,
      type: EventTypes.paymentSucceeded,
      data: { orderId, paymentId: chargeId, amountCents: totalCents, currency },
    });
    await publisher.publish([emitted]);
    metrics.addMetric(BillingMetrics.paymentsSucceeded, MetricUnit.Count, 1);
    log.info('payment succeeded', { orderId, paymentId: chargeId, replayedByGateway: replayed });
    return { outcome: 'succeeded', paymentId: chargeId, emittedEventId: emitted.id };
  }
  const failure =
    decision.kind === 'charged' && decision.result.status === 'declined'
      ? { reason: 'declined' as const, declineCode: decision.result.declineCode }
      : { reason: 'invalid_request' as const, declineCode: undefined };
  const emitted = createEvent({
    ...common,
    type: EventTypes.paymentFailed,
    data: {
      orderId,
      amountCents: totalCents,
      currency,
      reason: failure.reason,
      ...(failure.declineCode === undefined ? {} : { declineCode: failure.declineCode }),
    },
  });
  await publisher.publish([emitted]);
  metrics.addMetric(
    failure.reason === 'declined' ? BillingMetrics.paymentsDeclined : BillingMetrics.paymentsInvalid,
    MetricUnit.Count,
    1,
  );
  log.info('payment failed', {
    orderId,
    reason: failure.reason,
    declineCode: failure.declineCode,
    ...(decision.kind === 'invalid' ? { gatewayStatus: decision.error.status } : {}),
  });
  return { outcome: 'failed', reason: failure.reason, emittedEventId: emitted.id };
};

const charge = async (
  gateway: PaymentGateway,
  guard: CallGuard,
  request: Parameters<PaymentGateway['charge']>[0],
): Promise<Decision> => {
  try {
    return { kind: 'charged', result: await guard(({ signal }) => gateway.charge(request, { signal })) };
  } catch (error) {
    // A request the gateway will never accept fails the payment; wrong credentials are ours to fix, not the
    // customer's, so they fail the record instead (dead-lettered at once, for a replay after the fix).
    if (error instanceof PaymentRequestRejectedError && !error.isAuthorizationFailure) {
      return { kind: 'invalid', error };
    }
    throw error;
  }
};
