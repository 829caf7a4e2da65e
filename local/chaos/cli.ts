import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BreakwaterCloud, BreakwaterCloudEndpoints } from '../cloud/breakwater-cloud';
import { formatChaosReport, runChaos, type ScenarioReport, summarize } from './run';
import { type ChaosProfileName, PROFILES, SCENARIOS } from './scenarios';
import type { ChaosTarget } from './sources';

const usage = `Usage: npm run chaos -- [--profile short|full] [options]

Starts a local cloud of its own (free ports), posts orders at a steady rate while each fault scenario runs, lets
the system settle, replays every DLQ with the DLQ tool and audits the orders table, the gateway's ledger, every
DLQ, the outbox and the notifications sent. Prints a table per scenario and one JSON line:
{"lost":0,"doubleCharges":0,"ordersTotal":N,...}. Exits 1 when anything was lost or charged twice.

Options:
  --profile P        short (a few hundred orders) | full (10,000 orders); default short
  --scenario NAME    only this scenario (repeatable): ${Object.keys(SCENARIOS).join(', ')}
  --orders N         orders per scenario instead of the profile's (a quick look at one scenario)
  --running          run against the cloud of \`npm start\` (.breakwater/endpoints.json) instead of starting one
  --report FILE      also write the report as JSON
  --verbose          print the local cloud's progress and fault log`;

const rootDirectory = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const targetOf = (endpoints: BreakwaterCloudEndpoints): ChaosTarget => ({
  apiUrl: endpoints.apiUrl,
  edgeUrl: endpoints.edgeUrl,
  region: endpoints.region,
  faultsUrl: endpoints.faultsUrl,
  gatewayAdminUrl: endpoints.gatewayAdminUrl,
  outputs: endpoints.outputs,
});

const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string', default: 'short' },
      scenario: { type: 'string', multiple: true },
      orders: { type: 'string' },
      running: { type: 'boolean', default: false },
      report: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const profile = values.profile as ChaosProfileName;
  if (!(profile in PROFILES)) {
    console.error(`--profile must be short or full, got '${values.profile}'\n\n${usage}`);
    return 2;
  }
  const say = (line: string) => console.log(`[chaos] ${line}`);
  let cloud: BreakwaterCloud | undefined;
  let target: ChaosTarget;
  if (values.running) {
    const endpoints = JSON.parse(
      await readFile(join(rootDirectory, '.breakwater', 'endpoints.json'), 'utf8'),
    );
    target = targetOf(endpoints as BreakwaterCloudEndpoints);
  } else {
    const { startBreakwaterCloud } = await import('../cloud/breakwater-cloud');
    say('starting a local cloud of its own...');
    cloud = await startBreakwaterCloud({
      rootDirectory,
      ports: { edge: 0, api: 0, redisRest: 0, gateway: 0 },
      assemblyDirectory: join(rootDirectory, '.breakwater', 'chaos-cdk.out'),
      // As the system tests: no back-off between a failing message's receives, and the outbox sweeper every 3 s.
      functionEnvironment: { RETRY_BASE_DELAY_SECONDS: '0' },
      scheduleSpeedup: 100,
      ...(values.verbose ? { log: (line: string) => console.log(`[local cloud] ${line}`) } : {}),
    });
    say(`local cloud ready in ${(cloud.timings.readyMs / 1000).toFixed(1)} s`);
    target = targetOf(cloud.endpoints);
  }
  const stop = async () => {
    await cloud?.stop();
  };
  const done: ScenarioReport[] = [];
  const started = Date.now();
  process.once('SIGINT', () => {
    // Cut short: the scenarios done so far, as the full report would show them.
    console.log(
      `interrupted; the scenarios done:\n${formatChaosReport(summarize(profile, done, Date.now() - started))}`,
    );
    void stop().then(() => process.exit(130));
  });
  try {
    const orders = values.orders === undefined ? undefined : Number(values.orders);
    if (orders !== undefined && !(Number.isInteger(orders) && orders > 0)) {
      console.error(`--orders must be a positive integer, got '${values.orders}'`);
      return 2;
    }
    const chosen = PROFILES[profile];
    const report = await runChaos({
      target,
      profile:
        orders === undefined
          ? profile
          : { ...chosen, scenarios: chosen.scenarios.map(({ scenario }) => ({ scenario, orders })) },
      ...(values.scenario === undefined ? {} : { only: values.scenario }),
      log: say,
      onScenario: (scenario) => done.push(scenario),
    });
    console.log(formatChaosReport(report));
    if (values.report !== undefined) await writeFile(values.report, `${JSON.stringify(report, null, 2)}\n`);
    return report.lost === 0 && report.doubleCharges === 0 ? 0 : 1;
  } finally {
    await stop();
  }
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[chaos] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
