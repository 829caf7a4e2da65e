import { intEnv, requireEnv } from '../../shared/config/env';
import { EnvNames } from '../../shared/config/env-names';
import { DEFAULT_IDEMPOTENCY_TTL_SECONDS } from '../../shared/idempotency';
import { DEFAULT_REDIS_TIMEOUT_MS } from '../../shared/redis/client';

/** Settings of the notifications consumer, read once per container. */
export interface NotificationsConfig {
  readonly redisSecretId: string;
  readonly redisTimeoutMs: number;
  /** How long a sent notification's event id is remembered in Redis. */
  readonly dedupeTtlSeconds: number;
}

/** Reads the notifications consumer's settings; throws `ConfigurationError` naming the first bad one. */
export const loadNotificationsConfig = (env: NodeJS.ProcessEnv = process.env): NotificationsConfig => ({
  redisSecretId: requireEnv(EnvNames.redisSecretId, env),
  redisTimeoutMs: intEnv(EnvNames.redisTimeoutMs, DEFAULT_REDIS_TIMEOUT_MS, { min: 50, max: 10_000 }, env),
  dedupeTtlSeconds: intEnv(
    EnvNames.idempotencyTtlSeconds,
    DEFAULT_IDEMPOTENCY_TTL_SECONDS,
    { min: 60, max: 30 * 86_400 },
    env,
  ),
});
