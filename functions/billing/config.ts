import { intEnv, optionalEnv, requireEnv } from '../../shared/config/env';
import { EnvNames } from '../../shared/config/env-names';
import { DEFAULT_IDEMPOTENCY_TTL_SECONDS } from '../../shared/idempotency';
import { DEFAULT_GATEWAY_TIMEOUT_MS } from '../../shared/payment-gateway';
import { DEFAULT_REDIS_TIMEOUT_MS } from '../../shared/redis/client';

/** The circuit guarding the payment gateway when `PAYMENT_GATEWAY_CIRCUIT_ID` is not set. */
export const DEFAULT_PAYMENT_GATEWAY_CIRCUIT_ID = 'payment-gateway';

/** Settings of the billing consumer, read once per container. */
export interface BillingConfig {
  readonly eventBusName: string;
  readonly idempotencyTableName: string;
  readonly paymentGatewaySecretId: string;
  readonly paymentGatewayTimeoutMs: number;
  readonly idempotencyTtlSeconds: number;
  /** The circuit breaker's table (the source of truth of every circuit's state). */
  readonly breakerTableName: string;
  /** The circuit of the payment gateway. Default {@link DEFAULT_PAYMENT_GATEWAY_CIRCUIT_ID}. */
  readonly circuitId: string;
  /** Redis secret of the breaker's fast path; without it, trips are seen at state-store syncs only. */
  readonly redisSecretId: string | undefined;
  /** Per-request timeout of Redis. Default `DEFAULT_REDIS_TIMEOUT_MS`. */
  readonly redisTimeoutMs: number;
}

/** Reads the billing consumer's settings; throws `ConfigurationError` naming the first missing or malformed one. */
export const loadBillingConfig = (env: NodeJS.ProcessEnv = process.env): BillingConfig => {
  const redisSecretId = optionalEnv(EnvNames.redisSecretId, '', env);
  return {
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
    breakerTableName: requireEnv(EnvNames.breakerTableName, env),
    circuitId: optionalEnv(EnvNames.paymentGatewayCircuitId, DEFAULT_PAYMENT_GATEWAY_CIRCUIT_ID, env),
    redisSecretId: redisSecretId === '' ? undefined : redisSecretId,
    redisTimeoutMs: intEnv(EnvNames.redisTimeoutMs, DEFAULT_REDIS_TIMEOUT_MS, { min: 50, max: 10_000 }, env),
  };
};
