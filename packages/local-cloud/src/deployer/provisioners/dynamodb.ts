import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { generatedName, localArn } from '../naming.js';
import { listOf, optionalString, type Properties, recordOf } from '../properties.js';
import type { Provisioner } from './provisioner.js';

type Index = { IndexName?: string; KeySchema?: unknown; Projection?: unknown };

const indexes = (properties: Properties, key: string, provisioned: boolean) =>
  listOf(properties, key).map((raw) => {
    const index = raw as Index & { ProvisionedThroughput?: unknown };
    return {
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection,
      ...(provisioned
        ? {
            ProvisionedThroughput: index.ProvisionedThroughput ?? {
              ReadCapacityUnits: 5,
              WriteCapacityUnits: 5,
            },
          }
        : {}),
    };
  });

/** CreateTable input from `AWS::DynamoDB::Table` or `AWS::DynamoDB::GlobalTable` (one replica: ours). */
export const createTableInput = (tableName: string, properties: Properties): CreateTableCommandInput => {
  const provisioned = optionalString(properties, 'BillingMode') === 'PROVISIONED';
  const stream = recordOf(properties, 'StreamSpecification');
  const gsis = indexes(properties, 'GlobalSecondaryIndexes', provisioned);
  const lsis = indexes(properties, 'LocalSecondaryIndexes', false).map(
    ({ IndexName, KeySchema, Projection }) => ({
      IndexName,
      KeySchema,
      Projection,
    }),
  );
  return {
    TableName: tableName,
    KeySchema: properties.KeySchema,
    AttributeDefinitions: properties.AttributeDefinitions,
    BillingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
    ...(provisioned
      ? {
          ProvisionedThroughput: properties.ProvisionedThroughput ?? {
            ReadCapacityUnits: 5,
            WriteCapacityUnits: 5,
          },
        }
      : {}),
    ...(gsis.length > 0 ? { GlobalSecondaryIndexes: gsis } : {}),
    ...(lsis.length > 0 ? { LocalSecondaryIndexes: lsis } : {}),
    ...(stream.StreamViewType === undefined
      ? {}
      : { StreamSpecification: { StreamEnabled: true, StreamViewType: stream.StreamViewType } }),
  } as CreateTableCommandInput;
};

/** The parts of a table that cannot change in place: same signature → reuse the table and its data. */
interface TableShape {
  readonly KeySchema?: unknown;
  readonly AttributeDefinitions?: unknown;
  readonly GlobalSecondaryIndexes?: unknown;
  readonly LocalSecondaryIndexes?: unknown;
  readonly StreamSpecification?: { readonly StreamViewType?: string };
}

const signature = (table: TableShape): string => {
  const sorted = (items: unknown) =>
    JSON.stringify(
      ((items as Array<Record<string, unknown>> | undefined) ?? [])
        .map((item) =>
          JSON.stringify({
            n: item.IndexName,
            k: item.KeySchema,
            a: item.AttributeName,
            t: item.AttributeType ?? item.KeyType,
          }),
        )
        .sort(),
    );
  return [
    table.KeySchema,
    table.AttributeDefinitions,
    table.GlobalSecondaryIndexes,
    table.LocalSecondaryIndexes,
  ]
    .map(sorted)
    .concat(table.StreamSpecification?.StreamViewType ?? 'none')
    .join('|');
};

const describe = async (
  dynamodb: DynamoDBClient,
  tableName: string,
): Promise<TableDescription | undefined> => {
  try {
    return (await dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
};

/**
 * `AWS::DynamoDB::Table` and `AWS::DynamoDB::GlobalTable`: CreateTable with keys, indexes and stream, then
 * UpdateTimeToLive. A re-deploy keeps a table whose keys, indexes and stream are unchanged (and its data); a changed
 * one is deleted and created again. Not emulated: PITR, SSE settings, replicas, Kinesis streaming, contributor
 * insights. Ref = table name; GetAtt Arn, StreamArn (in the deployment's region; the runner maps it to the engine's).
 */
export const provisionTable: Provisioner = async ({ stackName, logicalId, properties }, context) => {
  const dynamodb = context.client('dynamodb', 'AWS::DynamoDB::Table');
  const tableName = optionalString(properties, 'TableName') ?? generatedName(stackName, logicalId, 255);
  const input = createTableInput(tableName, properties);
  let table = await describe(dynamodb, tableName);
  if (table !== undefined && signature(table) !== signature(input)) {
    context.warn(`table ${tableName} changed keys, indexes or stream: recreated (its items are gone)`);
    await dynamodb.send(new DeleteTableCommand({ TableName: tableName }));
    await waitUntilTableNotExists({ client: dynamodb, maxWaitTime: 60 }, { TableName: tableName });
    table = undefined;
  }
  if (table === undefined) {
    await dynamodb.send(new CreateTableCommand(input));
    await waitUntilTableExists({ client: dynamodb, maxWaitTime: 60 }, { TableName: tableName });
    table = await describe(dynamodb, tableName);
  }
  const ttl = recordOf(properties, 'TimeToLiveSpecification');
  if (ttl.Enabled === true && typeof ttl.AttributeName === 'string') {
    try {
      await dynamodb.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: true },
        }),
      );
    } catch (error) {
      // Already enabled on a reused table: DynamoDB refuses to enable it twice.
      if (!(error instanceof Error && /already enabled/i.test(error.message))) throw error;
    }
  }
  const arn = localArn(context.environment, 'dynamodb', `table/${tableName}`);
  const streamLabel = table?.LatestStreamArn?.split('/stream/')[1];
  return {
    physicalId: tableName,
    attributes: {
      Arn: arn,
      TableId: table?.TableId ?? tableName,
      ...(streamLabel === undefined ? {} : { StreamArn: `${arn}/stream/${streamLabel}` }),
    },
  };
};
