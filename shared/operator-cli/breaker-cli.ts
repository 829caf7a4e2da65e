import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CircuitSnapshot, CircuitStateStore, ManualTarget } from '@breakwater/circuit-breaker';
import { resolveConfig, summarizeWindow, writeManualState } from '@breakwater/circuit-breaker';
import { DynamoDbCircuitStore } from '@breakwater/circuit-breaker/dynamodb';
import {
  type KnownCircuits,
  knownCircuitIds,
  resolveBreakerTable,
  resolveCircuitName,
  scanCircuitIds,
} from './circuits';
import { isMissingConfiguration, OperatorExitCodes } from './exit-codes';
import { operatorContext } from './stack-outputs';

/** `breakwater-breaker` exit codes: those of `breakwater-dlq` (2: usage or configuration, 3: unknown circuit). */
export const BreakerCliExitCodes = {
  ok: OperatorExitCodes.ok,
  failed: OperatorExitCodes.failed,
  usage: OperatorExitCodes.usage,
  notFound: OperatorExitCodes.notFound,
} as const;

const usage = `breakwater-breaker — look at and steer a circuit breaker (state kept in the breaker table)

Usage
  breakwater-breaker list [--json]
  breakwater-breaker status <circuit> [--json]
  breakwater-breaker force-open|disable|metrics-only|close|open <circuit> --reason "<why>"

  force-open    reject every call until closed by hand (e.g. the gateway announced maintenance)
  disable       always call, never trip (e.g. the breaker misjudges a partner's errors)
  metrics-only  count and report, never reject
  close         back to normal operation (a fresh window)
  open          trip now; half-open after the usual cooldown

<circuit> is a circuit id (payment-gateway) or its stack output's name (PaymentGatewayCircuitId); a circuit that
neither the table nor the outputs know is an error, never a healthy CLOSED.

Options
  --table <name>   breaker table (default BREAKER_TABLE_NAME, or the BreakerTableName stack output: the running
                   local cloud's for a loopback endpoint, else CloudFormation's breakwater-<BREAKWATER_STAGE>-*)
  --region, --endpoint-url   as for any AWS CLI (or AWS_REGION, AWS_ENDPOINT_URL); a loopback endpoint (the
                   local cloud) defaults the region to us-east-1 and, when none are set, dummy credentials
Exit codes: 0 ok · 1 failed · 2 bad usage or configuration (no command, table, region, credentials) · 3 unknown circuit
Containers see a manual change at their next sync (about a second while calls fail, at most 15 s when quiet).`;

const commands: Readonly<Record<string, ManualTarget>> = {
  'force-open': 'FORCED_OPEN',
  disable: 'DISABLED',
  'metrics-only': 'METRICS_ONLY',
  close: 'CLOSED',
  open: 'OPEN',
};

/** Where the CLI writes. */
export interface BreakerCliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** The store to use; default a DynamoDB store from the options and environment. */
  readonly store?: (tableName: string, settings: { region?: string; endpoint?: string }) => CircuitStateStore;
  /** The circuit ids with an item in the table; default a Scan of it. */
  readonly circuitsInTable?: (tableName: string) => Promise<string[]>;
  /** Stack outputs (the table's name, the circuits' ids); default the local cloud's or CloudFormation's. */
  readonly outputs?: () => Promise<Readonly<Record<string, string>>>;
  readonly now?: () => number;
}

const describe = (
  circuitId: string,
  snapshot: CircuitSnapshot,
  window: ReturnType<typeof summarizeWindow>,
  now: number,
) =>
  [
    `circuit      ${circuitId}`,
    `state        ${snapshot.state} (version ${snapshot.version}, since ${snapshot.since ? new Date(snapshot.since).toISOString() : 'never written'})`,
    ...(snapshot.openUntil === undefined
      ? []
      : [
          `open until   ${new Date(snapshot.openUntil).toISOString()} (${Math.max(0, Math.ceil((snapshot.openUntil - now) / 1000))} s left)`,
        ]),
    `reason       ${snapshot.reason}`,
    `window       ${window.calls} calls, failure rate ${(window.failureRate * 100).toFixed(1)} %, slow ${(window.slowCallRate * 100).toFixed(1)} %`,
    `probes       ${Object.keys(snapshot.probes).length} in flight, ${snapshot.successes} succeeded this round`,
  ].join('\n');

