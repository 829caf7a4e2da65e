import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LOG_LEVELS, type LogLevelName, startDynamoDbLocal } from '@breakwater/local-cloud';
import type { BreakwaterCloud } from '../cloud/breakwater-cloud';
import { resolveBreakwaterPorts } from '../cloud/breakwater-cloud';
import { displayPath, writeClientFiles } from './client-env';
import { createLogPrinter } from './log-printer';

const usage = `Usage: npm start -- [options]

Starts the embedded local cloud, deploys Breakwater into it and keeps running until Ctrl-C.

Options:
  --edge-port N      AWS endpoint (AWS_ENDPOINT_URL)     env BREAKWATER_EDGE_PORT     default 4566
  --api-port N       orders HTTP API                     env BREAKWATER_API_PORT      default 4567
  --redis-port N     Upstash-REST Redis endpoint         env BREAKWATER_REDIS_PORT    default 4568
  --gateway-port N   fake payment gateway                env BREAKWATER_GATEWAY_PORT  default 4569
                     (0 picks a free port)
  --state-dir DIR    where endpoints.json, local.env and the assembly go (default .breakwater)
  --demo             place orders, break the gateway (the circuit opens and closes), fill and replay a DLQ;
                     sets RETRY_BASE_DELAY_SECONDS=0 on the functions so a DLQ fills in seconds
  --force-synth      synthesize the CDK app even if its sources did not change
  --persist          keep SQS, DynamoDB and Redis data across restarts in <state-dir>/data (without it a restart
                     starts empty)
  --watch            rebuild a function when its sources change and swap it into the running cloud (state kept)
  Function logs (one short line per entry: time, function, level, message, order, error, correlation id):
  --log-level L      lowest level printed: DEBUG, INFO (default), WARN, ERROR, or OFF
  --log-function F   only this function (its name or part of it: billing, orders-api); may be repeated
  --show-metrics     also print the EMF metric lines, one short line each (hidden by default)
  --verbose          print every line exactly as the function printed it
  --help`;

