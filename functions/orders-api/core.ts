import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createEvent, EventTypes, orderItemSchema } from '../../shared/contracts';
import { ContractError } from '../../shared/errors';
import { describeError, type Log } from '../../shared/middleware/observability';
import {
  computeTotalCents,
  type Order,
  type OrderCache,
  type OrderRepository,
  OrderStatus,
} from '../../shared/orders';
import { isRedisSkipped } from '../../shared/redis/breaker';

/** The body of `POST /orders`. Unknown fields are dropped. */
export const createOrderRequestSchema = z.object({
  customerId: z.string().trim().min(1).max(128),
  items: z.array(orderItemSchema).min(1).max(100),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in upper case'),
});

/** A validated `POST /orders` body. */
export type CreateOrderRequest = z.infer<typeof createOrderRequestSchema>;

/** One failing field of a request: `path` is dotted (`items.0.quantity`). */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** A request that fails its schema; `fields` says which fields and why. */
export class RequestValidationError extends ContractError {
  public readonly fields: readonly FieldIssue[];

  public constructor(fields: readonly FieldIssue[]) {
    super(
      'invalid request body',
      fields.map((field) => `${field.path}: ${field.message}`),
    );
    this.name = 'RequestValidationError';
    this.fields = fields;
  }
}

/** Validates the body of `POST /orders`; throws `RequestValidationError` listing every failing field. */
export const parseCreateOrderRequest = (body: unknown): CreateOrderRequest => {
  const parsed = createOrderRequestSchema.safeParse(body);
  if (!parsed.success) {
    throw new RequestValidationError(
      parsed.error.issues.map((issue) => ({
        path: issue.path.length > 0 ? issue.path.join('.') : '(body)',
        message: issue.message,
      })),
    );
  }
  return parsed.data;
};

/** What the orders use-cases need. */
export interface OrdersDependencies {
  readonly orders: OrderRepository;
  readonly cache: OrderCache;
  readonly log: Log;
  /** Default: the system clock. */
  readonly now?: () => Date;
  /** Default: random UUIDs. */
  readonly newId?: () => string;
}

/** The input of `createOrder`. */
export interface CreateOrderInput {
  readonly request: CreateOrderRequest;
  readonly correlationId: string;
}

/**
 * Creates an order in `PENDING_PAYMENT` and, in the same transaction, the outbox item holding its `order.created`
 * event (the correlation id of the request travels with it). Returns the stored order.
 */
export const createOrder = async (
  { request, correlationId }: CreateOrderInput,
  { orders, now = () => new Date(), newId = randomUUID }: OrdersDependencies,
): Promise<Order> => {
  const at = now().toISOString();
  const order: Order = {
    orderId: newId(),
    customerId: request.customerId,
    items: request.items,
    totalCents: computeTotalCents(request.items),
    currency: request.currency,
    status: OrderStatus.pendingPayment,
    createdAt: at,
    updatedAt: at,
    statusVersion: 0,
  };
  const event = createEvent({
    type: EventTypes.orderCreated,
    correlationId,
    occurredAt: new Date(at),
    data: {
      orderId: order.orderId,
      customerId: order.customerId,
      items: order.items,
      totalCents: order.totalCents,
      currency: order.currency,
    },
  });
  await orders.create(order, event);
  return order;
};

/** An order read, and where it came from. */
export interface OrderLookup {
  readonly order: Order;
  readonly cache: 'hit' | 'miss';
}

/**
 * Reads an order through the cache: a hit is served from Redis; a miss (or an unreachable Redis) reads the table,
 * the source of truth, and refills the cache. Redis failures are logged, never surfaced; while Redis is down its
 * circuit is open and the cache is skipped at once (logged at debug: the opening itself was logged).
 *
 * A refill can race a status change (read old, invalidate, write old): the cache TTL bounds that staleness.
 */
export const getOrder = async (
  orderId: string,
  { orders, cache, log }: OrdersDependencies,
): Promise<OrderLookup | undefined> => {
  let cacheReachable = true;
  try {
    const cached = await cache.get(orderId);
    if (cached !== undefined) return { order: cached, cache: 'hit' };
  } catch (error) {
    cacheReachable = false;
    if (isRedisSkipped(error))
      log.debug('order cache skipped (its circuit is open); reading the table', { orderId });
    else log.warn('order cache unavailable; reading from the table', { orderId, ...describeError(error) });
  }
  const order = await orders.get(orderId);
  if (order === undefined) return undefined;
  if (cacheReachable) {
    try {
      await cache.put(order);
    } catch (error) {
      log.warn('could not refill the order cache', { orderId, ...describeError(error) });
    }
  }
  return { order, cache: 'miss' };
};
