import { defineConfig } from 'vitest/config';

/**
 * The workspace packages (packages/*) are imported by name, as users do; their `breakwater-source` export condition
 * points at their TypeScript sources, so tests run the code as it is, without a build (tsconfig, the function
 * bundler and tsx resolve the same condition). Inline projects do not inherit the root config: each spreads this.
 */
const conditions = ['breakwater-source', 'node', 'development|production'];
const sourceResolution = { conditions, externalConditions: conditions };
const workspaceSources = {
  resolve: sourceResolution,
  ssr: { resolve: sourceResolution },
  // `__vitest__` is the environment a project's global setup runs in (the system suite's local cloud).
  environments: { ssr: { resolve: sourceResolution }, __vitest__: { resolve: sourceResolution } },
};

/**
 * Integration tests whose promises are times on a fleet of simulated containers in one process (the breaker's trip,
 * probe rounds and close within bounds): `npm test` runs them after the other lanes, on a machine no other test
 * loads, since a starved event loop makes a healthy 20 ms call look slow and fails a probe round.
 */
const ALONE_TESTS = ['test/integration/circuit-breaker/concurrency.test.ts'];

/** The alarm tests: a system project of their own, on a local cloud of their own (see `systemProject`). */
const ALARM_TESTS = 'test/system/alarms-*.test.ts';

/**
 * A project of the deployed app end to end. Its files run one after another (they share the deployed app and break it
 * on purpose: a gateway outage, Redis down, faults), on a local cloud its global setup brings up for it alone: so
 * `system` and `system-alarms` can run side by side in two vitest processes (`npm test`, test/run-suites.mjs).
 */
const systemProject = (name: string, files: { include?: string[]; exclude?: string[] }) => ({
  ...workspaceSources,
  test: {
    name,
    setupFiles: ['test/support/private-tmpdir.setup.ts'],
    include: files.include ?? ['test/system/**/*.test.ts'],
    ...(files.exclude === undefined ? {} : { exclude: ['**/node_modules/**', ...files.exclude] }),
    environment: 'node' as const,
    globalSetup: ['test/system/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});

/**
 * Seven projects (`integration-alone`: see ALONE_TESTS): `unit` (pure logic: no sockets, no temporary directories, no child processes), `infra` (CDK assertions and cdk-nag over the synthesized app),
 * `integration` (components against real local engines: DynamoDB Local, redis-server, fauxqs, the edge), `conformance` (the local cloud against AWS-documented behaviours; each case cites its source and
 * runs against a real account with `BREAKWATER_TARGET=aws`), `system` (the deployed app end to end: the embedded local
 * cloud by default, LocalStack or AWS with `BREAKWATER_TARGET`) and `system-alarms` (the same, for the alarm tests).
 */
export default defineConfig({
  test: {
    // Two files at a time (the default on 2 cores is one): most integration files wait on engines, not the CPU.
    maxWorkers: 2,
    projects: [
      {
        ...workspaceSources,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/unit/no-io.setup.ts'],
        },
      },
      {
        ...workspaceSources,
        test: {
          name: 'infra',
          setupFiles: ['test/support/private-tmpdir.setup.ts'],
          include: ['test/infra/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        ...workspaceSources,
        test: {
          name: 'integration',
          setupFiles: ['test/support/private-tmpdir.setup.ts'],
          include: ['test/integration/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...ALONE_TESTS],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
      {
        ...workspaceSources,
        test: {
          name: 'integration-alone',
          setupFiles: ['test/support/private-tmpdir.setup.ts'],
          include: ALONE_TESTS,
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
      {
        ...workspaceSources,
        test: {
          name: 'conformance',
          setupFiles: ['test/support/private-tmpdir.setup.ts'],
          include: ['test/conformance/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      systemProject('system', { exclude: [ALARM_TESTS] }),
      systemProject('system-alarms', { include: [ALARM_TESTS] }),
    ],
  },
});
