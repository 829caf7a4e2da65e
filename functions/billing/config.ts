import { optionalEnv, requireEnv } from '../../shared/config/env';
import { EnvNames } from '../../shared/config/env-names';
import {
  readIdempotencyTtlSeconds,
  readPaymentGatewayCircuitId,
  readPaymentGatewayTimeoutMs,
  readRedisTimeoutMs,
} from '../../shared/config/settings';

/** Settings of the billing consumer, read once per container. */
export interface BillingConfig {
  readonly eventBusName: string;
  readonly idempotencyTableName: string;
  readonly paymentGatewaySecretId: string;
  readonly paymentGatewayTimeoutMs: number;
  readonly idempotencyTtlSeconds: number;
  /** The circuit breaker's table (the source of truth of every circuit's state). */
  readonly breakerTableName: string;
  /** The circuit of the payment gateway. Default `PAYMENT_GATEWAY_CIRCUIT_ID` (shared/payment-gateway/circuit.ts). */
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
    paymentGatewayTimeoutMs: readPaymentGatewayTimeoutMs(env),
    idempotencyTtlSeconds: readIdempotencyTtlSeconds(env),
    breakerTableName: requireEnv(EnvNames.breakerTableName, env),
    circuitId: readPaymentGatewayCircuitId(env),
    redisSecretId: redisSecretId === '' ? undefined : redisSecretId,
    redisTimeoutMs: readRedisTimeoutMs(env),
  };
};
