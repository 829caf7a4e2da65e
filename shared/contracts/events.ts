import { z } from 'zod';

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

const currency = z
  .string()
  .length(3)
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in upper case');
const money = z.number().int().nonnegative();

export const orderItemSchema = z.object({
  sku: z.string().min(1).max(64),
  quantity: z.number().int().positive().max(1000),
  unitPriceCents: money,
});

export const orderCreatedV1Schema = z.object({
  orderId: z.string().min(1),
  customerId: z.string().min(1),
  items: z.array(orderItemSchema).min(1),
  totalCents: money,
  currency,
});

export const paymentSucceededV1Schema = z.object({
  orderId: z.string().min(1),
  paymentId: z.string().min(1),
  amountCents: money,
  currency,
});

export const paymentFailedV1Schema = z.object({
  orderId: z.string().min(1),
  amountCents: money,
  currency,
  /** Why the payment did not go through: a decline is a business outcome, not an error. */
  reason: z.enum(['declined', 'invalid_request']),
  declineCode: z.string().optional(),
});

const breakerState = z.enum(['CLOSED', 'OPEN', 'HALF_OPEN', 'FORCED_OPEN', 'DISABLED', 'METRICS_ONLY']);

export const breakerTransitionV1Schema = z.object({
  circuitId: z.string().min(1),
  from: breakerState,
  to: breakerState,
  stateVersion: z.number().int().nonnegative(),
  reason: z.string(),
  failureRate: z.number().min(0).max(1).optional(),
  slowCallRate: z.number().min(0).max(1).optional(),
  openUntil: z.iso.datetime({ offset: true }).optional(),
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
