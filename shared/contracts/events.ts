import { currencySchema } from './currencies';
import * as z from './zod';

/** Event sources, one per producing service. They are the EventBridge `source` field. */
export const EventSources = {
  orders: 'breakwater.orders',
  billing: 'breakwater.billing',
  circuitBreaker: 'breakwater.circuit-breaker',
} as const;

/** Event types. They are the EventBridge `detail-type` field. */
export const EventTypes = {
  orderCreated: 'order.created',
  paymentSucceeded: 'payment.succeeded',
  paymentFailed: 'payment.failed',
  breakerOpened: 'breaker.opened',
  breakerHalfOpened: 'breaker.half_opened',
  breakerClosed: 'breaker.closed',
} as const;

export type EventType = (typeof EventTypes)[keyof typeof EventTypes];

const currency = currencySchema;
const money = z.int().check(z.nonnegative());
const nonEmpty = () => z.string().check(z.minLength(1));

export const orderItemSchema = z.object({
  sku: z.string().check(z.minLength(1), z.maxLength(64)),
  quantity: z.int().check(z.positive(), z.maximum(1000)),
  unitPriceCents: money,
});

export const orderCreatedV1Schema = z.object({
  orderId: nonEmpty(),
  customerId: nonEmpty(),
  items: z.array(orderItemSchema).check(z.minLength(1)),
  totalCents: money,
  currency,
});

export const paymentSucceededV1Schema = z.object({
  orderId: nonEmpty(),
  paymentId: nonEmpty(),
  amountCents: money,
  currency,
});

export const paymentFailedV1Schema = z.object({
  orderId: nonEmpty(),
  amountCents: money,
  currency,
  /** Why the payment did not go through: a decline is a business outcome, not an error. */
  reason: z.enum(['declined', 'invalid_request']),
  declineCode: z.optional(z.string()),
});

const breakerState = z.enum(['CLOSED', 'OPEN', 'HALF_OPEN', 'FORCED_OPEN', 'DISABLED', 'METRICS_ONLY']);

export const breakerTransitionV1Schema = z.object({
  circuitId: nonEmpty(),
  from: breakerState,
  to: breakerState,
  stateVersion: z.int().check(z.nonnegative()),
  reason: z.string(),
  failureRate: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  slowCallRate: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  openUntil: z.optional(z.iso.datetime({ offset: true })),
});

/**
 * Every event type and version the system knows, with its data schema. A consumer rejects anything not listed
 * here with a clear reason (see `parseEvent`).
 */
export const eventCatalog = {
  [EventTypes.orderCreated]: { source: EventSources.orders, versions: { 1: orderCreatedV1Schema } },
  [EventTypes.paymentSucceeded]: { source: EventSources.billing, versions: { 1: paymentSucceededV1Schema } },
  [EventTypes.paymentFailed]: { source: EventSources.billing, versions: { 1: paymentFailedV1Schema } },
  [EventTypes.breakerOpened]: {
    source: EventSources.circuitBreaker,
    versions: { 1: breakerTransitionV1Schema },
  },
  [EventTypes.breakerHalfOpened]: {
    source: EventSources.circuitBreaker,
    versions: { 1: breakerTransitionV1Schema },
  },
  [EventTypes.breakerClosed]: {
    source: EventSources.circuitBreaker,
    versions: { 1: breakerTransitionV1Schema },
  },
} as const;

export type OrderItem = z.infer<typeof orderItemSchema>;
export type OrderCreatedV1 = z.infer<typeof orderCreatedV1Schema>;
export type PaymentSucceededV1 = z.infer<typeof paymentSucceededV1Schema>;
export type PaymentFailedV1 = z.infer<typeof paymentFailedV1Schema>;
export type BreakerTransitionV1 = z.infer<typeof breakerTransitionV1Schema>;

/** Maps each event type to the data of its current version. */
export interface EventDataByType {
  'order.created': OrderCreatedV1;
  'payment.succeeded': PaymentSucceededV1;
  'payment.failed': PaymentFailedV1;
  'breaker.opened': BreakerTransitionV1;
  'breaker.half_opened': BreakerTransitionV1;
  'breaker.closed': BreakerTransitionV1;
}
