import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startCdkTarget } from './cloud/cloudformation-target.js';
import { startLocalCloud } from './cloud/local-cloud.js';
import type { LocalValue } from './deployer/types.js';
import { ConfigurationError } from './support/errors.js';
import { resolvePorts } from './support/ports.js';

/** The command line's help. */
export const USAGE = `breakwater-local: a local AWS cloud for a CDK app, without Docker.

Usage: breakwater-local [options]

  --app-dir DIR       the CDK app's directory, holding cdk.json (default: the current directory)
  --app CMD           the command that runs the app (default: cdk.json's "app")
  --assembly DIR      where the cloud assembly is, or goes (default: <app-dir>/.local-cloud/cdk.out)
  --no-synth          deploy the assembly in --assembly as it is, without synthesizing
  --context KEY=VALUE CDK context over cdk.json's (repeatable)
  --secret ID=JSON    the value of a secret of the templates, by logical id or name (repeatable)
  --empty             deploy nothing: a target for \`cdk bootstrap\` and \`cdk deploy\` of any app
  --edge-port N       the edge, AWS_ENDPOINT_URL (default BREAKWATER_EDGE_PORT, else 4566; 0 = a free port)
  --redis-port N      the Upstash-REST Redis endpoint (default BREAKWATER_REDIS_PORT, else 4568)
  --no-redis          no Redis endpoint (no redis-server needed)
  --force-synth       synthesize even when no source changed
  -h, --help          this help

Clients reach every service at the edge: AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_REGION=us-east-1
AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local. Ctrl-C stops everything; nothing is kept.`;

/** `KEY=VALUE` pairs of a repeatable flag. */
const pairs = (flag: string, values: readonly string[] = []): [string, string][] =>
  values.map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0) throw new ConfigurationError(`${flag} takes KEY=VALUE, got '${pair}'`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  });

/** A secret's value: JSON (an object of fields) or plain text. */
const secretValue = (text: string): LocalValue => {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // Not JSON: the secret's text as given.
  }
  return text;
};

/** Waits for Ctrl-C or a termination signal. */
const untilSignal = (): Promise<void> =>
  new Promise((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });

/**
 * The command line: starts the local cloud for the CDK app of a directory (or an empty one for `cdk deploy`), prints
 * the endpoints and the client settings, and stops everything on Ctrl-C. Returns the exit code: 0, or 2 for usage.
 */
export const main = async (argv: readonly string[] = process.argv.slice(2)): Promise<number> => {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const say = (line: string) => console.log(`[local-cloud] ${line}`);
  try {
    const ports = resolvePorts({
      ...(values['edge-port'] === undefined ? {} : { edge: values['edge-port'] }),
      ...(values['redis-port'] === undefined ? {} : { redisRest: values['redis-port'] }),
    });
    if (values.empty) {
      const target = await startCdkTarget({ edgePort: ports.edge, log: say });
      say(`ready for cdk deploy: AWS_ENDPOINT_URL=${target.edgeUrl}`);
      await untilSignal();
      await target.stop();
      return 0;
    }
    const appDirectory = resolve(values['app-dir'] ?? '.');
    const cloud = await startLocalCloud({
      ...(values['no-synth'] ? {} : { rootDirectory: appDirectory }),
      ...(values.app === undefined ? {} : { app: values.app }),
      assemblyDirectory: resolve(values.assembly ?? resolve(appDirectory, '.local-cloud', 'cdk.out')),
      context: Object.fromEntries(pairs('--context', values.context)),
      secretValues: Object.fromEntries(
        pairs('--secret', values.secret).map(([id, text]) => [id, secretValue(text)]),
      ),
      ports: { edge: ports.edge, redisRest: ports.redisRest },
      redis: !values['no-redis'],
      forceSynth: values['force-synth'] === true,
      log: say,
      functionLog: (source, line) => console.log(`${source} ${line}`),
    });
    const { endpoints } = cloud;
    say(`ready in ${(cloud.timings.readyMs / 1000).toFixed(1)} s`);
    say(`edge (AWS_ENDPOINT_URL)  ${endpoints.edgeUrl}`);
    if (endpoints.apiUrl !== '') say(`HTTP API                 ${endpoints.apiUrl}`);
    if (endpoints.redisRestUrl !== '') say(`Redis REST               ${endpoints.redisRestUrl}`);
    say(`status page              ${endpoints.statusUrl}`);
    for (const [key, value] of Object.entries(endpoints.outputs)) say(`output ${key} = ${value}`);
    await untilSignal();
    await cloud.stop();
    return 0;
  } catch (error) {
    if (error instanceof ConfigurationError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
};

const parse = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    options: {
      'app-dir': { type: 'string' },
      app: { type: 'string' },
      assembly: { type: 'string' },
      'no-synth': { type: 'boolean', default: false },
      context: { type: 'string', multiple: true },
      secret: { type: 'string', multiple: true },
      empty: { type: 'boolean', default: false },
      'edge-port': { type: 'string' },
      'redis-port': { type: 'string' },
      'no-redis': { type: 'boolean', default: false },
      'force-synth': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
