import { intEnv, requireEnv } from '../../shared/config/env';
import { EnvNames } from '../../shared/config/env-names';

/** Defaults of the sweeper's bounds (each overridable through its environment variable). */
export const OutboxSweeperDefaults = {
  /** Seconds an item waits before it counts as stranded: far above the stream publisher's usual seconds. */
  graceSeconds: 300,
  /** Items published per run at most: a run of PutEvents calls of 10 that fits well within the timeout. */
  maxItems: 500,
  /** Milliseconds before the timeout at which a run stops scanning: time for the last page's publish and deletes. */
  safetyMarginMs: 10_000,
} as const;

/** Settings of the outbox sweeper, read once per container. */
export interface OutboxSweeperConfig {
  readonly eventBusName: string;
  readonly outboxTableName: string;
  readonly graceSeconds: number;
  readonly maxItems: number;
  readonly safetyMarginMs: number;
}

/** Reads the sweeper's settings; throws `ConfigurationError` naming the first missing or malformed one. */
export const loadOutboxSweeperConfig = (env: NodeJS.ProcessEnv = process.env): OutboxSweeperConfig => ({
  eventBusName: requireEnv(EnvNames.eventBusName, env),
  outboxTableName: requireEnv(EnvNames.outboxTableName, env),
  graceSeconds: intEnv(EnvNames.outboxSweepGraceSeconds, OutboxSweeperDefaults.graceSeconds, { min: 0 }, env),
  maxItems: intEnv(
    EnvNames.outboxSweepMaxItems,
    OutboxSweeperDefaults.maxItems,
    { min: 1, max: 10_000 },
    env,
  ),
  safetyMarginMs: intEnv(
    EnvNames.outboxSweepSafetyMarginMs,
    OutboxSweeperDefaults.safetyMarginMs,
    { min: 0 },
    env,
  ),
});
