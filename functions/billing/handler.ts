import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { consumeEvents, type EventProcessor } from '../../shared/batch/event-consumer';
import { productionRetryScheduler, type RetryScheduler } from '../../shared/batch/retry-schedule';
import { EventTypes } from '../../shared/contracts';
import { EventPublisher } from '../../shared/events/publisher';
import {
  dynamoDbPersistence,
  makeEventIdempotent,
  type PersistenceStoreFactory,
} from '../../shared/idempotency';
import { createObservability, type Observability } from '../../shared/middleware/observability';
import { withStack } from '../../shared/middleware/stack';
import { type PaymentGateway, PaymentGatewayClient, passThrough } from '../../shared/payment-gateway';
import { once } from '../../shared/runtime/once';
import { paymentGatewaySecretReader } from '../../shared/secrets';
import { loadBillingConfig } from './config';
import { type BillingDependencies, billOrder } from './core';

const observability = createObservability('billing');
const subscribedTypes = [EventTypes.orderCreated] as const;

/** Billing's per-event processor, idempotent on the `order.created` event id. */
export const billingProcessor = (
  deps: BillingDependencies,
  {
    persistenceStore,
    expiresAfterSeconds,
  }: { persistenceStore: PersistenceStoreFactory; expiresAfterSeconds: number },
): EventProcessor<(typeof subscribedTypes)[number]> =>
  makeEventIdempotent((event, _context, log) => billOrder(event, deps, log), {
    keyPrefix: 'billing.charge',
    persistenceStore,
    expiresAfterSeconds,
  });

/**
 * The gateway as billing uses it in production: the secret (URL, API key) is read per charge from the cached secret
 * reader, so a rotated key reaches warm containers within the cache's max age.
 */
const secretBackedGateway = (secretId: string, timeoutMs: number): PaymentGateway => {
  const readSecret = paymentGatewaySecretReader();
  return {
    charge: async (request) => {
      const { url, apiKey } = await readSecret(secretId);
      return new PaymentGatewayClient({ baseUrl: url, apiKey, timeoutMs }).charge(request);
    },
  };
};

const productionProcessor = once(async () => {
  const config = loadBillingConfig();
  const deps: BillingDependencies = {
    gateway: secretBackedGateway(config.paymentGatewaySecretId, config.paymentGatewayTimeoutMs),
    publisher: new EventPublisher({ client: new EventBridgeClient({}), eventBusName: config.eventBusName }),
    metrics: observability.metrics,
    // The circuit breaker (issue 4) replaces this.
    guard: passThrough,
  };
  return billingProcessor(deps, {
    persistenceStore: dynamoDbPersistence(config.idempotencyTableName, new DynamoDBClient({})),
    expiresAfterSeconds: config.idempotencyTtlSeconds,
  });
});

/** Builds the billing handler around its processor (tests pass one over in-memory ports). */
export const createBillingHandler = (
  processor: () => Promise<EventProcessor<(typeof subscribedTypes)[number]>>,
  obs: Observability = observability,
  retryScheduler?: RetryScheduler,
) =>
  withStack(
    async (event: SQSEvent, context): Promise<SQSBatchResponse> =>
      consumeEvents({
        types: subscribedTypes,
        process: await processor(),
        observability: obs,
        ...(retryScheduler === undefined ? {} : { retryScheduler }),
      })(event, context),
    obs,
  );

/** Lambda entry point: SQS (EventBridge `order.created`) → charge the gateway → `payment.succeeded|failed`. */
export const handler = createBillingHandler(productionProcessor, observability, productionRetryScheduler());