const rootDirectory = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      'edge-port': { type: 'string' },
      'api-port': { type: 'string' },
      'redis-port': { type: 'string' },
      'gateway-port': { type: 'string' },
      'state-dir': { type: 'string' },
      demo: { type: 'boolean', default: false },
      'force-synth': { type: 'boolean', default: false },
      persist: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
      'show-metrics': { type: 'boolean', default: false },
      'log-function': { type: 'string', multiple: true },
      'log-level': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const ports = resolveBreakwaterPorts({
    ...(values['edge-port'] === undefined ? {} : { edge: values['edge-port'] }),
    ...(values['api-port'] === undefined ? {} : { api: values['api-port'] }),
    ...(values['redis-port'] === undefined ? {} : { redisRest: values['redis-port'] }),
    ...(values['gateway-port'] === undefined ? {} : { gateway: values['gateway-port'] }),
  });
  const stateDirectory = resolve(values['state-dir'] ?? join(rootDirectory, '.breakwater'));
  const minLevel = (values['log-level'] ?? 'INFO').toUpperCase();
  if (minLevel !== 'OFF' && !(LOG_LEVELS as readonly string[]).includes(minLevel)) {
    throw new TypeError(`option --log-level: expected DEBUG, INFO, WARN, ERROR or OFF, got "${minLevel}"`);
  }
  // Short names of the functions (their Powertools service), known once the app is deployed.
  const serviceOf = new Map<string, string>();
  const functionLog = createLogPrinter(
    (line) => console.log(line),
    {
      raw: values.verbose,
      showMetrics: values['show-metrics'],
      functions: values['log-function'] ?? [],
      minLevel: minLevel as LogLevelName | 'OFF',
      color: process.stdout.isTTY === true,
    },
    (source) => serviceOf.get(source),
  );
  const say = (line: string) => console.log(`[breakwater] ${line}`);

  let cloud: BreakwaterCloud | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping every process of the local cloud...');
    await cloud?.stop();
    say('stopped');
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(130));
  process.once('SIGTERM', () => void stop(143));

  // The JVM of DynamoDB Local is the slowest part to start: it starts first, while the rest of the local cloud's
  // modules load (about a second of a warm start).
  const persistDirectory = values.persist ? join(stateDirectory, 'data') : undefined;
  const dynamoDb = startDynamoDbLocal(
    persistDirectory === undefined ? {} : { dataDirectory: join(persistDirectory, 'dynamodb') },
  );
  const [{ startBreakwaterCloud }, { DEMO_CLOUDWATCH_TIME_SCALE, DEMO_FUNCTION_ENVIRONMENT, runDemo }] =
    await Promise.all([import('../cloud/breakwater-cloud'), import('./demo')]);
  cloud = await startBreakwaterCloud({
    dynamoDb,
    rootDirectory,
    ports,
    assemblyDirectory: join(stateDirectory, 'cdk.out'),
    forceSynth: values['force-synth'],
    ...(persistDirectory === undefined ? {} : { persistDirectory }),
    ...(values.demo
      ? { functionEnvironment: DEMO_FUNCTION_ENVIRONMENT, cloudWatchTimeScale: DEMO_CLOUDWATCH_TIME_SCALE }
      : {}),
    log: say,
    functionLog,
  });
  for (const fn of cloud.deployment.lambda.functions) {
    const service = fn.environment.POWERTOOLS_SERVICE_NAME;
    if (service !== undefined) serviceOf.set(fn.functionName, service);
  }
  const { endpoints, timings } = cloud;
  const { endpointsFile, envFile } = await writeClientFiles(stateDirectory, endpoints);
  console.log(`
  AWS endpoint (edge)   ${endpoints.edgeUrl}      export AWS_ENDPOINT_URL=${endpoints.edgeUrl}
  Orders API            ${endpoints.apiUrl}
  Redis REST            ${endpoints.redisRestUrl}   admin ${endpoints.redisAdminUrl}
  Payment gateway       ${endpoints.gatewayUrl}   admin ${endpoints.gatewayAdminUrl}
  Fault API             ${endpoints.faultsUrl}   (npm run faults -- list)
  Status page           ${endpoints.statusUrl}
  SNS inbox             ${endpoints.inboxUrl}
  Endpoints file        ${endpointsFile}

  source ${displayPath(envFile)}   # endpoint, region and dummy credentials for aws, SDKs, npm run dlq / breaker
`);
  say(
    `Breakwater local cloud ready in ${(timings.readyMs / 1000).toFixed(1)} s` +
      ` (${timings.synthesized ? `synthesized in ${(timings.synthMs / 1000).toFixed(1)} s` : 'assembly reused'})`,
  );
  if (values.watch) {
    const { startFunctionWatch } = await import('@breakwater/local-cloud');
    const watch = await startFunctionWatch({
      rootDirectory,
      functions: cloud.deployment.lambda.functions,
      runner: cloud.runner,
      onReload: ({ functionName, changed, ms, error }) =>
        say(
          error === undefined
            ? `${changed} → ${functionName} reloaded in ${ms} ms`
            : `${functionName}: ${error}`,
        ),
    });
    say(
      `watching functions/ and shared/ for ${watch.watching.length} functions (infrastructure changes need a restart)`,
    );
  }
  if (values.demo) {
    await runDemo(cloud, say);
    say('demo finished; the local cloud keeps running until Ctrl-C');
    const env = displayPath(envFile);
    console.log(`
  What to try next (in another terminal, after: source ${env})
    curl -s -XPOST ${endpoints.apiUrl}/orders -H 'content-type: application/json' \\
      -d '{"customerId":"c-1","currency":"EUR","items":[{"sku":"mug","quantity":1,"unitPriceCents":1250}]}'
    npm run dlq -- list
    npm run breaker -- status payment-gateway
    open ${endpoints.statusUrl}
`);
  }
  return -1;
};

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(`[breakwater] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof TypeError && /parseArgs|option/i.test(error.message) ? 2 : 1);
  },
);
