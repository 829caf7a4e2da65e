import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, idempotentOrderId } from '../../../functions/orders-api/core';
import {
  type DynamoDbLocal,
  startDynamoDbLocal,
} from '../../../packages/local-cloud/src/dynamodb/dynamodb-local';
import { DynamoDbOrderRepository, OrderAlreadyExistsError, RedisOrderCache } from '../../../shared/orders';
import { InMemoryRedis } from '../../support/in-memory-redis';
import { RecordingLog } from '../../support/recording-log';

// The create of an order against DynamoDB Local: a second create of one id is refused as a whole (neither the order
// nor a second outbox event), and createOrder turns that into the first run's order for an idempotent re-run.
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const tables = { ordersTableName: 'orders', outboxTableName: 'outbox' };
const owner = 'arn:aws:iam::000000000000:role/storefront';
const request = {
  customerId: 'c-1',
  items: [{ sku: 'S-1', quantity: 2, unitPriceCents: 700 }],
  currency: 'EUR',
};

describe('DynamoDbOrderRepository.create (DynamoDB Local)', () => {
  let dynamo: DynamoDbLocal;
  let client: DynamoDBClient;
  let repository: DynamoDbOrderRepository;
  const count = async (TableName: string) => (await client.send(new ScanCommand({ TableName }))).Count ?? 0;

  beforeAll(async () => {
    dynamo = await startDynamoDbLocal();
    client = new DynamoDBClient({ region: 'us-east-1', endpoint: dynamo.endpoint, credentials });
    for (const TableName of Object.values(tables)) {
      await client.send(
        new CreateTableCommand({
          TableName,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    }
    repository = new DynamoDbOrderRepository(DynamoDBDocumentClient.from(client), tables);
  });
  afterAll(async () => {
    client?.destroy();
    await dynamo?.stop();
  });

  it('a re-run of an idempotent create returns the stored order; a second write of its id is refused whole', async () => {
    const deps = {
      orders: repository,
      cache: new RedisOrderCache(async () => new InMemoryRedis(), 60),
      log: new RecordingLog(),
    };
    const orderId = idempotentOrderId(owner, request.customerId, 'key-1');
    const input = { request, correlationId: 'first', ownerPrincipal: owner, orderId };
    const first = await createOrder(input, deps);
    const rerun = await createOrder({ ...input, correlationId: 'rerun' }, deps);
    expect(rerun).toEqual(first);
    expect([await count('orders'), await count('outbox')]).toEqual([1, 1]);
    await expect(
      createOrder({ ...input, request: { ...request, currency: 'USD' } }, deps),
    ).rejects.toBeInstanceOf(OrderAlreadyExistsError);
    expect([await count('orders'), await count('outbox')]).toEqual([1, 1]);
  });
});
