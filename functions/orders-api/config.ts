import { intEnv, requireEnv } from '../../shared/config/env';
import { EnvNames } from '../../shared/config/env-names';
import { DEFAULT_IDEMPOTENCY_TTL_SECONDS } from '../../shared/idempotency';
import { DEFAULT_ORDER_CACHE_TTL_SECONDS } from '../../shared/orders';
import { DEFAULT_REDIS_TIMEOUT_MS } from '../../shared/redis/client';

/** Settings of the orders API, read once per container. */
export interface OrdersApiConfig {
  readonly ordersTableName: string;
  readonly outboxTableName: string;
  readonly idempotencyTableName: string;
  readonly redisSecretId: string;
  readonly redisTimeoutMs: number;
  readonly orderCacheTtlSeconds: number;
  /** How long an `Idempotency-Key` is remembered. */
  readonly idempotencyTtlSeconds: number;
}

/** Reads the orders API's settings; throws `ConfigurationError` naming the first missing or malformed one. */
export const loadOrdersApiConfig = (env: NodeJS.ProcessEnv = process.env): OrdersApiConfig => ({
  ordersTableName: requireEnv(EnvNames.ordersTableName, env),
  outboxTableName: requireEnv(EnvNames.outboxTableName, env),
  idempotencyTableName: requireEnv(EnvNames.idempotencyTableName, env),
  redisSecretId: requireEnv(EnvNames.redisSecretId, env),
  redisTimeoutMs: intEnv(EnvNames.redisTimeoutMs, DEFAULT_REDIS_TIMEOUT_MS, { min: 50, max: 10_000 }, env),
  orderCacheTtlSeconds: intEnv(
    EnvNames.orderCacheTtlSeconds,
    DEFAULT_ORDER_CACHE_TTL_SECONDS,
    { min: 1, max: 86_400 },
    env,
  ),
  idempotencyTtlSeconds: intEnv(
    EnvNames.idempotencyTtlSeconds,
    DEFAULT_IDEMPOTENCY_TTL_SECONDS,
    { min: 60, max: 30 * 86_400 },
    env,
  ),
});
