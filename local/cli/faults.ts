import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DefaultLocalPorts,
  describeSpec,
  FAULTS_PATH,
  FaultsApiError,
  FaultsClient,
} from '@breakwater/local-cloud';

const usage = `Usage: npm run faults -- <command> [options]

Injects faults into a running local cloud (npm start) through its fault API, ${FAULTS_PATH} on the edge.

Commands:
  list                       every rule, with how many times it fired
  add [JSON] [options]       adds a rule, as JSON or from the options below
  clear                      removes every rule (Redis comes back, gateway knobs go back to healthy)
  remove ID                  removes one rule

Options of add:
  --service S     sqs | dynamodb | events | secretsmanager | ssm | upstash | lambda | redis | gateway
  --kind K        error | partial-failure | latency | reset | kill | freeze | outage | gateway
  --action GLOB   operation (TransactWriteItems, PutEvents, ...) or, for lambda, the function name; default *
  --resource TXT  only requests that contain this text (a table, queue, bus or secret name)
  --code CODE     error code (default: the service's throttling code); partial-failure: ThrottlingException | InternalFailure
  --status N      HTTP status of an error (default: the code's own)
  --rate R        share of matching requests hit, 0..1 (default 1)
  --count N       fire at most N times
  --duration-ms N active for N ms from now (a Redis outage ends then)
  --ms N          latency, or how long a freeze lasts
  --phase P       lambda: invocation (default) | idle
  --entry-rate R  partial-failure: share of a call's entries that fail (default 0.5)
  --knobs JSON    gateway: knobs, e.g. '{"failureRate":0.5,"timeoutRate":0.2,"timeoutAfterCharge":true}'
Common options:
  --edge URL      the edge (default: AWS_ENDPOINT_URL, else .breakwater/endpoints.json, else http://127.0.0.1:${DefaultLocalPorts.edge})

Examples:
  npm run faults -- add --service dynamodb --action TransactWriteItems --kind error --rate 0.3 --duration-ms 60000
  npm run faults -- add --service events --action PutEvents --kind partial-failure --code InternalFailure
  npm run faults -- add --service lambda --action '*billing*' --kind kill --rate 0.2
  npm run faults -- add --service redis --kind outage --duration-ms 30000
  npm run faults -- add '{"service":"gateway","kind":"gateway","knobs":{"failureRate":0.5}}'`;

const rootDirectory = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const edgeUrl = async (given: string | undefined): Promise<string> => {
  if (given !== undefined) return given;
  if (process.env.AWS_ENDPOINT_URL) return process.env.AWS_ENDPOINT_URL;
  try {
    const endpoints = JSON.parse(
      await readFile(join(rootDirectory, '.breakwater', 'endpoints.json'), 'utf8'),
    );
    if (typeof endpoints.edgeUrl === 'string') return endpoints.edgeUrl;
  } catch {
    // no endpoints file: the default port
  }
  return `http://127.0.0.1:${DefaultLocalPorts.edge}`;
};

const number = (value: string | undefined, name: string): number | undefined => {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new FaultsApiError(`--${name} must be a number, got '${value}'`, 0);
  return parsed;
};

const specFrom = (positional: string | undefined, values: Record<string, string | undefined>): unknown => {
  if (positional !== undefined) return JSON.parse(positional);
  const spec: Record<string, unknown> = {
    service: values.service,
    kind: values.kind,
    action: values.action,
    resource: values.resource,
    code: values.code,
    status: number(values.status, 'status'),
    rate: number(values.rate, 'rate'),
    count: number(values.count, 'count'),
    durationMs: number(values['duration-ms'], 'duration-ms'),
    ms: number(values.ms, 'ms'),
    phase: values.phase,
    entryRate: number(values['entry-rate'], 'entry-rate'),
    knobs: values.knobs === undefined ? undefined : JSON.parse(values.knobs),
  };
  return Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== undefined));
};

const main = async (): Promise<number> => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: Object.fromEntries(
      [
        'edge',
        'service',
        'kind',
        'action',
        'resource',
        'code',
        'status',
        'rate',
        'count',
        'duration-ms',
        'ms',
        'phase',
        'entry-rate',
        'knobs',
      ].map((name) => [name, { type: 'string' as const }]),
    ),
    strict: true,
  });
  const [command, argument] = positionals;
  if (command === undefined || command === 'help' || command === '--help') {
    console.log(usage);
    return command === undefined ? 2 : 0;
  }
  const client = new FaultsClient(`${(await edgeUrl(values.edge)).replace(/\/+$/, '')}${FAULTS_PATH}`);
  switch (command) {
    case 'list': {
      const rules = await client.list();
      if (rules.length === 0) console.log('no faults');
      for (const rule of rules)
        console.log(
          `${rule.id}  ${rule.active ? 'active' : 'spent '}  hits ${rule.hits}  ${describeSpec(rule)}`,
        );
      return 0;
    }
    case 'add': {
      const rule = await client.add(specFrom(argument, values) as never);
      console.log(`${rule.id} added: ${describeSpec(rule)}`);
      return 0;
    }
    case 'clear':
      console.log(`cleared ${await client.clear()} fault(s)`);
      return 0;
    case 'remove':
      if (argument === undefined) throw new FaultsApiError('remove needs the id of a rule (see list)', 0);
      await client.remove(argument);
      console.log(`removed ${argument}`);
      return 0;
    default:
      console.error(`unknown command '${command}'\n\n${usage}`);
      return 2;
  }
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof FaultsApiError && error.issues.length > 0) {
      console.error(`refused:\n  ${error.issues.join('\n  ')}`);
    } else {
      console.error(error instanceof Error ? error.message : String(error));
    }
    process.exit(1);
  },
);
