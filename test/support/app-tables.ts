import { CreateTableCommand, type DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import type { BreakwaterStacks } from '../../infra/breakwater';
import { createTableInput } from '../../packages/local-cloud/src/deployer/provisioners/dynamodb';
import { synthBreakwater } from '../infra/support/synth';

type Templates = ReturnType<typeof synthBreakwater>['templates'];

let templates: Templates | undefined;

/** The app's templates, synthesized once per test file without bundling; the assembly is removed at once. */
const appTemplates = (): Templates => {
  if (templates === undefined) {
    const synth = synthBreakwater();
    try {
      templates = synth.templates;
    } finally {
      synth.cleanup();
    }
  }
  return templates;
};

/** A table of the app by stack and construct id (`OrdersTable`), as its synthesized template declares it. */
export const appTableProperties = (
  stack: keyof BreakwaterStacks,
  constructId: string,
): Readonly<Record<string, unknown>> => {
  const tables = Object.entries(appTemplates()[stack].findResources('AWS::DynamoDB::Table')).filter(
    ([logicalId]) => logicalId.startsWith(constructId),
  );
  if (tables.length !== 1) {
    throw new Error(`expected one table ${constructId} in the ${stack} stack, found ${tables.length}`);
  }
  return (tables[0]![1] as { Properties: Readonly<Record<string, unknown>> }).Properties;
};

/**
 * Creates, under `tableName`, a table of the app as its synthesized template declares it (keys, indexes, stream,
 * TTL), the way the local cloud deploys it: tests use the app's tables, never hand-made twins of them.
 */
export const createAppTable = async (
  client: DynamoDBClient,
  {
    stack,
    constructId,
    tableName,
  }: { stack: keyof BreakwaterStacks; constructId: string; tableName: string },
  overrides: Readonly<Record<string, unknown>> = {},
): Promise<void> => {
  const properties = { ...appTableProperties(stack, constructId), ...overrides };
  await client.send(new CreateTableCommand(createTableInput(tableName, properties)));
  const ttl = properties.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
  if (ttl?.Enabled === true && ttl.AttributeName !== undefined) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: true },
      }),
    );
  }
};
