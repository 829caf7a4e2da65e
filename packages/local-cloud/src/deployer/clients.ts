import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';

/** Endpoints of the local cloud: one edge URL for all services, or one per service (which wins). */
export interface LocalEndpoints {
  readonly edge?: string;
  readonly sqs?: string;
  readonly dynamodb?: string;
  /** Defaults to the DynamoDB endpoint (DynamoDB Local serves both APIs). */
  readonly dynamodbStreams?: string;
  readonly eventBridge?: string;
  readonly secretsManager?: string;
  readonly ssm?: string;
  readonly sns?: string;
  readonly cloudWatch?: string;
  readonly logs?: string;
}

/** SDK clients for every service that has an endpoint. */
export interface LocalClients {
  readonly sqs?: SQSClient;
  readonly dynamodb?: DynamoDBClient;
  readonly dynamodbStreams?: DynamoDBStreamsClient;
  readonly eventBridge?: EventBridgeClient;
  readonly secretsManager?: SecretsManagerClient;
  readonly ssm?: SSMClient;
  readonly sns?: SNSClient;
  readonly cloudWatch?: CloudWatchClient;
  readonly logs?: CloudWatchLogsClient;
}

/**
 * Creates SDK clients pointed at the local cloud, with fake credentials (the local services do not check
 * signatures). A service without an endpoint gets no client.
 */
export const createLocalClients = (endpoints: LocalEndpoints, region = 'us-east-1'): LocalClients => {
  const config = (endpoint: string | undefined) =>
    endpoint === undefined
      ? undefined
      : { endpoint, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const sqs = config(endpoints.sqs ?? endpoints.edge);
  const dynamodb = config(endpoints.dynamodb ?? endpoints.edge);
  const streams = config(endpoints.dynamodbStreams ?? endpoints.dynamodb ?? endpoints.edge);
  const events = config(endpoints.eventBridge ?? endpoints.edge);
  const secrets = config(endpoints.secretsManager ?? endpoints.edge);
  const ssm = config(endpoints.ssm ?? endpoints.edge);
  const sns = config(endpoints.sns ?? endpoints.edge);
  const cloudWatch = config(endpoints.cloudWatch ?? endpoints.edge);
  const logs = config(endpoints.logs ?? endpoints.edge);
  return {
    ...(sqs === undefined ? {} : { sqs: new SQSClient(sqs) }),
    ...(dynamodb === undefined ? {} : { dynamodb: new DynamoDBClient(dynamodb) }),
    ...(streams === undefined ? {} : { dynamodbStreams: new DynamoDBStreamsClient(streams) }),
    ...(events === undefined ? {} : { eventBridge: new EventBridgeClient(events) }),
    ...(secrets === undefined ? {} : { secretsManager: new SecretsManagerClient(secrets) }),
    ...(ssm === undefined ? {} : { ssm: new SSMClient(ssm) }),
    ...(sns === undefined ? {} : { sns: new SNSClient(sns) }),
    ...(cloudWatch === undefined ? {} : { cloudWatch: new CloudWatchClient(cloudWatch) }),
    ...(logs === undefined ? {} : { logs: new CloudWatchLogsClient(logs) }),
  };
};

/** Releases the sockets of every client. */
export const destroyLocalClients = (clients: LocalClients): void => {
  for (const client of Object.values(clients)) (client as { destroy(): void } | undefined)?.destroy();
};
