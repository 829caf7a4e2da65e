import { intEnv, requireEnv } from '../../shared/config/env';
import { EnvNames } from '../../shared/config/env-names';
import { DEFAULT_IDEMPOTENCY_TTL_SECONDS } from '../../shared/idempotency';
import { DEFAULT_GATEWAY_TIMEOUT_MS } from '../../shared/payment-gateway';

/** Settings of the billing consumer, read once per container. */
export interface BillingConfig {
  readonly eventBusName: string;
  readonly idempotencyTableName: string;
  readonly paymentGatewaySecretId: string;
  readonly paymentGatewayTimeoutMs: number;
  readonly idempotencyTtlSeconds: number;
}

/** Reads the billing consumer's settings; throws `ConfigurationError` naming the first missing or malformed one. */
export const loadBillingConfig = (env: NodeJS.ProcessEnv = process.env): BillingConfig => ({
  eventBusName: requireEnv(EnvNames.eventBusName, env),
  idempotencyTableName: requireEnv(EnvNames.idempotencyTableName, env),
  paymentGatewaySecretId: requireEnv(EnvNames.paymentGatewaySecretId, env),
  paymentGatewayTimeoutMs: intEnv(
    EnvNames.paymentGatewayTimeoutMs,
    DEFAULT_GATEWAY_TIMEOUT_MS,
    { min: 100, max: 60_000 },
    env,
  ),
  idempotencyTtlSeconds: intEnv(
    EnvNames.idempotencyTtlSeconds,
    DEFAULT_IDEMPOTENCY_TTL_SECONDS,
    { min: 60, max: 30 * 86_400 },
    env,
  ),
});
