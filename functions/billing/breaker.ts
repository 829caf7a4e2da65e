import type { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CircuitBreakerDefaults,
  type CircuitBreakers,
  combineListeners,
  metricsListeners,
  powertoolsMetricSink,
  type SingleMetricSource,
} from '@breakwater/circuit-breaker';
import { dynamoDbCircuitBreakers } from '@breakwater/circuit-breaker/dynamodb';
import { RedisStateSignal } from '@breakwater/circuit-breaker/redis';
import { transitionEventListeners } from '../../shared/events/breaker-transitions';
import type { EventPublisher } from '../../shared/events/publisher';
import { SecretBackedRedis } from '../../shared/redis/client';
import { redisSecretReader, type SecretSource } from '../../shared/secrets';
import type { BillingConfig } from './config';

/** What billing's circuit breakers report to, and the function's tracer and secret source they use. */
export interface BillingBreakerOutputs {
  /** Transitions go on the bus as `breaker.opened | breaker.half_opened | breaker.closed`. */
  readonly publisher: Pick<EventPublisher, 'publish'>;
  /** Powertools Metrics: state, rejections, rates and errors as EMF, dimension `circuit`. */
  readonly metrics: SingleMetricSource;
  /** Captures the breaker table's client, so that every state read and write is a subsegment. */
  readonly tracer: Pick<Tracer, 'captureAWSv3Client'>;
  /** Where the Redis secret is read from (the function's traced Secrets Manager source). */
  readonly secrets: SecretSource;
}

/**
 * Billing's circuit breakers, one registry per container (create it once: caches and pending counts live in it).
 * DynamoDB holds every circuit's state; Redis, when its secret is configured, is the fast path that makes a trip
 * visible to every container within about a second (if Redis is unreachable, the breakers run on their DynamoDB
 * sync policy alone and count `CircuitSignalErrors`).
 *
 * Every circuit uses the library's defaults (cooldown 30 s, ×2 per failed half-open round, at most 300 s) except the
 * call timeout, which is the gateway's: the billing stack sizes the queue's maxReceiveCount on those cooldowns.
 */
export const billingCircuitBreakers = (
  config: BillingConfig,
  { publisher, metrics, tracer, secrets }: BillingBreakerOutputs,
): CircuitBreakers => {
  const { redisSecretId } = config;
  const signal =
    redisSecretId === undefined
      ? undefined
      : new RedisStateSignal({
          // Follows its secret (a rotated token is picked up); a secret that cannot be read counts as Redis down,
          // which the signal already rides out (the breaker then relies on its DynamoDB syncs alone).
          redis: new SecretBackedRedis(redisSecretId, redisSecretReader({ source: secrets }), {
            timeoutMs: config.redisTimeoutMs,
          }),
        });
  return dynamoDbCircuitBreakers({
    // Short timeouts and one retry: a slow state store must not hold calls (the breaker has its own fallback).
    client: tracer.captureAWSv3Client(
      new DynamoDBClient({
        maxAttempts: 2,
        requestHandler: { connectionTimeout: 500, requestTimeout: 1_000 },
      }),
    ),
    tableName: config.breakerTableName,
    config: {
      callTimeoutMs: config.paymentGatewayTimeoutMs,
      // A probe must fit in a call: a minimum above the call timeout would never let the circuit probe again.
      minProbeTimeMs: Math.min(CircuitBreakerDefaults.minProbeTimeMs, config.paymentGatewayTimeoutMs),
    },
    listeners: combineListeners(
      metricsListeners(powertoolsMetricSink(metrics)),
      transitionEventListeners(publisher),
    ),
    ...(signal === undefined ? {} : { signal }),
  });
};
