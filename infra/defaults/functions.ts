import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  type NodejsFunctionProps,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import type { StageConfig } from '../config';
import { repoRoot } from '../paths';

/**
 * Defaults of every function. Concurrency choices, stated once:
 * - Queue consumers are limited by the event source mapping's `maxConcurrency`, never by reserved concurrency:
 *   a reserved limit throttles the poller's invocations, and each throttled batch burns a receive of every message
 *   in it toward the DLQ.
 * - The HTTP API is limited by its stage throttling; the stream publisher by shards × parallelization factor.
 * - Reserved concurrency stays unset by default (a new account has only 10 units of which it may not reserve the
 *   last 10); a stack may set it per function where a downstream needs a hard ceiling.
 */
export const FunctionDefaults = {
  runtime: Runtime.NODEJS_24_X,
  architecture: Architecture.ARM_64,
  memorySize: 256,
  timeout: Duration.seconds(10),
  tracing: Tracing.ACTIVE,
} as const;

/** Environment variables Powertools reads (names fixed by Powertools itself, so not in `EnvNames`). */
export const PowertoolsEnv = {
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  /** The level Powertools Logger filters at (its current name; `LOG_LEVEL` is the legacy one). */
  logLevel: 'POWERTOOLS_LOG_LEVEL',
} as const;

/**
 * How function logs are filtered, decided once: by Powertools Logger (`POWERTOOLS_LOG_LEVEL`), never by Lambda.
 *
 * Lambda's log-level filtering (advanced logging controls: JSON log format plus an application log level) applies
 * to every line a function prints, and a JSON line without a `level` key counts as INFO
 * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html). The metrics are such
 * lines: Powertools Metrics prints each EMF object to stdout with no level. So a WARN application level would drop
 * every metric, and every alarm built on them (circuit breakers, batch records, the outbox sweeper) would go blind.
 * With the Text format Lambda filters nothing: Powertools Logger still writes one JSON object per line at its own
 * level, and EMF lines always reach CloudWatch Logs, where they become metrics.
 */
export const FunctionLogging = {
  format: LoggingFormat.TEXT,
} as const;

/** CloudWatch namespace of the custom metrics of a stage. */
export function metricsNamespace(config: StageConfig): string {
  return `Breakwater/${config.stage}`;
}

/**
 * esbuild options, the one place they are decided. Measured by `bench/bundle-size.bench.ts` (goal ≤ 400 KB each):
 * - One ESM bundle per function (`index.mjs`), target Node 24, minified; `mainFields` prefer `module` so that
 *   packages shipping ES modules are tree-shaken (esbuild shakes ESM whenever it bundles; CommonJS it cannot).
 * - The AWS SDK v3 (`@aws-sdk/*`) is external: the Node 24 runtime ships it, and bundled it was 300-380 KB of every
 *   function (over half of billing's). The price is that the SDK version is the runtime's, not the lockfile's: the
 *   code uses only long-standing SDK features (no call needs a recent client), and the local cloud's Lambda runner
 *   resolves the same imports from the project's node_modules. `@smithy/*` stays bundled: only a 1 KB helper of
 *   the X-Ray SDK imports it directly, and bundling it keeps that helper at the version it was tested with.
 * - A source map beside the bundle (not inline: the bundle stays small), without sources, and Node's source-map
 *   support enabled so stack traces point at the TypeScript; the map is read only when a stack is formatted.
 */
export const bundlingDefaults: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node24',
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  externalModules: ['@aws-sdk/*'],
  // The workspace packages (packages/*) bundle from their TypeScript sources, as the tests run them; esbuild drops
  // its default `module` condition once conditions are given, so it is named again.
  esbuildArgs: { '--conditions': 'breakwater-source,module' },
  // Some CommonJS dependencies call `require` for Node built-ins; an ESM bundle has no `require` unless given one.
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
};

/** Options the stage decides for {@link nodejsFunctionDefaults}. */
export interface FunctionDefaultsOptions {
  readonly config: StageConfig;
  /** `POWERTOOLS_SERVICE_NAME`: the service dimension of logs, metrics and traces. */
  readonly serviceName: string;
}

/**
 * The NodejsFunction properties every function gets: runtime, architecture, tracing, logs filtered by Powertools at
 * the stage's level (see {@link FunctionLogging}), bundling, and the Powertools environment. Callers add entry,
 * role, log group, timeout and their own environment on top.
 */
export function nodejsFunctionDefaults(options: FunctionDefaultsOptions): NodejsFunctionProps {
  const { config } = options;
  return {
    runtime: FunctionDefaults.runtime,
    architecture: FunctionDefaults.architecture,
    memorySize: FunctionDefaults.memorySize,
    timeout: FunctionDefaults.timeout,
    tracing: FunctionDefaults.tracing,
    loggingFormat: FunctionLogging.format,
    projectRoot: repoRoot,
    depsLockFilePath: join(repoRoot, 'package-lock.json'),
    handler: 'handler',
    bundling: bundlingDefaults,
    environment: {
      [PowertoolsEnv.serviceName]: options.serviceName,
      [PowertoolsEnv.metricsNamespace]: metricsNamespace(config),
      [PowertoolsEnv.logLevel]: config.logLevel,
      NODE_OPTIONS: '--enable-source-maps',
    },
  };
}
