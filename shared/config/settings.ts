import { PAYMENT_GATEWAY_CIRCUIT_ID } from '../payment-gateway/circuit';
import { type Env, intEnv, optionalEnv } from './env';
import { EnvNames } from './env-names';

/**
 * How long an event id is remembered when nothing else is configured: 14 days, the longest a message can wait in a
 * DLQ before someone replays it. A shorter window would let a replay run a side effect a second time.
 */
export const DEFAULT_IDEMPOTENCY_TTL_SECONDS = 14 * 24 * 60 * 60;

/** Per-request timeout of Upstash Redis (one command including its retry): Redis is never the source of truth. */
export const DEFAULT_REDIS_TIMEOUT_MS = 1000;

/** Per-call timeout of the payment gateway, covering the request and reading the answer. */
export const DEFAULT_GATEWAY_TIMEOUT_MS = 3000;

// The settings several functions read, each with its default and bounds in one place (a function's config lists
// which it needs; the bounds cannot drift between functions). Each reader throws `ConfigurationError` naming the
// variable when it is malformed.

/** `IDEMPOTENCY_TTL_SECONDS`: 60 s to 30 days, default {@link DEFAULT_IDEMPOTENCY_TTL_SECONDS}. */
export const readIdempotencyTtlSeconds = (env: Env = process.env): number =>
  intEnv(EnvNames.idempotencyTtlSeconds, DEFAULT_IDEMPOTENCY_TTL_SECONDS, { min: 60, max: 30 * 86_400 }, env);

/** `REDIS_TIMEOUT_MS`: 50 ms to 10 s, default {@link DEFAULT_REDIS_TIMEOUT_MS}. */
export const readRedisTimeoutMs = (env: Env = process.env): number =>
  intEnv(EnvNames.redisTimeoutMs, DEFAULT_REDIS_TIMEOUT_MS, { min: 50, max: 10_000 }, env);

/** `PAYMENT_GATEWAY_TIMEOUT_MS`: 100 ms to 60 s, default {@link DEFAULT_GATEWAY_TIMEOUT_MS}. */
export const readPaymentGatewayTimeoutMs = (env: Env = process.env): number =>
  intEnv(EnvNames.paymentGatewayTimeoutMs, DEFAULT_GATEWAY_TIMEOUT_MS, { min: 100, max: 60_000 }, env);

/** `PAYMENT_GATEWAY_CIRCUIT_ID`, default {@link PAYMENT_GATEWAY_CIRCUIT_ID}. */
export const readPaymentGatewayCircuitId = (env: Env = process.env): string =>
  optionalEnv(EnvNames.paymentGatewayCircuitId, PAYMENT_GATEWAY_CIRCUIT_ID, env);