/** Runs the breaker CLI with `argv` (without node and script); returns the exit code. */
export const runBreakerCli = async (argv: readonly string[], io: BreakerCliIo): Promise<number> => {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        table: { type: 'string' },
        reason: { type: 'string' },
        region: { type: 'string' },
        'endpoint-url': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${usage}\n`);
    return BreakerCliExitCodes.usage;
  }
  const { values, positionals } = parsed;
  const [command] = positionals;
  let circuitId = positionals[1];
  if (values.help === true || command === undefined) {
    (values.help === true ? io.stdout : io.stderr).write(`${usage}\n`);
    return values.help === true ? BreakerCliExitCodes.ok : BreakerCliExitCodes.usage;
  }
  const target = commands[command];
  const listing = command === 'list';
  if (
    listing
      ? circuitId !== undefined
      : (command !== 'status' && target === undefined) || circuitId === undefined
  ) {
    io.stderr.write(`unknown command or missing circuit: ${positionals.join(' ')}\n\n${usage}\n`);
    return BreakerCliExitCodes.usage;
  }
  if (target !== undefined && !values.reason) {
    io.stderr.write(
      'a manual change needs --reason "<why>": it is kept with the state for the next operator\n',
    );
    return BreakerCliExitCodes.usage;
  }
  const explicit = {
    ...(values.region === undefined ? {} : { region: values.region as string }),
    ...(values['endpoint-url'] === undefined ? {} : { endpoint: values['endpoint-url'] as string }),
  };
  const context = operatorContext(explicit);
  const outputs = io.outputs ?? context.outputs;
  const { region, endpoint, credentials } = context.connection;
  const settings = {
    ...(region === undefined ? {} : { region }),
    ...(endpoint === undefined ? {} : { endpoint }),
  };
  const now = io.now ?? Date.now;
  const config = resolveConfig();
  let client: DynamoDBClient | undefined;
  try {
    const tableName = await resolveBreakerTable(values.table as string | undefined, outputs);
    if (!tableName) {
      io.stderr.write(
        'the breaker table is unknown: pass --table, set BREAKER_TABLE_NAME, or point AWS_ENDPOINT_URL / the region at a deployment (its BreakerTableName output)\n',
      );
      return BreakerCliExitCodes.usage;
    }
    const dynamodb = () => {
      client ??= new DynamoDBClient({ ...settings, ...(credentials === undefined ? {} : { credentials }) });
      return client;
    };
    const store =
      io.store?.(tableName, settings) ?? new DynamoDbCircuitStore({ client: dynamodb(), tableName });
    const known: KnownCircuits = {
      inTable: await (io.circuitsInTable ?? ((table) => scanCircuitIds(dynamodb(), table)))(tableName),
      outputs: await outputs(),
    };
    if (listing) {
      const rows = await Promise.all(
        knownCircuitIds(known).map(async (id) => ({ circuitId: id, ...(await store.read(id)).snapshot })),
      );
      io.stdout.write(values.json === true ? `${JSON.stringify(rows)}\n` : renderList(rows));
      return BreakerCliExitCodes.ok;
    }
    circuitId = resolveCircuitName(circuitId as string, known);
    if (target === undefined) {
      const { snapshot, buckets = [] } = await store.read(circuitId);
      const window = summarizeWindow(buckets, now(), snapshot.windowStart, config);
      io.stdout.write(
        values.json === true
          ? `${JSON.stringify({ circuitId, ...snapshot, window })}\n`
          : `${describe(circuitId, snapshot, window, now())}\n`,
      );
      return BreakerCliExitCodes.ok;
    }
    const { from, to } = await writeManualState(store, circuitId, target, {
      reason: values.reason as string,
      config,
      now,
    });
    io.stdout.write(`${circuitId}: ${from.state} → ${to.state} (version ${to.version})\n`);
    return BreakerCliExitCodes.ok;
  } catch (error) {
    io.stderr.write(`${(error as Error).name}: ${(error as Error).message}\n`);
    const name = (error as Error).name;
    if (name === 'UnknownCircuitError') return BreakerCliExitCodes.notFound;
    if (name === 'AmbiguousNameError' || isMissingConfiguration(error)) return BreakerCliExitCodes.usage;
    return BreakerCliExitCodes.failed;
  } finally {
    client?.destroy();
  }
};

const renderList = (rows: readonly ({ readonly circuitId: string } & CircuitSnapshot)[]): string => {
  if (rows.length === 0) return 'no circuits (none in the table, none in the stack outputs)\n';
  const width = Math.max(...rows.map((row) => row.circuitId.length), 'circuit'.length);
  const lines = rows.map(
    (row) =>
      `${row.circuitId.padEnd(width)}  ${row.state.padEnd(12)}  ${row.since ? new Date(row.since).toISOString() : 'never written'}  ${row.reason}`,
  );
  return `${['circuit'.padEnd(width), 'state'.padEnd(12), 'since'.padEnd(24), 'reason'].join('  ').trimEnd()}\n${lines.join('\n')}\n`;
};

/** Entry of the `breakwater-breaker` bin. */
export const main = async (): Promise<void> => {
  process.exitCode = await runBreakerCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
  });
};
