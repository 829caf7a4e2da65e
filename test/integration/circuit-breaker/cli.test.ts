import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbCircuitStore } from '@breakwater/circuit-breaker/dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DynamoDbLocal,
  startDynamoDbLocal,
} from '../../../packages/local-cloud/src/dynamodb/dynamodb-local';
import { BreakerCliExitCodes, runBreakerCli } from '../../../shared/operator-cli/breaker-cli';
import { scanCircuitIds } from '../../../shared/operator-cli/circuits';
import { createBreakerTable, localDynamoDb } from './support';

describe('breakwater-breaker against DynamoDB Local', () => {
  let dynamodb: DynamoDbLocal;
  let tableName: string;
  let client: ReturnType<typeof localDynamoDb>;

  beforeAll(async () => {
    dynamodb = await startDynamoDbLocal();
    client = localDynamoDb(dynamodb.endpoint);
    tableName = 'breaker-cli';
    await createBreakerTable(client, tableName);
  });
  afterAll(async () => {
    client.destroy();
    await dynamodb.stop();
  });

  // The stack outputs declare the circuits (as the billing stack's PaymentGatewayCircuitId does) before any call.
  let outputs: Record<string, string> = {
    GatewayACircuitId: 'gateway:a',
    GatewayBCircuitId: 'gateway:b',
    GatewayCCircuitId: 'gateway:c',
    GatewayDCircuitId: 'gateway:d',
  };
  const cli = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await runBreakerCli(argv, {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (err += text) },
      store: (table) => new DynamoDbCircuitStore({ client, tableName: table }),
      circuitsInTable: (table) => scanCircuitIds(client, table),
      outputs: async () => outputs,
    });
    return { code, out, err };
  };

  it('shows a declared circuit never written as CLOSED, version 0, by its id or its output name', async () => {
    for (const name of ['gateway:a', 'GatewayACircuitId', 'gateway-a']) {
      const { code, out } = await cli('status', name, '--table', tableName);
      expect(code).toBe(BreakerCliExitCodes.ok);
      expect(out).toContain('circuit      gateway:a');
      expect(out).toMatch(/state +CLOSED \(version 0, since never written\)/);
    }
  });

  it('exits 3 for a circuit neither the table nor the outputs know, with the closest names', async () => {
    const { code, out, err } = await cli('status', 'gateway:x', '--table', tableName);
    expect(code).toBe(BreakerCliExitCodes.notFound);
    expect(out).toBe('');
    expect(err).toContain('unknown circuit: gateway:x; did you mean gateway:a or gateway:b or gateway:c?');
  });

  it('lists every circuit of the table and the outputs with its state, taking the table from the outputs', async () => {
    await client.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'orders:redis' } } }));
    outputs = { ...outputs, BreakerTableName: tableName };
    const previous = process.env.BREAKER_TABLE_NAME;
    delete process.env.BREAKER_TABLE_NAME;
    const listed = await cli('list', '--json');
    if (previous !== undefined) process.env.BREAKER_TABLE_NAME = previous;
    expect(listed.code).toBe(BreakerCliExitCodes.ok);
    const rows = JSON.parse(listed.out) as { circuitId: string; state: string }[];
    expect(rows.map((row) => row.circuitId)).toEqual([
      'gateway:a',
      'gateway:b',
      'gateway:c',
      'gateway:d',
      'orders:redis',
    ]);
    expect(rows.every((row) => row.state === 'CLOSED' || row.state === 'FORCED_OPEN')).toBe(true);
    outputs = Object.fromEntries(Object.entries(outputs).filter(([key]) => key !== 'BreakerTableName'));
  });

  it('is a usage error without a command, like breakwater-dlq', async () => {
    const { code, err } = await cli();
    expect(code).toBe(BreakerCliExitCodes.usage);
    expect(err).toContain('Usage');
  });

  it('forces a circuit open with a reason kept in the state, then closes it again', async () => {
    const forced = await cli(
      'force-open',
      'gateway:b',
      '--table',
      tableName,
      '--reason',
      'gateway maintenance',
    );
    expect(forced).toMatchObject({
      code: BreakerCliExitCodes.ok,
      out: 'gateway:b: CLOSED → FORCED_OPEN (version 1)\n',
    });
    const status = await cli('status', 'gateway:b', '--table', tableName, '--json');
    expect(JSON.parse(status.out)).toMatchObject({
      state: 'FORCED_OPEN',
      version: 1,
      reason: 'gateway maintenance',
    });
    const closed = await cli('close', 'gateway:b', '--table', tableName, '--reason', 'maintenance over');
    expect(closed.out).toBe('gateway:b: FORCED_OPEN → CLOSED (version 2)\n');
  });

  it('refuses a manual change without a reason, an unknown command and a missing table, with exit 2', async () => {
    expect((await cli('disable', 'gateway:c', '--table', tableName)).code).toBe(BreakerCliExitCodes.usage);
    expect((await cli('explode', 'gateway:c', '--table', tableName)).code).toBe(BreakerCliExitCodes.usage);
    const previous = process.env.BREAKER_TABLE_NAME;
    delete process.env.BREAKER_TABLE_NAME;
    const noTable = await cli('status', 'gateway:c');
    if (previous !== undefined) process.env.BREAKER_TABLE_NAME = previous;
    expect(noTable.code).toBe(BreakerCliExitCodes.usage);
    expect(noTable.err).toMatch(/--table/);
  });

  it('exits 1 with the error when the table does not exist', async () => {
    const { code, err } = await cli('status', 'gateway:d', '--table', 'no-such-table');
    expect(code).toBe(BreakerCliExitCodes.failed);
    expect(err).toMatch(/CircuitStoreError|ResourceNotFound/);
  });
});
