import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { BreakwaterError } from '../errors';
import { AmbiguousNameError, circuitCatalog, didYouMean, matchName } from './names';

type Env = Readonly<Record<string, string | undefined>>;

/** The stack output naming the breaker table. */
export const BREAKER_TABLE_OUTPUT = 'BreakerTableName';

/** A circuit neither the breaker table nor the stack outputs know (a typo would otherwise read as a healthy CLOSED). */
export class UnknownCircuitError extends BreakwaterError {
  public readonly circuitId: string;

  public constructor(circuitId: string, hint: string) {
    super(`unknown circuit: ${circuitId}${hint}`);
    this.name = 'UnknownCircuitError';
    this.circuitId = circuitId;
  }
}

/** The breaker table: `--table`, else BREAKER_TABLE_NAME, else the `BreakerTableName` stack output. */
export const resolveBreakerTable = async (
  explicit: string | undefined,
  outputs: () => Promise<Readonly<Record<string, string>>>,
  env: Env = process.env,
): Promise<string | undefined> => {
  const given = explicit ?? env.BREAKER_TABLE_NAME?.trim();
  if (given) return given;
  return (await outputs())[BREAKER_TABLE_OUTPUT];
};

/** Every circuit id with an item in the breaker table (a Scan of the partition keys, all pages). */
export const scanCircuitIds = async (dynamodb: DynamoDBClient, tableName: string): Promise<string[]> => {
  const ids: string[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({
        TableName: tableName,
        ProjectionExpression: '#pk',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
    );
    for (const item of page.Items ?? []) if (item.pk?.S !== undefined) ids.push(item.pk.S);
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return ids;
};

/** The circuits an operator can name: those in the table and those the stack outputs declare. Pure. */
export interface KnownCircuits {
  readonly inTable: readonly string[];
  readonly outputs: Readonly<Record<string, string>>;
}

/** Every known circuit id, sorted, once each. Pure. */
export const knownCircuitIds = (known: KnownCircuits): string[] =>
  [...new Set([...known.inTable, ...circuitCatalog(known.outputs).map((entry) => entry.id)])].sort();

/**
 * The circuit id an operator means: an id the table or the outputs know, else a stack-output name
 * (`PaymentGatewayCircuitId`, `PaymentGateway`). Throws `UnknownCircuitError` with the closest names. Pure.
 */
export const resolveCircuitName = (reference: string, known: KnownCircuits): string => {
  const ids = knownCircuitIds(known);
  if (ids.includes(reference)) return reference;
  const named = matchName(circuitCatalog(known.outputs), reference);
  if (named.length > 1)
    throw new AmbiguousNameError(
      'circuit',
      reference,
      named.map((entry) => entry.label),
    );
  if (named[0] !== undefined) return named[0].id;
  throw new UnknownCircuitError(reference, didYouMean(ids, reference));
};
