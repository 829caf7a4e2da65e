import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, ListQueuesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Redis } from '@upstash/redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakePaymentGateway, startFakePaymentGateway } from '../../../local/gateway';
import { gatewayActuator } from '../../../local/gateway/fault-actuator';
import { type CoreServices, startCoreServices } from '../../../packages/local-cloud/src/cloud/core-services';
import { createEventBridgeService } from '../../../packages/local-cloud/src/eventbridge';
import {
  FAULTS_PATH,
  FaultStore,
  FaultsApiError,
  FaultsClient,
  invocationFaults,
  lambdaActuator,
  redisActuator,
  withPutEventsFaults,
} from '../../../packages/local-cloud/src/faults';
import { FunctionPool } from '../../../packages/local-cloud/src/lambda/function-pool';
import { disruptIdleWorkers, invocationFaultHook } from '../../../packages/local-cloud/src/lambda/runner';
import { startUpstashEndpoint, type UpstashEndpoint } from '../../../packages/local-cloud/src/upstash';

/**
 * Every kind of fault, observed as a client sees it: through the real AWS SDK (the error code and status as AWS
 * sends them), @upstash/redis, the gateway's admin API and a Lambda execution environment.
 */

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const faults = new FaultStore({ log: () => {} });
let core: CoreServices;
let upstash: UpstashEndpoint;
let gateway: FakePaymentGateway;
let api: FaultsClient;
const root = mkdtempSync(join(tmpdir(), 'breakwater-faults-'));
const pools: FunctionPool[] = [];
// One attempt: the SDK's own retries would hide what the first answer was.
const config = () => ({ endpoint: core.endpoints.edge, region: 'us-east-1', credentials, maxAttempts: 1 });

beforeAll(async () => {
  [core, upstash, gateway] = await Promise.all([
    startCoreServices({ edgePort: 0, faults, log: () => {} }),
    startUpstashEndpoint({ token: 'secret', faults }),
    startFakePaymentGateway({ apiKey: 'key' }),
  ]);
  core.edge.registerService(
    withPutEventsFaults(createEventBridgeService({ delivery: { deliver: async () => undefined } }), faults),
  );
  const server = upstash.redisServer;
  if (server === undefined) throw new Error('the endpoint runs its own redis-server');
  faults.registerActuator('redis', redisActuator(server));
  faults.registerActuator('gateway', gatewayActuator(gateway.admin));
  api = new FaultsClient(`${core.endpoints.edge}${FAULTS_PATH}`);
});
afterEach(async () => {
  await faults.clear();
});
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.stop()));
  await Promise.all([core?.stop(), upstash?.stop(), gateway?.stop()]);
  rmSync(root, { recursive: true, force: true });
});

/** The error a call failed with (the test fails if it succeeded). */
const failure = async (call: Promise<unknown>) => {
  try {
    await call;
  } catch (error) {
    return error as Error & { $metadata?: { httpStatusCode?: number }; code?: string };
  }
  throw new Error('expected the call to fail');
};

describe('the fault API on the edge', () => {
  it('adds, lists with hit counts, and clears rules; refuses a bad rule with its issues', async () => {
    const rule = await api.add({ service: 'sqs', action: 'SendMessage', kind: 'error', count: 1 });
    expect(rule).toMatchObject({ service: 'sqs', kind: 'error', hits: 0, active: true, rate: 1 });
    const sqs = new SQSClient(config());
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'faults-api' }));
    await failure(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'spent' }));
    expect(await api.list()).toMatchObject([{ id: rule.id, hits: 1, active: false }]);
    const refused = await failure(api.add({ service: 'sqs', kind: 'kill' } as never));
    expect(refused).toBeInstanceOf(FaultsApiError);
    expect((refused as FaultsApiError).issues.join()).toMatch(/sqs takes error, latency, reset/);
    expect(await api.clear()).toBe(1);
    expect(await api.list()).toEqual([]);
    sqs.destroy();
  });
});

