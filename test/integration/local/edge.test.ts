import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  GetParameterCommand,
  GetParametersByPathCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreServices, startCoreServices } from '../../../packages/local-cloud/src/cloud/core-services';

let core: CoreServices;
let sqs: SQSClient;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const config = () => ({ endpoint: core.endpoints.edge, region: 'us-east-1', credentials });

beforeAll(async () => {
  core = await startCoreServices({ edgePort: 0 });
  sqs = new SQSClient(config());
});
afterAll(async () => {
  sqs?.destroy();
  await core?.stop();
});

describe('SQS through the edge', () => {
  it('hands out queue URLs on the edge, so a client configured by AWS_ENDPOINT_URL alone works', async () => {
    const previous = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = core.endpoints.edge;
    // No endpoint option: the SDK takes AWS_ENDPOINT_URL, then sends each call to the origin of its QueueUrl.
    const plain = new SQSClient({ region: 'us-east-1', credentials });
    try {
      const { QueueUrl } = await plain.send(new CreateQueueCommand({ QueueName: 'env-configured' }));
      expect(QueueUrl).toBe(`${core.endpoints.edge}/000000000000/env-configured`);
      await plain.send(
        new SendMessageCommand({
          QueueUrl,
          MessageBody: '{"hello":"edge"}',
          MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' } },
        }),
      );
      const { Messages = [] } = await plain.send(
        new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'] }),
      );
      expect(Messages).toHaveLength(1);
      expect(Messages[0]).toMatchObject({
        Body: '{"hello":"edge"}',
        MessageAttributes: { kind: { StringValue: 'greeting' } },
      });
      await plain.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages[0]?.ReceiptHandle }));
    } finally {
      plain.destroy();
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = previous;
    }
  });
});

describe('DynamoDB through the edge', () => {
  it('creates a table with a stream, puts, gets and scans items', async () => {
    const dynamodb = new DynamoDBClient(config());
    const streams = new DynamoDBStreamsClient(config());
    try {
      await dynamodb.send(
        new CreateTableCommand({
          TableName: 'orders',
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
        }),
      );
      await dynamodb.send(
        new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'o-1' }, status: { S: 'PAID' } } }),
      );
      const { Item } = await dynamodb.send(
        new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'o-1' } } }),
      );
      expect(Item).toEqual({ pk: { S: 'o-1' }, status: { S: 'PAID' } });
      const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: 'orders' }));
      expect(Items).toHaveLength(1);
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: 'orders' }));
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({ StreamArn: Table?.LatestStreamArn }),
      );
      expect(StreamDescription?.StreamViewType).toBe('NEW_IMAGE');
    } finally {
      dynamodb.destroy();
      streams.destroy();
    }
  });
});

describe('Secrets Manager and SSM through the edge', () => {
  it('stores and reads a secret and parameters', async () => {
    const secrets = new SecretsManagerClient(config());
    const ssm = new SSMClient(config());
    try {
      await secrets.send(
        new CreateSecretCommand({ Name: 'breakwater/redis', SecretString: '{"url":"http://r","token":"t"}' }),
      );
      const secret = await secrets.send(new GetSecretValueCommand({ SecretId: 'breakwater/redis' }));
      expect(JSON.parse(secret.SecretString ?? '{}')).toEqual({ url: 'http://r', token: 't' });
      await expect(secrets.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
      await ssm.send(
        new PutParameterCommand({ Name: '/breakwater/api-key', Value: 'k-1', Type: 'SecureString' }),
      );
      await ssm.send(new PutParameterCommand({ Name: '/breakwater/stage', Value: 'local', Type: 'String' }));
      const { Parameter } = await ssm.send(
        new GetParameterCommand({ Name: '/breakwater/api-key', WithDecryption: true }),
      );
      expect(Parameter?.Value).toBe('k-1');
      const { Parameters = [] } = await ssm.send(new GetParametersByPathCommand({ Path: '/breakwater' }));
      expect(Parameters.map((p) => p.Name)).toEqual(['/breakwater/api-key', '/breakwater/stage']);
      await expect(ssm.send(new GetParameterCommand({ Name: '/nope' }))).rejects.toMatchObject({
        name: 'ParameterNotFound',
      });
    } finally {
      secrets.destroy();
      ssm.destroy();
    }
  });
});

describe('AWS-shaped errors at the edge', () => {
  const post = (target: string, body: string, contentType = 'application/x-amz-json-1.1') =>
    fetch(`${core.endpoints.edge}/`, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-amz-target': target },
      body,
    });

  it('answers malformed JSON with SerializationException, for our services and for SQS', async () => {
    for (const [target, type] of [
      ['secretsmanager.GetSecretValue', 'application/x-amz-json-1.1'],
      ['AmazonSSM.GetParameter', 'application/x-amz-json-1.1'],
      ['AmazonSQS.SendMessage', 'application/x-amz-json-1.0'],
    ] as const) {
      const response = await post(target, '{"SecretId":', type);
      expect(response.status).toBe(400);
      // Namespaced or not (AWS's SQS answers com.amazon.coral.service#SerializationException): SDKs strip it.
      expect(((await response.json()) as { __type: string }).__type).toMatch(/(^|#)SerializationException$/);
    }
  });

  it('answers unknown actions and services, and missing parameters', async () => {
    const unknownAction = await post('secretsmanager.MakeCoffee', '{}');
    expect(unknownAction.status).toBe(400);
    expect(await unknownAction.json()).toMatchObject({ __type: 'UnknownOperationException' });
    const unknownService = await post('Kinesis_20131202.PutRecord', '{}');
    expect(unknownService.status).toBe(400);
    expect(await unknownService.json()).toMatchObject({ __type: 'UnknownOperationException' });
    const missing = await post('secretsmanager.GetSecretValue', '{}');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ __type: 'ValidationException' });
    const missingQueue = await post('AmazonSQS.StartMessageMoveTask', '{}', 'application/x-amz-json-1.0');
    expect(missingQueue.status).toBe(400);
    expect(missingQueue.headers.get('x-amzn-query-error')).toBe('MissingParameter;Sender');
    const query = await fetch(`${core.endpoints.edge}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=LaunchRockets',
    });
    expect(query.status).toBe(400);
    expect(await query.text()).toContain('<Code>InvalidAction</Code>');
  });

  it('stays up and reports every backend healthy', async () => {
    const response = await fetch(`${core.endpoints.edge}/_breakwater/health`);
    expect(response.status).toBe(200);
    const health = (await response.json()) as {
      status: string;
      backends: { name: string; healthy: boolean }[];
    };
    expect(health.status).toBe('ok');
    expect(health.backends.map((b) => b.name).sort()).toEqual([
      'cloudwatch',
      'dynamodb',
      'logs',
      'secretsmanager',
      'sns',
      'sqs',
      'ssm',
      'sts',
    ]);
  });
});
