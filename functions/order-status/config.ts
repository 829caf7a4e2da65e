import { intEnv, requireEnv } from '../../shared/config/env';
import { EnvNames } from '../../shared/config/env-names';
import { DEFAULT_IDEMPOTENCY_TTL_SECONDS } from '../../shared/idempotency';
import { DEFAULT_REDIS_TIMEOUT_MS } from '../../shared/redis/client';

/** Settings of the order-status consumer, read once per container. */
export interface OrderStatusConfig {
  readonly ordersTableName: string;
  readonly idempotencyTableName: string;
  readonly redisSecretId: string;
  readonly redisTimeoutMs: number;
  readonly idempotencyTtlSeconds: number;
}

/** Reads the order-status consumer's settings; throws `ConfigurationError` naming the first bad one. */
export const loadOrderStatusConfig = (env: NodeJS.ProcessEnv = process.env): OrderStatusConfig => ({
  ordersTableName: requireEnv(EnvNames.ordersTableName, env),
  idempotencyTableName: requireEnv(EnvNames.idempotencyTableName, env),
  redisSecretId: requireEnv(EnvNames.redisSecretId, env),
  redisTimeoutMs: intEnv(EnvNames.redisTimeoutMs, DEFAULT_REDIS_TIMEOUT_MS, { min: 50, max: 10_000 }, env),
  idempotencyTtlSeconds: intEnv(
    EnvNames.idempotencyTtlSeconds,
    DEFAULT_IDEMPOTENCY_TTL_SECONDS,
    { min: 60, max: 30 * 86_400 },
    env,
  ),
});
