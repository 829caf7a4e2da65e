import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../../local/dynamodb/dynamodb-local';
import { DynamoDbCircuitStore } from '../../../shared/circuit-breaker';
import { BreakerCliExitCodes, runBreakerCli } from '../../../shared/circuit-breaker/cli';
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

  const cli = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await runBreakerCli(argv, {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (err += text) },
      store: (table) => new DynamoDbCircuitStore({ client, tableName: table }),
    });
    return { code, out, err };
  };

  it('shows a circuit never written as CLOSED, version 0', async () => {
    const { code, out } = await cli('status', 'gateway:a', '--table', tableName);
    expect(code).toBe(BreakerCliExitCodes.ok);
    expect(out).toMatch(/state +CLOSED \(version 0, since never written\)/);
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
