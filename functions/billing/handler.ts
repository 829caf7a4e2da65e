import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import {
  type EventProcessor,
  eventConsumerHandler,
  productionFailureHandling,
  type QueueFailureHandling,
} from '../../shared/batch/event-consumer';
import { EventTypes } from '../../shared/contracts';
import { EventPublisher } from '../../shared/events/publisher';
import {
  dynamoDbPersistence,
  makeEventIdempotent,
  type PersistenceStoreFactory,
} from '../../shared/idempotency';
import { createObservability, type Observability } from '../../shared/middleware/observability';
import { type CallGuard, passThrough, secretBackedGateway } from '../../shared/payment-gateway';
import { once } from '../../shared/runtime/once';
import { paymentGatewaySecretReader, secretsManagerSource } from '../../shared/secrets';
import { billingCircuitBreakers } from './breaker';
import { loadBillingConfig } from './config';
import { type BillingDependencies, billOrder } from './core';

const observability = createObservability('billing');
const { tracer } = observability;
const subscribedTypes = [EventTypes.orderCreated] as const;

/** What billing's processor needs: the use-case's ports, and the guard of each invocation. */
export interface BillingProcessorDependencies extends Omit<BillingDependencies, 'guard'> {
  /**
   * The guard of one invocation, bound to its remaining time (the circuit breaker). Default: `passThrough`.
   * Production: `(context) => breakers.for(circuitId).guard({ remainingTimeMs: context.getRemainingTimeInMillis() })`.
   */
  readonly guardFor?: (context: Context) => CallGuard;
}

/** Billing's per-event processor, idempotent on the `order.created` event id. */
export const billingProcessor = (
  { guardFor = () => passThrough, ...deps }: BillingProcessorDependencies,
  {
    persistenceStore,
    expiresAfterSeconds,
  }: { persistenceStore: PersistenceStoreFactory; expiresAfterSeconds: number },
): EventProcessor<(typeof subscribedTypes)[number]> =>
  makeEventIdempotent((event, context, log) => billOrder(event, { ...deps, guard: guardFor(context) }, log), {
    keyPrefix: 'billing.charge',
    persistenceStore,
    expiresAfterSeconds,
  });

const productionProcessor = once(async () => {
  const config = loadBillingConfig();
  const publisher = new EventPublisher({
    client: tracer.captureAWSv3Client(new EventBridgeClient({})),
    eventBusName: config.eventBusName,
  });
  const secrets = secretsManagerSource(tracer.captureAWSv3Client(new SecretsManagerClient({})));
  const breakers = billingCircuitBreakers(config, {
    publisher,
    metrics: observability.metrics,
    tracer,
    secrets,
  });
  return billingProcessor(
    {
      // URL and key from the gateway secret, re-read at once when the gateway refuses the key. Its `fetch` is a
      // subsegment of the invocation's trace (Powertools Tracer instruments every `fetch`).
      gateway: secretBackedGateway({
        secretId: config.paymentGatewaySecretId,
        readSecret: paymentGatewaySecretReader({ source: secrets }),
        timeoutMs: config.paymentGatewayTimeoutMs,
      }),
      publisher,
      metrics: observability.metrics,
      // The seam. A per-key circuit is this line with another id, e.g. `${config.circuitId}:${merchantId}`.
      guardFor: (context) =>
        breakers.for(config.circuitId).guard({ remainingTimeMs: context.getRemainingTimeInMillis() }),
    },
    {
      persistenceStore: dynamoDbPersistence(
        config.idempotencyTableName,
        tracer.captureAWSv3Client(new DynamoDBClient({})),
      ),
      expiresAfterSeconds: config.idempotencyTtlSeconds,
    },
  );
});

/**
 * Builds the billing handler around its processor (tests pass one over in-memory ports). The retry scheduler is the
 * queue-aware fallback of the circuit breaker: a record the circuit refused (`CircuitOpenError`, nothing charged)
 * fails, and comes back when a call could be admitted again (one receive per cooldown; see `retryDelaySeconds`).
 */
export const createBillingHandler = (
  processor: () => Promise<EventProcessor<(typeof subscribedTypes)[number]>>,
  obs: Observability = observability,
  failures: QueueFailureHandling = {},
) => eventConsumerHandler({ types: subscribedTypes, processor, observability: obs, ...failures });

/** Lambda entry point: SQS (EventBridge `order.created`) → charge the gateway → `payment.succeeded|failed`. */
export const handler = createBillingHandler(
  productionProcessor,
  observability,
  productionFailureHandling(tracer.captureAWSv3Client(new SQSClient({}))),
);
