import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type EventProcessor,
  eventConsumerHandler,
  productionFailureHandling,
  type QueueFailureHandling,
} from '../../shared/batch/event-consumer';
import {
  dynamoDbPersistence,
  makeEventIdempotent,
  type PersistenceStoreFactory,
} from '../../shared/idempotency';
import { createObservability, type Observability } from '../../shared/middleware/observability';
import { DynamoDbOrderRepository, RedisOrderCache } from '../../shared/orders';
import { SecretBackedRedis } from '../../shared/redis/client';
import { once } from '../../shared/runtime/once';
import { redisSecretReader, secretsManagerSource } from '../../shared/secrets';
import { loadOrderStatusConfig } from './config';
import { applyPaymentEvent, type OrderStatusDependencies, paymentEventTypes } from './core';

const observability = createObservability('order-status');
const { tracer } = observability;

type PaymentEventType = (typeof paymentEventTypes)[number];

/** The order-status per-event processor, idempotent on the payment event id. */
export const orderStatusProcessor = (
  deps: OrderStatusDependencies,
  {
    persistenceStore,
    expiresAfterSeconds,
  }: { persistenceStore: PersistenceStoreFactory; expiresAfterSeconds: number },
): EventProcessor<PaymentEventType> =>
  makeEventIdempotent((event, _context, log) => applyPaymentEvent(event, deps, log), {
    keyPrefix: 'order-status.apply',
    persistenceStore,
    expiresAfterSeconds,
  });

const productionProcessor = once(async () => {
  const config = loadOrderStatusConfig();
  const dynamoDb = tracer.captureAWSv3Client(new DynamoDBClient({}));
  const documents = DynamoDBDocumentClient.from(dynamoDb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const secrets = secretsManagerSource(tracer.captureAWSv3Client(new SecretsManagerClient({})));
  // Not behind the Redis circuit: an invalidation skipped while the orders API caches again would serve a stale
  // status until the cache TTL. Trying each one costs at most the Redis timeout, off any request's path.
  const redis = new SecretBackedRedis(config.redisSecretId, redisSecretReader({ source: secrets }), {
    timeoutMs: config.redisTimeoutMs,
  });
  return orderStatusProcessor(
    {
      orders: new DynamoDbOrderRepository(documents, { ordersTableName: config.ordersTableName }),
      cache: new RedisOrderCache(async () => redis),
      metrics: observability.metrics,
    },
    {
      persistenceStore: dynamoDbPersistence(config.idempotencyTableName, dynamoDb),
      expiresAfterSeconds: config.idempotencyTtlSeconds,
    },
  );
});

/** Builds the order-status handler around its processor (tests pass one over in-memory ports). */
export const createOrderStatusHandler = (
  processor: () => Promise<EventProcessor<PaymentEventType>>,
  obs: Observability = observability,
  failures: QueueFailureHandling = {},
) => eventConsumerHandler({ types: paymentEventTypes, processor, observability: obs, ...failures });

/** Lambda entry point: SQS (EventBridge `payment.succeeded|failed`) → order status, cache invalidation. */
export const handler = createOrderStatusHandler(
  productionProcessor,
  observability,
  productionFailureHandling(tracer.captureAWSv3Client(new SQSClient({}))),
);
