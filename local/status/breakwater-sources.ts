import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbCircuitStore } from '@breakwater/circuit-breaker/dynamodb';
import type { CircuitReading, GatewayReading, StatusSources } from '@breakwater/local-cloud';
import type { GatewayAdminClient } from '../gateway';

/** What Breakwater's own status sources read. */
export interface BreakwaterStatusInputs {
  readonly dynamodb: DynamoDBClient;
  /** The circuit breaker's table; undefined when the app has none. */
  readonly breakerTableName?: string;
  readonly gateway: GatewayAdminClient;
}

/**
 * Breakwater's sources of the status page, over the local cloud's own: the circuits through the breaker's own store
 * (the ids found in its table), the fake payment gateway through its admin API.
 */
export const breakwaterStatusSources = (
  inputs: BreakwaterStatusInputs,
): Required<Pick<StatusSources, 'circuits' | 'gateway'>> => {
  const { dynamodb } = inputs;
  const store =
    inputs.breakerTableName === undefined
      ? undefined
      : new DynamoDbCircuitStore({ client: dynamodb, tableName: inputs.breakerTableName });

  const circuits = async (): Promise<CircuitReading[]> => {
    if (store === undefined || inputs.breakerTableName === undefined) return [];
    const scan = await dynamodb.send(
      new ScanCommand({ TableName: inputs.breakerTableName, ProjectionExpression: 'pk' }),
    );
    const ids = (scan.Items ?? []).flatMap((item) => (item.pk?.S === undefined ? [] : [item.pk.S]));
    return Promise.all(
      ids.map(async (circuitId) => {
        const { snapshot } = await store.read(circuitId);
        return {
          circuitId,
          state: snapshot.state,
          version: snapshot.version,
          since: snapshot.since,
          ...(snapshot.openUntil === undefined ? {} : { openUntil: snapshot.openUntil }),
          reason: snapshot.reason,
        };
      }),
    );
  };

  const gateway = async (): Promise<GatewayReading> => {
    const [stats, config] = await Promise.all([inputs.gateway.stats(), inputs.gateway.getConfig()]);
    const outageWindow = config.outageUntil !== null && Date.parse(config.outageUntil) > Date.now();
    return {
      requests: stats.requests,
      byOutcome: stats.byOutcome,
      outage: config.outage || outageWindow,
      config: { ...config },
    };
  };

  return { circuits, gateway };
};
