import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, ListQueuesCommand, ListQueueTagsCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deployLocal,
  findResource,
  type LocalDeployment,
  stackOutput,
} from '../../../packages/local-cloud/src/deployer';
import type {
  SqsEventSourceMapping,
  StreamEventSourceMapping,
} from '../../../packages/local-cloud/src/lambda';
import { type FixtureCloud, startFixtureCloud } from './support/fixture-cloud';

const STORAGE = 'LocalAppStorage';
const COMPUTE = 'LocalAppCompute';

describe('local deployer (fixture app → fauxqs, DynamoDB Local, recorded EventBridge/Secrets Manager/SSM)', () => {
  let cloud: FixtureCloud;
  let deployment: LocalDeployment;
  const logLines: string[] = [];

  const deploy = (previous?: LocalDeployment) =>
    deployLocal({
      assemblyDirectory: cloud.assemblyDirectory,
      clients: cloud.clients,
      secretValues: { Upstream: { url: 'http://127.0.0.1:9999', apiKey: 'local-key' } },
      parameterValues: { '/local-app/greeting': 'hello, local' },
      previous,
      log: (line) => logLines.push(line),
    });
  const attribute = (stack: string, logicalId: string, name: string) =>
    String(findResource(deployment, stack, logicalId).attributes[name]);
  const calls = (action: string) => cloud.recording.calls.filter((call) => call.action === action);

  beforeAll(async () => {
    cloud = await startFixtureCloud();
    deployment = await deploy();
  });

  afterAll(async () => {
    await cloud?.stop();
  });

  it('deploys the stacks in dependency order and resolves their outputs', () => {
    expect(deployment.stacks.map((stack) => stack.stackName)).toEqual([STORAGE, COMPUTE]);
    expect(stackOutput(deployment, STORAGE, 'InboxUrl')).toBe(
      findResource(deployment, STORAGE, 'Inbox').physicalId,
    );
    expect(stackOutput(deployment, COMPUTE, 'ApiUrl')).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stackOutput(deployment, COMPUTE, 'ApiStageUrl')).toBe(
      `${stackOutput(deployment, COMPUTE, 'ApiUrl')}/`,
    );
    expect(stackOutput(deployment, COMPUTE, 'ConsumerName')).toMatch(/^LocalAppCompute-Consumer/);
    expect(Object.values(deployment.exports)).toContain(attribute(STORAGE, 'Items', 'StreamArn'));
  });

  it('creates queues with their attributes and the redrive policy pointing at the DLQ ARN', async () => {
    const inbox = findResource(deployment, STORAGE, 'Inbox', 'AWS::SQS::Queue');
    const { Attributes } = await cloud.clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: inbox.physicalId, AttributeNames: ['All'] }),
    );
    expect(Attributes?.VisibilityTimeout).toBe('3');
    expect(Attributes?.MessageRetentionPeriod).toBe('345600');
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: attribute(STORAGE, 'InboxDlq', 'Arn'),
      maxReceiveCount: 2,
    });
    expect(inbox.attributes.Arn).toMatch(/^arn:aws:sqs:us-east-1:000000000000:LocalAppStorage-Inbox/);
    // Path style at the deployer's endpoint, so that SDK clients configured with AWS_ENDPOINT_URL alone reach it.
    expect(inbox.physicalId).toBe(
      `${cloud.fauxqs.address}/000000000000/${String(inbox.attributes.QueueName)}`,
    );
  });

  it('keeps the template’s queue tags (the DLQ tool finds DLQs by them)', async () => {
    const dlqUrl = findResource(deployment, STORAGE, 'InboxDlq', 'AWS::SQS::Queue').physicalId;
    const { Tags } = await cloud.clients.sqs.send(new ListQueueTagsCommand({ QueueUrl: dlqUrl }));
    expect(Tags).toMatchObject({ 'breakwater:role': 'dlq' });
  });

  it('creates tables with keys, indexes, stream and TTL', async () => {
    const tableName = findResource(deployment, STORAGE, 'Items').physicalId;
    const { Table } = await cloud.clients.dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byKind']);
    expect(Table?.StreamSpecification).toMatchObject({
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
    const ttl = await cloud.clients.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: 'expiresAt',
      TimeToLiveStatus: 'ENABLED',
    });
    const label = Table?.LatestStreamArn?.split('/stream/')[1];
    expect(attribute(STORAGE, 'Items', 'StreamArn')).toBe(
      `arn:aws:dynamodb:us-east-1:000000000000:table/${tableName}/stream/${label}`,
    );
  });

  it('creates the bus, the rule with its resolved target settings, and the archive', () => {
    expect(calls('CreateEventBus')[0]?.input).toMatchObject({ Name: 'local-app-bus' });
    expect(JSON.parse(String(calls('PutRule')[0]?.input.EventPattern))).toEqual({
      source: ['local.app'],
      'detail-type': ['item.requested'],
    });
    expect(calls('PutTargets')[0]?.input).toMatchObject({
      EventBusName: 'local-app-bus',
      Targets: [
        {
          Id: 'Target0',
          Arn: attribute(STORAGE, 'Inbox', 'Arn'),
          DeadLetterConfig: { Arn: attribute(STORAGE, 'TargetDlq', 'Arn') },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
          InputTransformer: {
            InputPathsMap: { 'detail-id': '$.detail.id' },
            InputTemplate: '{"id":<detail-id>,"mode":"ok"}',
          },
        },
      ],
    });
    expect(calls('CreateArchive')[0]?.input).toMatchObject({
      EventSourceArn: attribute(STORAGE, 'Bus', 'Arn'),
      RetentionDays: 1,
      Description: 'Event Archive for local-app-bus Event Bus',
    });
  });

  it('writes overridden and generated secret values, and parameters', () => {
    expect(cloud.recording.secrets.get('local-app/upstream')).toBe(
      '{"url":"http://127.0.0.1:9999","apiKey":"local-key"}',
    );
    const tokenSecret = [...cloud.recording.secrets.entries()].find(([name]) => name.startsWith('ApiToken'));
    const generated = JSON.parse(tokenSecret?.[1] ?? '{}') as { user?: string; token?: string };
    expect(generated.user).toBe('local');
    expect(generated.token).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(findResource(deployment, STORAGE, 'ApiToken').physicalId).toMatch(
      /^arn:aws:secretsmanager:us-east-1:/,
    );
    expect(calls('PutParameter')[0]?.input).toMatchObject({
      Name: '/local-app/greeting',
      Value: 'hello, local',
      Overwrite: true,
    });
  });

  it('registers functions with their bundles, resolved environment and timeouts', () => {
    const consumer = deployment.lambda.functions.find((fn) => fn.logicalId.startsWith('Consumer'));
    expect(consumer).toMatchObject({
      runtime: 'nodejs24.x',
      handler: 'index.handler',
      timeoutSeconds: 2,
      functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${stackOutput(deployment, COMPUTE, 'ConsumerName')}`,
      environment: {
        RESULTS_TABLE: findResource(deployment, STORAGE, 'Results').physicalId,
        ITEMS_TABLE: findResource(deployment, STORAGE, 'Items').physicalId,
      },
    });
    expect(existsSync(join(consumer?.codeDirectory ?? '', 'index.mjs'))).toBe(true);
    expect(deployment.lambda.functions).toHaveLength(3);
    expect(deployment.lambda.asyncInvokeConfigs).toEqual([
      {
        functionName: consumer?.functionName,
        maximumRetryAttempts: 1,
        maximumEventAgeSeconds: 21_600,
        onFailureDestinationArn: attribute(STORAGE, 'AsyncFailures', 'Arn'),
      },
    ]);
  });

  it('registers the SQS and stream event source mappings with their settings', () => {
    const sqs = deployment.lambda.eventSourceMappings.find(
      (m): m is SqsEventSourceMapping => m.kind === 'sqs',
    );
    expect(sqs).toMatchObject({
      eventSourceArn: attribute(STORAGE, 'Inbox', 'Arn'),
      batchSize: 5,
      maximumBatchingWindowSeconds: 1,
      reportBatchItemFailures: true,
      maximumConcurrency: 2,
      enabled: true,
    });
    const stream = deployment.lambda.eventSourceMappings.find(
      (m): m is StreamEventSourceMapping => m.kind === 'dynamodb-stream',
    );
    expect(stream).toMatchObject({
      eventSourceArn: attribute(STORAGE, 'Items', 'StreamArn'),
      startingPosition: 'TRIM_HORIZON',
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 1,
      onFailureDestinationArn: attribute(STORAGE, 'StreamFailures', 'Arn'),
      filterPatterns: ['{"eventName":["INSERT"]}'],
    });
  });

  it('registers the HTTP API with its routes and the port of its endpoint', () => {
    const [api] = deployment.lambda.httpApis;
    const apiFunction = deployment.lambda.functions.find((fn) => fn.logicalId.startsWith('Api'));
    expect(api?.endpoint).toBe(stackOutput(deployment, COMPUTE, 'ApiUrl'));
    expect(api?.stages).toEqual(['$default']);
    expect(api?.routes.map((route) => route.routeKey).sort()).toEqual([
      'GET /items/{id}',
      'GET /slow',
      'POST /items',
    ]);
    expect(api?.routes.every((route) => route.functionName === apiFunction?.functionName)).toBe(true);
    expect(api?.routes[0]).toMatchObject({
      payloadFormatVersion: '2.0',
      authorizationType: 'NONE',
      integrationTimeoutMs: 30_000,
    });
  });

  it('lists the resource types it does not emulate, with counts, in the result and the log', () => {
    const counts = Object.fromEntries(deployment.notEmulated.map((entry) => [entry.type, entry.count]));
    expect(counts).toEqual({
      'AWS::CloudWatch::Alarm': 1,
      'AWS::IAM::Policy': 3,
      'AWS::IAM::Role': 3,
      'AWS::Lambda::Permission': 3,
      'AWS::SQS::QueuePolicy': 2,
    });
    expect(logLines).toContain('not emulated: AWS::IAM::Role ×3 (IAM is not enforced locally)');
    const role = findResource(deployment, COMPUTE, 'ConsumerServiceRole', 'AWS::IAM::Role');
    expect(role).toMatchObject({ emulated: false });
    expect(role.attributes.Arn).toMatch(/^arn:aws:iam::000000000000:role\//);
  });

  it('re-deploys idempotently: same names and URLs, queues and table data kept', async () => {
    const results = findResource(deployment, STORAGE, 'Results').physicalId;
    await cloud.clients.dynamodb.send(
      new PutItemCommand({ TableName: results, Item: { pk: { S: 'kept' } } }),
    );
    const queuesBefore = (await cloud.clients.sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [];

    const again = await deploy(deployment);

    expect(again.stacks.map((stack) => stack.outputs)).toEqual(
      deployment.stacks.map((stack) => stack.outputs),
    );
    expect((await cloud.clients.sqs.send(new ListQueuesCommand({}))).QueueUrls?.sort()).toEqual(
      [...queuesBefore].sort(),
    );
    const kept = await cloud.clients.dynamodb.send(
      new GetItemCommand({ TableName: results, Key: { pk: { S: 'kept' } } }),
    );
    expect(kept.Item).toBeDefined();
    expect(calls('UpdateArchive')).toHaveLength(1);
    expect(calls('PutSecretValue').map((call) => call.input.SecretId)).toEqual(['local-app/upstream']);
  });
});
