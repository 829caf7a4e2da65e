import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dynamoDbPersistence } from '../../shared/idempotency';
import { createObservability, type Observability } from '../../shared/middleware/observability';
import { withHttpStack } from '../../shared/middleware/stack';
import { DynamoDbOrderRepository, RedisOrderCache } from '../../shared/orders';
import { cacheRedis } from '../../shared/redis/breaker';
import { once } from '../../shared/runtime/once';
import { redisSecretReader, secretsManagerSource } from '../../shared/secrets';
import { loadOrdersApiConfig } from './config';
import { createOrdersRouter, idempotentCreateOrder, type OrdersApiDependencies } from './routes';

const observability = createObservability('orders-api');
const { tracer } = observability;

/**
 * The production dependencies, built on the first request and kept for the container's life: configuration,
 * SDK clients, the Redis client (its secret is read lazily and followed, so a Redis outage never blocks order
 * creation; its circuit breaker makes reads skip Redis while it is down).
 */
const productionDependencies = once(async (): Promise<OrdersApiDependencies> => {
  const config = loadOrdersApiConfig();
  // The document client shares the captured client's middleware stack, so its calls are traced too.
  const dynamoDb = tracer.captureAWSv3Client(new DynamoDBClient({}));
  const documents = DynamoDBDocumentClient.from(dynamoDb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const secrets = secretsManagerSource(tracer.captureAWSv3Client(new SecretsManagerClient({})));
  const redis = cacheRedis({
    secretId: config.redisSecretId,
    readSecret: redisSecretReader({ source: secrets }),
    timeoutMs: config.redisTimeoutMs,
    log: observability.logger,
    metrics: observability.metrics,
  });
  const base = {
    orders: new DynamoDbOrderRepository(documents, config),
    cache: new RedisOrderCache(async () => redis, config.orderCacheTtlSeconds),
    log: observability.logger,
  };
  const createOrderOnce = idempotentCreateOrder(base, {
    persistenceStore: dynamoDbPersistence(config.idempotencyTableName, dynamoDb),
    expiresAfterSeconds: config.idempotencyTtlSeconds,
  });
  return {
    ...base,
    metrics: observability.metrics,
    createOrderOnce,
    readAccess: { readerArn: config.orderReaderArn },
    limits: { maxTotalCents: config.maxTotalCents },
  };
});

/** Builds the orders API handler around its dependencies (tests pass in-memory ones). */
export const createOrdersApiHandler = (
  dependencies: () => Promise<OrdersApiDependencies>,
  obs: Observability = observability,
) => {
  const router = once(async () => createOrdersRouter(await dependencies()));
  return withHttpStack(
    async (event: APIGatewayProxyEventV2, context): Promise<APIGatewayProxyStructuredResultV2> =>
      (await router())(event, context),
    obs,
  );
};

/** Lambda entry point: API Gateway HTTP API (payload v2) → `POST /orders`, `GET /orders/{orderId}`. */
export const handler = createOrdersApiHandler(productionDependencies);
