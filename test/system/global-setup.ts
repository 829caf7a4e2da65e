import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type BreakwaterCloud, startBreakwaterCloud } from '../../local/cloud/breakwater-cloud';
import { SystemTargets } from './support/description';
import { chosenTarget, describeDeployedApp } from './support/discover';

let cloud: BreakwaterCloud | undefined;
let privateTmp: string | undefined;
const previousTmp = process.env.TMPDIR;

/**
 * Brings up the system under test once for the whole suite: the embedded local cloud by default (on free ports, so
 * it never clashes with a running `npm start`), or describes an app already deployed to LocalStack or AWS.
 */
export const setup = async (project: TestProject): Promise<void> => {
  const target = chosenTarget();
  if (target !== SystemTargets.local) {
    project.provide('breakwater', await describeDeployedApp(target));
    return;
  }
  const verbose = process.env.BREAKWATER_VERBOSE === '1';
  // The cloud and the processes it starts (the CDK app under tsx, function runtimes) use a temporary directory of
  // the suite's own, removed at teardown: nothing they cache there outlives the run.
  privateTmp = mkdtempSync(join(tmpdir(), 'breakwater-system-'));
  process.env.TMPDIR = privateTmp;
  cloud = await startBreakwaterCloud({
    rootDirectory: resolve(import.meta.dirname, '../..'),
    ports: { edge: 0, api: 0, redisRest: 0, gateway: 0 },
    // Its own assembly folder: the project must not race a developer's `npm start` over `.breakwater/cdk.out`, nor
    // the other system project (each brings up a cloud of its own) over its own.
    assemblyDirectory: resolve(import.meta.dirname, `../../.breakwater/test-cdk.out/${project.name}`),
    // No back-off between a failing message's receives (production waits 2 s doubling): billing's 59 receives then
    // take seconds, so the suite can watch a message walk into its DLQ. Every other setting is the template's.
    // The outbox sweeper takes items a stream publisher left for 5 s (production: 5 minutes), so the stranded-outbox
    // alarm test sees a run sweep them in seconds; the schedule still runs every 5 minutes.
    functionEnvironment: { RETRY_BASE_DELAY_SECONDS: '0', OUTBOX_SWEEP_GRACE_SECONDS: '5' },
    // CloudWatch's time runs 60 times faster: a 1-minute alarm period passes in a second, so the alarm tests see
    // alarms fire and clear within their evaluation windows in seconds. The templates' periods stay as they are.
    cloudWatchTimeScale: 60,
    ...(verbose
      ? {
          log: (line: string) => console.log(`[local cloud] ${line}`),
          functionLog: (source: string, line: string) => console.log(`[${source}] ${line}`),
        }
      : {}),
  });
  const { endpoints } = cloud;
  project.provide('breakwater', {
    target,
    region: endpoints.region,
    awsEndpointUrl: endpoints.edgeUrl,
    apiUrl: endpoints.apiUrl,
    signApiRequests: false,
    outputs: endpoints.outputs,
    gatewayAdminUrl: endpoints.gatewayAdminUrl,
    redisAdminUrl: endpoints.redisAdminUrl,
    inboxUrl: endpoints.inboxUrl,
    cloudWatchClockUrl: endpoints.cloudWatchClockUrl,
    scheduleClockUrl: endpoints.scheduleClockUrl,
  });
};

export const teardown = async (): Promise<void> => {
  await cloud?.stop();
  if (previousTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previousTmp;
  if (privateTmp !== undefined) rmSync(privateTmp, { recursive: true, force: true });
};
