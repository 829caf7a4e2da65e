import { defineConfig } from 'vitest/config';

/**
 * Five projects: `unit` (pure logic: no sockets, no temporary directories, no child processes), `infra` (CDK assertions and cdk-nag over the synthesized app),
 * `integration` (components against real local engines: DynamoDB Local, redis-server, fauxqs, the edge), `conformance` (the local cloud against AWS-documented behaviours; each case cites its source and
 * runs against a real account with `BREAKWATER_TARGET=aws`) and `system`
 * (the deployed app end to end: the embedded local cloud by default, LocalStack or AWS with `BREAKWATER_TARGET`).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/unit/no-io.setup.ts'],
        },
      },
      {
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
        test: {
          name: 'integration',
          setupFiles: ['test/support/private-tmpdir.setup.ts'],
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'conformance',
          setupFiles: ['test/support/private-tmpdir.setup.ts'],
          include: ['test/conformance/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'system',
          setupFiles: ['test/support/private-tmpdir.setup.ts'],
          include: ['test/system/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/system/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