describe('AWS-shaped errors through the SDK', () => {
  let dynamodb: DynamoDBClient;
  beforeAll(async () => {
    dynamodb = new DynamoDBClient(config());
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'fault-orders',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
  });
  afterAll(() => dynamodb.destroy());

  it('DynamoDB: ProvisionedThroughputExceededException (400) on the named table only', async () => {
    await api.add({ service: 'dynamodb', action: 'PutItem', resource: 'fault-orders', kind: 'error' });
    const error = await failure(
      dynamodb.send(new PutItemCommand({ TableName: 'fault-orders', Item: { pk: { S: 'a' } } })),
    );
    expect(error.name).toBe('ProvisionedThroughputExceededException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
    // Another table's request passes: the rule names a resource.
    const other = await failure(
      dynamodb.send(new PutItemCommand({ TableName: 'no-such-table', Item: { pk: { S: 'a' } } })),
    );
    expect(other.name).toBe('ResourceNotFoundException');
  });

  it('DynamoDB: ThrottlingException and InternalServerError on TransactWriteItems', async () => {
    const transact = () =>
      dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: 'fault-orders', Item: { pk: { S: 't' } } } }],
        }),
      );
    await api.add({
      service: 'dynamodb',
      action: 'TransactWriteItems',
      kind: 'error',
      code: 'ThrottlingException',
      count: 1,
    });
    await api.add({
      service: 'dynamodb',
      action: 'TransactWriteItems',
      kind: 'error',
      code: 'InternalServerError',
      count: 1,
    });
    const throttled = await failure(transact());
    expect([throttled.name, throttled.$metadata?.httpStatusCode]).toEqual(['ThrottlingException', 400]);
    const internal = await failure(transact());
    expect([internal.name, internal.$metadata?.httpStatusCode]).toEqual(['InternalServerError', 500]);
    await transact();
  });

  it('SQS: RequestThrottled, and ServiceUnavailable (503) when the rule says so', async () => {
    const sqs = new SQSClient(config());
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'faults-sqs' }));
    await api.add({ service: 'sqs', action: 'SendMessage', kind: 'error', count: 1 });
    await api.add({
      service: 'sqs',
      action: 'SendMessage',
      kind: 'error',
      code: 'ServiceUnavailable',
      count: 1,
    });
    const throttled = await failure(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })));
    expect([throttled.name, throttled.$metadata?.httpStatusCode]).toEqual(['RequestThrottled', 400]);
    const unavailable = await failure(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })));
    expect([unavailable.name, unavailable.$metadata?.httpStatusCode]).toEqual(['ServiceUnavailable', 503]);
    sqs.destroy();
  });

  it('Secrets Manager: InternalServiceError (500) on GetSecretValue', async () => {
    const secrets = new SecretsManagerClient(config());
    await secrets.send(new CreateSecretCommand({ Name: 'faulty', SecretString: 's' }));
    await api.add({
      service: 'secretsmanager',
      action: 'GetSecretValue',
      kind: 'error',
      code: 'InternalServiceError',
    });
    const error = await failure(secrets.send(new GetSecretValueCommand({ SecretId: 'faulty' })));
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual(['InternalServiceError', 500]);
    secrets.destroy();
  });
});

describe('EventBridge PutEvents', () => {
  const entries = (count: number) =>
    Array.from({ length: count }, (_, index) => ({
      Source: 'breakwater.test',
      DetailType: 'fault.test',
      Detail: JSON.stringify({ index }),
    }));

  it('answers partial failures with AWS entry error codes in place, the other entries put', async () => {
    const events = new EventBridgeClient(config());
    await api.add({
      service: 'events',
      action: 'PutEvents',
      kind: 'partial-failure',
      code: 'InternalFailure',
      entryRate: 1,
    });
    const allFailed = await events.send(new PutEventsCommand({ Entries: entries(3) }));
    expect(allFailed.FailedEntryCount).toBe(3);
    expect(allFailed.Entries?.map((entry) => entry.ErrorCode)).toEqual([
      'InternalFailure',
      'InternalFailure',
      'InternalFailure',
    ]);
    await api.clear();
    await api.add({ service: 'events', kind: 'partial-failure', entryRate: 0.5 });
    const some = await events.send(new PutEventsCommand({ Entries: entries(10) }));
    const failed = some.Entries?.filter((entry) => entry.ErrorCode === 'ThrottlingException') ?? [];
    expect(some.FailedEntryCount).toBe(failed.length);
    expect(failed.length).toBeGreaterThan(0);
    expect(some.Entries?.filter((entry) => entry.EventId !== undefined)).toHaveLength(10 - failed.length);
    events.destroy();
  });

  it('answers ThrottlingException to the whole call', async () => {
    const events = new EventBridgeClient(config());
    await api.add({ service: 'events', action: 'PutEvents', kind: 'error' });
    const error = await failure(events.send(new PutEventsCommand({ Entries: entries(1) })));
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual(['ThrottlingException', 400]);
    events.destroy();
  });
});

