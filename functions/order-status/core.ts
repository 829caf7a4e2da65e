import { type EventOfType, EventTypes } from '../../shared/contracts';
import { ContractError } from '../../shared/errors';
import {
  describeError,
  type Log,
  type MetricsRecorder,
  MetricUnit,
} from '../../shared/middleware/observability';
import {
  type OrderCache,
  type OrderRepository,
  OrderStatus,
  type OrderStatusValue,
  type StatusChange,
} from '../../shared/orders';

/** The events this consumer applies. */
export const paymentEventTypes = [EventTypes.paymentSucceeded, EventTypes.paymentFailed] as const;
/** A payment outcome event, with its typed data. */
export type PaymentEvent = EventOfType<(typeof paymentEventTypes)[number]>;

/** A payment event for an order that does not exist: retrying cannot help, so it is dead-lettered. */
export class OrderNotFoundError extends ContractError {
  public constructor(orderId: string) {
    super(`order '${orderId}' does not exist`);
    this.name = 'OrderNotFoundError';
  }
}

/** What applying a payment event did (stored by idempotency, returned for repeats). */
export type StatusOutcome =
  | { readonly outcome: 'applied'; readonly status: OrderStatusValue; readonly statusVersion: number }
  | { readonly outcome: 'duplicate' | 'ignored'; readonly status: OrderStatusValue };

/** What the order-status use-case needs. */
export interface OrderStatusDependencies {
  readonly orders: OrderRepository;
  readonly cache: OrderCache;
  readonly metrics: MetricsRecorder;
  /** Default: the system clock. */
  readonly now?: () => Date;
}

/** The status change a payment event asks for. Pure. */
export const statusChangeFor = (event: PaymentEvent, at: Date): StatusChange =>
  event.type === EventTypes.paymentSucceeded
    ? {
        orderId: event.data.orderId,
        to: OrderStatus.paid,
        paymentId: event.data.paymentId,
        eventId: event.id,
        at,
      }
    : { orderId: event.data.orderId, to: OrderStatus.paymentFailed, eventId: event.id, at };

/**
 * Applies a payment event to its order with a conditional update that only leaves `PENDING_PAYMENT`: `PAID` and
 * `PAYMENT_FAILED` are final. A repeat of the same outcome is a duplicate, a different outcome arriving late is
 * ignored (logged); neither is an error. After a change the cached order is invalidated; if Redis is unreachable
 * that is logged and the cache TTL bounds the staleness.
 */
export const applyPaymentEvent = async (
  event: PaymentEvent,
  { orders, cache, metrics, now = () => new Date() }: OrderStatusDependencies,
  log: Log,
): Promise<StatusOutcome> => {
  const change = statusChangeFor(event, now());
  const result = await orders.changeStatus(change);
  if (result.outcome === 'not-found') throw new OrderNotFoundError(change.orderId);

  let outcome: StatusOutcome;
  if (result.outcome === 'applied') {
    outcome = { outcome: 'applied', status: result.order.status, statusVersion: result.order.statusVersion };
    metrics.addMetric('OrderStatusChanged', MetricUnit.Count, 1);
    log.info('order status changed', { orderId: change.orderId, status: change.to });
  } else if (result.currentStatus === change.to) {
    outcome = { outcome: 'duplicate', status: result.currentStatus };
    log.info('order already in this status; nothing to do', { orderId: change.orderId, status: change.to });
  } else {
    outcome = { outcome: 'ignored', status: result.currentStatus };
    metrics.addMetric('OrderStatusEventsIgnored', MetricUnit.Count, 1);
    log.warn('payment event ignored: the order already has a final status', {
      orderId: change.orderId,
      currentStatus: result.currentStatus,
      requestedStatus: change.to,
    });
  }
  // Also on a duplicate: the first delivery may have changed the status but failed to invalidate.
  if (outcome.outcome !== 'ignored') await invalidate(cache, change.orderId, log);
  return outcome;
};

const invalidate = async (cache: OrderCache, orderId: string, log: Log): Promise<void> => {
  try {
    await cache.invalidate(orderId);
  } catch (error) {
    log.warn('could not invalidate the cached order; its TTL bounds the staleness', {
      orderId,
      ...describeError(error),
    });
  }
};
