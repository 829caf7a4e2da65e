import { requireEnv } from '../../shared/config/env';
import { EnvNames } from '../../shared/config/env-names';
import { readIdempotencyTtlSeconds, readRedisTimeoutMs } from '../../shared/config/settings';

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
  redisTimeoutMs: readRedisTimeoutMs(env),
  idempotencyTtlSeconds: readIdempotencyTtlSeconds(env),
});
