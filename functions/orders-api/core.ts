import { createHash, randomUUID } from 'node:crypto';
import { createEvent, currencySchema, EventTypes, orderItemSchema } from '../../shared/contracts';
import * as z from '../../shared/contracts/zod';
import { ContractError } from '../../shared/errors';
import { describeError, type Log } from '../../shared/middleware/observability';
import {
  computeTotalCents,
  type Order,
  OrderAlreadyExistsError,
  type OrderCache,
  type OrderRepository,
  OrderStatus,
} from '../../shared/orders';
import { isRedisSkipped } from '../../shared/redis/breaker';

/** The body of `POST /orders`. Unknown fields are dropped. */
export const createOrderRequestSchema = z.object({
  customerId: z.string().check(z.trim(), z.minLength(1), z.maxLength(128)),
  items: z.array(orderItemSchema).check(z.minLength(1), z.maxLength(100)),
  currency: currencySchema,
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

/** What an order may cost: what the payment gateway can charge. */
export interface OrderLimits {
  /** The payment gateway's largest charge, in minor units (`PAYMENT_GATEWAY_MAX_AMOUNT_CENTS`). */
  readonly maxTotalCents: number;
}

/**
 * Validates the body of `POST /orders`; throws `RequestValidationError` listing every failing field, and for a body
 * whose fields are valid, a total the gateway could never charge: 0, or above its maximum. Such an order would
 * otherwise be accepted here and fail as PAYMENT_FAILED later.
 */
export const parseCreateOrderRequest = (body: unknown, limits: OrderLimits): CreateOrderRequest => {
  const parsed = createOrderRequestSchema.safeParse(body);
  if (!parsed.success) {
    throw new RequestValidationError(
      parsed.error.issues.map((issue) => ({
        path: issue.path.length > 0 ? issue.path.join('.') : '(body)',
        message: issue.message,
      })),
    );
  }
  const total = computeTotalCents(parsed.data.items);
  if (total < 1) {
    throw new RequestValidationError([
      { path: 'items', message: 'the order total is 0; an order must cost at least 1 minor unit' },
    ]);
  }
  if (total > limits.maxTotalCents) {
    throw new RequestValidationError([
      {
        path: 'items',
        message: `the order total ${total} is above the payment gateway's maximum of ${limits.maxTotalCents} minor units`,
      },
    ]);
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
  /** The caller's principal (see `principalOf`): the only one, with the reader, that may read the order. */
  readonly ownerPrincipal: string;
  /**
   * The order's id when the caller fixes it (an idempotent create, see `idempotentOrderId`): a re-run finds its
   * order written and returns it. Default: a new id.
   */
  readonly orderId?: string;
}

/**
 * The order id of an idempotent create: derived from the caller, the customer and the `Idempotency-Key`, so every
 * run of one request writes the same order. A run that crashed after writing it (its idempotency record left in
 * progress, then expired) is re-run by the retry, which finds the order instead of creating a second one. Shaped as
 * a UUID (version 8, RFC 9562's custom layout) like every other order id.
 */
export const idempotentOrderId = (
  ownerPrincipal: string,
  customerId: string,
  idempotencyKey: string,
): string => {
  const hash = createHash('sha256')
    .update(JSON.stringify(['orders-api.create-order', ownerPrincipal, customerId, idempotencyKey]))
    .digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x80;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** Whether a stored order is the one this request creates (same owner, customer, currency and items). */
const isSameOrder = (order: Order, request: CreateOrderRequest, ownerPrincipal: string): boolean =>
  order.ownerPrincipal === ownerPrincipal &&
  order.customerId === request.customerId &&
  order.currency === request.currency &&
  order.items.length === request.items.length &&
  order.items.every((item, index) => {
    const asked = request.items[index];
    return (
      asked !== undefined &&
      item.sku === asked.sku &&
      item.quantity === asked.quantity &&
      item.unitPriceCents === asked.unitPriceCents
    );
  });

/**
 * Creates an order in `PENDING_PAYMENT`, owned by the caller, and, in the same transaction, the outbox item holding
 * its `order.created` event (the correlation id of the request travels with it). Returns the stored order.
 */
export const createOrder = async (
  { request, correlationId, ownerPrincipal, orderId }: CreateOrderInput,
  { orders, log, now = () => new Date(), newId = randomUUID }: OrdersDependencies,
): Promise<Order> => {
  const at = now().toISOString();
  const order: Order = {
    orderId: orderId ?? newId(),
    customerId: request.customerId,
    items: request.items,
    totalCents: computeTotalCents(request.items),
    currency: request.currency,
    status: OrderStatus.pendingPayment,
    createdAt: at,
    updatedAt: at,
    statusVersion: 0,
    ownerPrincipal,
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
  try {
    await orders.create(order, event);
  } catch (error) {
    if (!(error instanceof OrderAlreadyExistsError) || orderId === undefined) throw error;
    // A re-run of a create whose first run wrote the order (and its event) but never answered: the same order.
    const existing = await orders.get(orderId);
    if (existing !== undefined && isSameOrder(existing, request, ownerPrincipal)) return existing;
    throw error;
  }
  // The first step of an order's path through the logs (the status page traces it by this order id).
  log.info('order created', { orderId: order.orderId, eventId: event.id, totalCents: order.totalCents });
  return order;
};

/** An order as the API shows it: everything but who owns it (access decides that; the answer need not say it). */
export type OrderView = Omit<Order, 'ownerPrincipal'>;

/** The API's view of an order. */
export const toOrderView = ({ ownerPrincipal: _owner, ...view }: Order): OrderView => view;

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
