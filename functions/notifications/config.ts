import { requireEnv } from '../../shared/config/env';
import { EnvNames } from '../../shared/config/env-names';
import { readIdempotencyTtlSeconds } from '../../shared/config/settings';

/** Settings of the notifications consumer, read once per container. */
export interface NotificationsConfig {
  /** The idempotency table: a sent notification's event id is remembered there (not in Redis, a cache). */
  readonly idempotencyTableName: string;
  /** How long a sent notification's event id is remembered. */
  readonly idempotencyTtlSeconds: number;
}

/** Reads the notifications consumer's settings; throws `ConfigurationError` naming the first bad one. */
export const loadNotificationsConfig = (env: NodeJS.ProcessEnv = process.env): NotificationsConfig => ({
  idempotencyTableName: requireEnv(EnvNames.idempotencyTableName, env),
  idempotencyTtlSeconds: readIdempotencyTtlSeconds(env),
});
