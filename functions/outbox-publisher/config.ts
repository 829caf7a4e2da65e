import { requireEnv } from '../../shared/config/env';
import { EnvNames } from '../../shared/config/env-names';

/** Settings of the outbox publisher, read once per container. */
export interface OutboxPublisherConfig {
  readonly eventBusName: string;
  readonly outboxTableName: string;
}

/** Reads the outbox publisher's settings; throws `ConfigurationError` naming the first missing one. */
export const loadOutboxPublisherConfig = (env: NodeJS.ProcessEnv = process.env): OutboxPublisherConfig => ({
  eventBusName: requireEnv(EnvNames.eventBusName, env),
  outboxTableName: requireEnv(EnvNames.outboxTableName, env),
});
