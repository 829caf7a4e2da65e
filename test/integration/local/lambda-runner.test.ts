import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployLocal, findResource, type LocalDeployment } from '../../../packages/local-cloud/src/deployer';
import {
  type LambdaRunner,
  lambdaInvokeListener,
  startLambdaRunner,
} from '../../../packages/local-cloud/src/lambda';
import { eventually } from '../../support/eventually';
import { type FixtureCloud, startFixtureCloud } from './support/fixture-cloud';

const STORAGE = 'LocalAppStorage';

describe('Lambda runner (fixture app deployed to fauxqs and DynamoDB Local)', () => {
  let cloud: FixtureCloud;
  let deployment: LocalDeployment;
  let runner: LambdaRunner;
  let apiUrl: string;
  const logs: Array<{ source: string; line: string }> = [];

  const functionNamed = (prefix: string) => {
    const found = deployment.lambda.functions.find((fn) => fn.logicalId.startsWith(prefix));
    if (found === undefined) throw new Error(`no function ${prefix}`);
    return found.functionName;
  };
  const queueUrl = (logicalId: string) =>
    findResource(deployment, STORAGE, logicalId, 'AWS::SQS::Queue').physicalId;
  const result = async (pk: string) => {
    const { Item } = await cloud.clients.dynamodb.send(
      new GetItemCommand({
        TableName: findResource(deployment, STORAGE, 'Results').physicalId,
        Key: { pk: { S: pk } },
        ConsistentRead: true,
      }),
    );
    return Item;
  };
  const attempts = async (id: string) => Number((await result(`sqs#${id}`))?.attempts?.N ?? '0');
  const receiveOne = async (logicalId: string) => {
    const { Messages } = await cloud.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl(logicalId),
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
      }),
    );
    return Messages?.[0];
  };
  const putItem = (pk: string, fail = false) =>
    cloud.clients.dynamodb.send(
      new PutItemCommand({
        TableName: findResource(deployment, STORAGE, 'Items').physicalId,
        Item: { pk: { S: pk }, kind: { S: 'item' }, ...(fail ? { fail: { BOOL: true } } : {}) },
      }),
    );

  beforeAll(async () => {
    cloud = await startFixtureCloud();
    deployment = await deployLocal({
      assemblyDirectory: cloud.assemblyDirectory,
      clients: cloud.clients,
      log: () => {},
    });
    runner = await startLambdaRunner({
      topology: deployment.lambda,
      clients: { sqs: cloud.clients.sqs, dynamodbStreams: cloud.clients.dynamodbStreams },
      environment: {
        region: 'us-east-1',
        serviceEndpoints: { DYNAMODB: cloud.dynamodb.endpoint, SQS: cloud.fauxqs.address },
      },
      asyncRetryDelaysMs: [200],
      streamRetryDelayMs: 200,
      log: (source, line) => logs.push({ source, line }),
    });
    apiUrl = runner.httpApis[0]?.url ?? '';
  });

  afterAll(async () => {
    await runner?.stop();
    await cloud?.stop();
  });

  it('serves HTTP API routes with payload 2.0 events and a real context', async () => {
    expect(apiUrl).toBe(deployment.lambda.httpApis[0]?.endpoint);
    const response = await fetch(`${apiUrl}/items/42?view=full`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('apigw-requestid')).toBeTruthy();
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      id: '42',
      query: { view: 'full' },
      rawPath: '/items/42',
      functionName: functionNamed('Api'),
    });
    expect(body.remainingMs).toBeGreaterThan(0);
    expect(body.remainingMs).toBeLessThanOrEqual(2000);
  });

  it('answers 404 like API Gateway for unknown routes and methods', async () => {
    for (const [method, path] of [
      ['GET', '/nowhere'],
      ['DELETE', '/items/1'],
    ] as const) {
      const response = await fetch(`${apiUrl}${path}`, { method });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: 'Not Found' });
    }
  });

  it('enforces the function timeout: the invocation fails and the next one gets a fresh environment', async () => {
    const slow = await fetch(`${apiUrl}/slow`);
    expect(slow.status).toBe(500);
    expect(await slow.json()).toEqual({ message: 'Internal Server Error' });
    expect(logs.some(({ line }) => line.includes('Task timed out after 2.00 seconds'))).toBe(true);
    expect((await fetch(`${apiUrl}/items/after-timeout`)).status).toBe(200);

    const direct = await runner.invoke(functionNamed('Consumer'), {
      Records: [
        {
          messageId: 'm-sleep',
          body: JSON.stringify({ id: 'sleepy', mode: 'sleep' }),
          attributes: { ApproximateReceiveCount: '1' },
        },
      ],
    });
    expect(direct).toMatchObject({ ok: false, timedOut: true, error: { errorType: 'Sandbox.Timedout' } });
  });

  it('processes SQS batches: with a partial batch failure only the failed message returns', async () => {
    await cloud.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl('Inbox'),
        Entries: [
          { Id: '1', MessageBody: JSON.stringify({ id: 'ok-1', mode: 'ok' }) },
          { Id: '2', MessageBody: JSON.stringify({ id: 'ok-2', mode: 'ok' }) },
          { Id: '3', MessageBody: JSON.stringify({ id: 'retry-1', mode: 'fail-once' }) },
        ],
      }),
    );
    await eventually('the failed message to return', async () =>
      (await attempts('retry-1')) === 2 ? true : undefined,
    );
    const second = await result('sqs#retry-1');
    expect(second?.receiveCount?.N).toBe('2');
    // The visibility timeout (3 s) has passed since the first receive: successes would have come back by now.
    expect(await attempts('ok-1')).toBe(1);
    expect(await attempts('ok-2')).toBe(1);
    const consumerLogs = logs.filter(({ source }) => source === functionNamed('Consumer'));
    expect(consumerLogs.some(({ line }) => /\tINFO\tprocessing ok-1 \(ok\) attempt 1$/.test(line))).toBe(
      true,
    );
  });

  it('moves a poison message to the DLQ after maxReceiveCount receives', async () => {
    await cloud.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl('Inbox'),
        MessageBody: JSON.stringify({ id: 'poison', mode: 'fail' }),
      }),
    );
    const dead = await eventually('the poison message in the DLQ', () => receiveOne('InboxDlq'));
    expect(JSON.parse(dead.Body ?? '{}')).toEqual({ id: 'poison', mode: 'fail' });
    expect(await attempts('poison')).toBe(2);
  });

  it('invokes the stream function for inserted items only (filter criteria)', async () => {
    const table = findResource(deployment, STORAGE, 'Items').physicalId;
    const created = await fetch(`${apiUrl}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pk: 's-1' }),
    });
    expect(created.status).toBe(201);
    await cloud.clients.dynamodb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: { S: 's-1' } },
        UpdateExpression: 'SET touched = :t',
        ExpressionAttributeValues: { ':t': { BOOL: true } },
      }),
    );
    await putItem('s-2');
    await eventually('the projection of s-2', () => result('stream#s-2'));
    // Records of a shard are processed in order: had the MODIFY of s-1 passed the filter, it would show by now.
    expect((await result('stream#s-1'))?.eventName?.S).toBe('INSERT');
  });

  it('bisects a failing stream batch and sends the failure record to the on-failure queue', async () => {
    await putItem('good-1');
    await putItem('bad', true);
    await putItem('good-2');
    const message = await eventually('the on-failure record', () => receiveOne('StreamFailures'));
    const record = JSON.parse(message.Body ?? '{}') as Record<string, Record<string, unknown>>;
    expect(record.requestContext).toMatchObject({
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 2,
      functionArn: deployment.lambda.functions.find((fn) => fn.logicalId.startsWith('Projector'))
        ?.functionArn,
    });
    expect(record.DDBStreamBatchInfo).toMatchObject({
      batchSize: 1,
      streamArn: findResource(deployment, STORAGE, 'Items').attributes.StreamArn,
    });
    await eventually('the projection of good-2', () => result('stream#good-2'));
    expect(await result('stream#good-1')).toBeDefined();
    expect(await result('stream#bad')).toBeUndefined();
  });

  it('retries failed asynchronous invocations, then sends the failure record to the on-failure destination', async () => {
    const event = {
      Records: [
        {
          messageId: 'm-async',
          body: JSON.stringify({ id: 'async-crash', mode: 'crash' }),
          attributes: { ApproximateReceiveCount: '1' },
        },
      ],
    };
    const { requestId } = runner.invokeAsync(functionNamed('Consumer'), event);
    const message = await eventually('the async failure record', () => receiveOne('AsyncFailures'));
    const record = JSON.parse(message.Body ?? '{}') as Record<string, Record<string, unknown>>;
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: { requestId, condition: 'RetriesExhausted', approximateInvokeCount: 2 },
      requestPayload: event,
      responseContext: { statusCode: 200, functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'crash requested by async-crash' },
    });
    expect(await attempts('async-crash')).toBe(2);
  });

  it('answers the AWS SDK Invoke operation through the edge adapter', async () => {
    const server = createServer(lambdaInvokeListener(runner));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const lambda = new LambdaClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const payload = (bytes: Uint8Array | undefined) =>
      JSON.parse(Buffer.from(bytes ?? []).toString('utf8')) as unknown;
    try {
      const answer = await lambda.send(
        new InvokeCommand({
          FunctionName: functionNamed('Api'),
          Payload: JSON.stringify({ pathParameters: { id: '9' } }),
        }),
      );
      expect(answer).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST' });
      expect(answer.FunctionError).toBeUndefined();
      expect(payload(answer.Payload)).toMatchObject({ id: '9' });

      const consumerArn = deployment.lambda.functions.find((fn) =>
        fn.logicalId.startsWith('Consumer'),
      )?.functionArn;
      const crash = { messageId: 'm-sdk', body: JSON.stringify({ id: 'sdk-crash', mode: 'crash' }) };
      const failed = await lambda.send(
        new InvokeCommand({
          FunctionName: consumerArn,
          Payload: JSON.stringify({ Records: [{ ...crash, attributes: { ApproximateReceiveCount: '1' } }] }),
        }),
      );
      expect(failed.FunctionError).toBe('Unhandled');
      expect(payload(failed.Payload)).toMatchObject({
        errorType: 'Error',
        errorMessage: 'crash requested by sdk-crash',
      });

      const queued = await lambda.send(
        new InvokeCommand({ FunctionName: functionNamed('Api'), InvocationType: 'Event', Payload: '{}' }),
      );
      expect(queued.StatusCode).toBe(202);
      await expect(lambda.send(new InvokeCommand({ FunctionName: 'missing' }))).rejects.toBeInstanceOf(
        ResourceNotFoundException,
      );
    } finally {
      lambda.destroy();
      server.close();
    }
  });

  it('stops every poller, HTTP front and execution environment', async () => {
    const bootstraps = () =>
      execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes('bootstrap.ts'));
    expect(bootstraps().length).toBeGreaterThan(0);
    await runner.stop();
    expect(bootstraps()).toEqual([]);
    await expect(fetch(`${apiUrl}/items/1`)).rejects.toThrow();
  });
});
