import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { resolveConfig } from './config';
import { DynamoDbCircuitStore } from './dynamodb-store';
import { writeManualState } from './manual';
import type { CircuitSnapshot, ManualTarget } from './state';
import type { CircuitStateStore } from './store';
import { summarizeWindow } from './window';

/** `breakwater-breaker` exit codes. */
export const BreakerCliExitCodes = { ok: 0, failed: 1, usage: 2 } as const;

const usage = `breakwater-breaker — look at and steer a circuit breaker (state kept in the breaker table)

Usage
  breakwater-breaker status <circuit> [--json]
  breakwater-breaker force-open|disable|metrics-only|close|open <circuit> --reason "<why>"

  force-open    reject every call until closed by hand (e.g. the gateway announced maintenance)
  disable       always call, never trip (e.g. the breaker misjudges a partner's errors)
  metrics-only  count and report, never reject
  close         back to normal operation (a fresh window)
  open          trip now; half-open after the usual cooldown

Options
  --table <name>   breaker table (default BREAKER_TABLE_NAME, or the BreakerTableName stack output)
  --region, --endpoint-url   as for any AWS CLI (or AWS_REGION, AWS_ENDPOINT_URL)
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
  const [command, circuitId] = positionals;
  if (values.help === true || command === undefined) {
    io.stdout.write(`${usage}\n`);
    return values.help === true ? BreakerCliExitCodes.ok : BreakerCliExitCodes.usage;
  }
  const target = commands[command];
  if ((command !== 'status' && target === undefined) || circuitId === undefined) {
    io.stderr.write(`unknown command or missing circuit: ${positionals.join(' ')}\n\n${usage}\n`);
    return BreakerCliExitCodes.usage;
  }
  const tableName = (values.table as string | undefined) ?? process.env.BREAKER_TABLE_NAME;
  if (!tableName) {
    io.stderr.write('the breaker table is unknown: pass --table or set BREAKER_TABLE_NAME\n');
    return BreakerCliExitCodes.usage;
  }
  if (target !== undefined && !values.reason) {
    io.stderr.write(
      'a manual change needs --reason "<why>": it is kept with the state for the next operator\n',
    );
    return BreakerCliExitCodes.usage;
  }
  const settings = {
    ...(values.region === undefined ? {} : { region: values.region as string }),
    ...(values['endpoint-url'] === undefined ? {} : { endpoint: values['endpoint-url'] as string }),
  };
  const store =
    io.store?.(tableName, settings) ??
    new DynamoDbCircuitStore({ client: new DynamoDBClient(settings), tableName });
  const now = io.now ?? Date.now;
  const config = resolveConfig();
  try {
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
    return BreakerCliExitCodes.failed;
  }
};

/** Entry of the `breakwater-breaker` bin. */
export const main = async (): Promise<void> => {
  process.exitCode = await runBreakerCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
  });
};
