import type { RedisCommands } from '../redis/client';
import { type Order, orderSchema } from './order';

/** Default seconds an order stays cached (`EnvNames.orderCacheTtlSeconds`). */
export const DEFAULT_ORDER_CACHE_TTL_SECONDS = 60;

/** The Redis key of a cached order. */
export const orderCacheKey = (orderId: string): string => `order:${orderId}`;

/**
 * The read-through cache of orders, as use-cases see it. Its methods throw when the cache is unreachable: callers
 * decide that this is not fatal (the table is the source of truth).
 */
export interface OrderCache {
  /** The cached order, or `undefined` on a miss (an unreadable entry counts as a miss). */
  get(orderId: string): Promise<Order | undefined>;
  put(order: Order): Promise<void>;
  invalidate(orderId: string): Promise<void>;
}

/** `OrderCache` over Redis: JSON values under `order:<id>` with a TTL that bounds any staleness. */
export class RedisOrderCache implements OrderCache {
  readonly #redis: () => Promise<RedisCommands>;
  readonly #ttlSeconds: number;

  /** `redis` is resolved on each call, so a client that could not be built yet fails the call, not the caller. */
  public constructor(redis: () => Promise<RedisCommands>, ttlSeconds = DEFAULT_ORDER_CACHE_TTL_SECONDS) {
    this.#redis = redis;
    this.#ttlSeconds = ttlSeconds;
  }

  public async get(orderId: string): Promise<Order | undefined> {
    const raw = await (await this.#redis()).get(orderCacheKey(orderId));
    if (raw === null) return undefined;
    const parsed = orderSchema.safeParse(safeJson(raw));
    // An entry written by an older shape of the order is a miss, not an error: the table has the truth.
    return parsed.success && parsed.data.orderId === orderId ? parsed.data : undefined;
  }

  public async put(order: Order): Promise<void> {
    await (await this.#redis()).set(orderCacheKey(order.orderId), JSON.stringify(order), {
      ex: this.#ttlSeconds,
    });
  }

  public async invalidate(orderId: string): Promise<void> {
    await (await this.#redis()).del(orderCacheKey(orderId));
  }
}

const safeJson = (raw: string): unknown => {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
};