describe('latency and connection resets', () => {
  it('delays a request by at least the rule latency, then serves it', async () => {
    const sqs = new SQSClient(config());
    await api.add({ service: 'sqs', action: 'ListQueues', kind: 'latency', ms: 400 });
    const started = Date.now();
    await sqs.send(new ListQueuesCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    sqs.destroy();
  });

  it('cuts the connection: the SDK sees a network error, no status', async () => {
    const sqs = new SQSClient(config());
    await api.add({ service: 'sqs', action: 'ListQueues', kind: 'reset', count: 1 });
    const error = await failure(sqs.send(new ListQueuesCommand({})));
    expect(error.$metadata?.httpStatusCode).toBeUndefined();
    expect(`${error.name} ${error.code ?? ''} ${error.message}`).toMatch(
      /ECONNRESET|socket hang up|aborted/i,
    );
    sqs.destroy();
  });
});

describe('Upstash, Redis and the gateway', () => {
  it('Upstash endpoint: injected errors reach @upstash/redis as UpstashError', async () => {
    const redis = new Redis({ url: upstash.url, token: 'secret', enableAutoPipelining: false, retry: false });
    await redis.set('k', 'v');
    await faults.add({ service: 'upstash', kind: 'error', message: 'ERR injected', count: 1 });
    await expect(redis.get('k')).rejects.toThrow(/ERR injected/);
    expect(await redis.get('k')).toBe('v');
  });

  it('Redis outage: commands fail while redis-server is down and run again once cleared', async () => {
    const redis = new Redis({ url: upstash.url, token: 'secret', enableAutoPipelining: false, retry: false });
    const rule = await api.add({ service: 'redis', kind: 'outage' });
    expect(rule).toMatchObject({ hits: 1, active: true });
    await expect(redis.get('k')).rejects.toThrow();
    await api.clear();
    await expect.poll(async () => redis.set('k', 'back').catch(() => 'down'), { timeout: 15_000 }).toBe('OK');
  });

  it('gateway knobs: set through the fault API, back to healthy on clear', async () => {
    await api.add({
      service: 'gateway',
      kind: 'gateway',
      knobs: { failureRate: 0.5, timeoutAfterCharge: true },
    });
    expect(await gateway.admin.getConfig()).toMatchObject({ failureRate: 0.5, timeoutAfterCharge: true });
    const refused = await failure(
      api.add({ service: 'gateway', kind: 'gateway', knobs: { failureRate: 7 } }),
    );
    expect((refused as FaultsApiError).status).toBe(400);
    await api.clear();
    expect(await gateway.admin.getConfig()).toMatchObject({ failureRate: 0, timeoutAfterCharge: false });
  });
});

describe('Lambda workers', () => {
  const slowPool = (name: string) => {
    const codeDirectory = join(root, name);
    mkdirSync(codeDirectory, { recursive: true });
    writeFileSync(
      join(codeDirectory, 'index.mjs'),
      'export const handler = async () => { await new Promise((r) => setTimeout(r, 800)); return { pid: process.pid }; };',
    );
    const pool = new FunctionPool({
      definition: {
        functionName: name,
        functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
        stackName: 'Test',
        logicalId: name,
        runtime: 'nodejs24.x',
        handler: 'index.handler',
        codeDirectory,
        environment: {},
        timeoutSeconds: 2,
        memorySizeMb: 128,
      },
      settings: { region: 'us-east-1' },
      maxEnvironments: 1,
      log: () => {},
      initTimeoutMs: 10_000,
      runtimeModulesParent: new URL('../../../packages/local-cloud/src/lambda/', import.meta.url).href,
      onInvocation: invocationFaultHook(name, invocationFaults(faults)),
    });
    pools.push(pool);
    return pool;
  };

  it('kill mid-invocation: the invocation fails with Runtime.ExitError and the next one gets a fresh worker', async () => {
    const pool = slowPool('fault-kill');
    const first = await pool.invoke({});
    expect(first.ok).toBe(true);
    await faults.add({ service: 'lambda', action: 'fault-*', kind: 'kill', withinMs: 100, count: 1 });
    const killed = await pool.invoke({});
    expect(killed).toMatchObject({ ok: false, error: { errorType: 'Runtime.ExitError' } });
    const next = await pool.invoke({});
    expect(next.ok && (next.payload as { pid: number }).pid).not.toBe(
      first.ok && (first.payload as { pid: number }).pid,
    );
  });

  it('freeze mid-invocation past the function timeout: the invocation times out', async () => {
    const pool = slowPool('fault-freeze');
    await faults.add({ service: 'lambda', action: 'fault-freeze', kind: 'freeze', ms: 5_000, withinMs: 10 });
    const frozen = await pool.invoke({});
    expect(frozen).toMatchObject({ ok: false, timedOut: true, error: { errorType: 'Sandbox.Timedout' } });
  });

  it('kill idle: the idle workers die, and the pool starts a new one', async () => {
    const pool = slowPool('fault-idle');
    const first = await pool.invoke({});
    expect(pool.idleEnvironments()).toHaveLength(1);
    const pools = new Map([['fault-idle', pool]]);
    faults.registerActuator(
      'lambda',
      lambdaActuator({
        functionNames: ['fault-idle'],
        disruptIdleWorkers: (matches, fault) => disruptIdleWorkers(pools, matches, fault),
      }),
    );
    const rule = await api.add({ service: 'lambda', action: 'fault-idle', kind: 'kill', phase: 'idle' });
    expect(rule.hits).toBe(1);
    await expect.poll(() => pool.idleEnvironments().length).toBe(0);
    const next = await pool.invoke({});
    expect(next.ok && (next.payload as { pid: number }).pid).not.toBe(
      first.ok && (first.payload as { pid: number }).pid,
    );
  });
});
