import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CLOUDWATCH_CLOCK_PATH, type LocalCloudWatch, scaledClock } from '../cloudwatch/index.js';
import { runnerMetrics, startServiceMetrics } from '../cloudwatch/service-metrics.js';
import {
  createLocalClients,
  deployLocal,
  destroyLocalClients,
  type LocalClients,
  type LocalDeployment,
} from '../deployer/index.js';
import type { ValueOverrides } from '../deployer/types.js';
import { type DynamoDbLocal, startDynamoDbLocal } from '../dynamodb/dynamodb-local.js';
import {
  createEventBridgeService,
  type EventBridgeService,
  realTimeScheduler,
  SCHEDULE_CLOCK_PATH,
} from '../eventbridge/index.js';
import { invocationFaults, lambdaActuator, redisActuator } from '../faults/actuators.js';
import { FAULTS_PATH } from '../faults/edge-faults.js';
import { FaultStore } from '../faults/fault-store.js';
import { withPutEventsFaults } from '../faults/put-events-faults.js';
import { type LambdaRunner, startLambdaRunner } from '../lambda/index.js';
import type { LocalCloudWatchLogs } from '../logs/index.js';
import type { RedisServer } from '../redis/redis-server.js';
import { INBOX_PATH, type InboxEntry, type LocalSns } from '../sns/index.js';
import { restoreSqsSnapshot, saveSqsSnapshot } from '../sqs/snapshot.js';
import { FunctionLogBook } from '../status/log-book.js';
import type { StatusSources } from '../status/sources.js';
import { STATUS_PATH, StatusPage } from '../status/status-page.js';
import { LOCAL_REGION } from '../support/aws-protocol.js';
import { clockHandler } from '../support/clock-http.js';
import { startUpstashEndpoint, type UpstashEndpoint } from '../upstash/index.js';
import { connectAlarmActions } from './alarm-actions.js';
import { type SynthesizeOptions, synthesizeApp } from './assembly.js';
import { attachCloudFormation } from './cloudformation-target.js';
import { startCoreServices } from './core-services.js';
import { lambdaBackend } from './lambda-backend.js';
import { createStops, settledOrThrow, track } from './lifecycle.js';
import { statusSourcesOf } from './status-sources.js';
import { createTargetDelivery } from './target-delivery.js';

/** The local cloud's endpoints a template's secrets may need (an app maps them onto its own secrets). */
export interface SecretSources {
  readonly edgeUrl: string;
  /** The Upstash-REST Redis endpoint and its token; absent with `redis: false`. */
  readonly redisRestUrl?: string;
  readonly redisRestToken?: string;
}

/** Options of {@link startLocalCloud}; every default is documented. */
export interface LocalCloudOptions {
  /**
   * The CDK app's directory (holds cdk.json): the app is synthesized there (or its last assembly reused when no
   * source changed). Default: none; then `assemblyDirectory` must hold an assembly already synthesized.
   */
  readonly rootDirectory?: string;
  /** The command that runs the CDK app; default cdk.json's `app`. */
  readonly app?: string;
  /** CDK context, over cdk.json's. Default: none. */
  readonly context?: Readonly<Record<string, string>>;
  /** What the synthesized assembly depends on, relative to `rootDirectory` (see `SynthesizeOptions.sourceRoots`). */
  readonly sourceRoots?: SynthesizeOptions['sourceRoots'];
  /** Where the cloud assembly is (or goes); default `<rootDirectory>/.local-cloud/cdk.out`. */
  readonly assemblyDirectory?: string;
  /** Synthesize even if the sources did not change. Default false. */
  readonly forceSynth?: boolean;
  /** The edge's port (`AWS_ENDPOINT_URL`) and the Redis REST endpoint's; 0 = any free port. Default: both free. */
  readonly ports?: { readonly edge?: number; readonly redisRest?: number };
  /** Ports of the HTTP APIs, by logical id (`{ HttpApi: 4567 }`). Default: free ports. */
  readonly httpApiPorts?: Readonly<Record<string, number>>;
  /** Values of the template's `AWS::SecretsManager::Secret` resources (see `DeployOptions.secretValues`). */
  readonly secretValues?: ValueOverrides;
  /**
   * The same, computed from the local cloud's endpoints once they are up (a secret holding the Redis REST URL and
   * token). Used when `secretValues` is not given. Default: the template's own values (generated or placeholders).
   */
  readonly secretValuesFrom?: (sources: SecretSources) => ValueOverrides;
  /** Start the Upstash-REST Redis endpoint over a redis-server (it needs `redis-server` on the PATH). Default true. */
  readonly redis?: boolean;
  /** A DynamoDB Local already starting (see `CoreServicesOptions.dynamoDb`); default: started here. */
  readonly dynamoDb?: Promise<DynamoDbLocal>;
  /** Pause before EventBridge target retries (AWS backs off for minutes; locally a fraction of a second). */
  readonly eventBridgeRetryBaseDelayMs?: number;
  /** How much faster than the wall clock scheduled rules run. Default 1: AWS's timing. */
  readonly scheduleSpeedup?: number;
  /**
   * Environment variables set on every function over the template's, e.g. a shorter retry delay so that a message
   * that keeps failing reaches its DLQ in seconds. Default: none (the template's values).
   */
  readonly functionEnvironment?: Readonly<Record<string, string>>;
  /**
   * How much faster than the wall clock CloudWatch's time runs: at 60 a 1-minute alarm period passes in a second,
   * and message ages and iterator ages are measured on the same clock. Default 1: AWS's timing.
   */
  readonly cloudWatchTimeScale?: number;
  /**
   * Keep SQS queues and messages (a snapshot written at stop), DynamoDB tables (`dynamoDb` must then be started
   * with this directory's `dynamodb` folder, or is started so here) and Redis (an append-only file) across restarts
   * in this directory. Default: nothing kept, a restart starts empty.
   */
  readonly persistDirectory?: string;
  /** An app's own sources of the status page (circuits, a fake dependency), over the local cloud's. Default: none. */
  readonly statusSources?: (deployed: {
    readonly clients: LocalClients;
    readonly outputs: Readonly<Record<string, string>>;
  }) => Partial<StatusSources>;
  /** Progress lines of the local cloud itself. Default: none. */
  readonly log?: (line: string) => void;
  /** Log lines of the functions, by function name. Default: none. */
  readonly functionLog?: (source: string, line: string) => void;
}

/** Every URL a user or a test needs. */
export interface LocalCloudEndpoints {
  /** `AWS_ENDPOINT_URL` for any AWS SDK or the AWS CLI. */
  readonly edgeUrl: string;
  /** The first HTTP API of the app (API Gateway HTTP API, payload v2); empty when it has none. */
  readonly apiUrl: string;
  /** Upstash-REST-compatible Redis endpoint and its token; empty with `redis: false`. */
  readonly redisRestUrl: string;
  readonly redisRestToken: string;
  /** Admin API of the Redis endpoint: `PUT <url>/redis {"running": false|true}` takes Redis down and back. */
  readonly redisAdminUrl: string;
  /** The fault API (`GET`, `POST`, `DELETE`). */
  readonly faultsUrl: string;
  /** The SNS inbox: `GET` it for every notification as JSON (`?topicArn=` to filter). */
  readonly inboxUrl: string;
  /** CloudWatch's clock: `GET` it, or `POST {"advanceSeconds": n}` to jump it forward (see `cloudWatchTimeScale`). */
  readonly cloudWatchClockUrl: string;
  /** The schedules' clock: `GET` it, or `POST {"advanceSeconds": n}` to jump it, so a schedule runs now. */
  readonly scheduleClockUrl: string;
  /** The status page on the edge: topology, queue depths, alarms, notifications, and the app's own sources. */
  readonly statusUrl: string;
  readonly region: string;
  /** Every stack output of the deployed app, by output key. */
  readonly outputs: Readonly<Record<string, string>>;
}

/** A running local cloud with a CDK app deployed in it. */
export interface LocalCloud {
  readonly endpoints: LocalCloudEndpoints;
  readonly deployment: LocalDeployment;
  /** SDK clients of every emulated service, pointed at the edge. */
  readonly clients: LocalClients;
  /** The redis-server behind the Upstash endpoint (`stop()` takes Redis down); absent with `redis: false`. */
  readonly redis?: RedisServer;
  readonly eventBridge: EventBridgeService;
  readonly runner: LambdaRunner;
  /** The fault rules of every service of this cloud (also served at `endpoints.faultsUrl`). */
  readonly faults: FaultStore;
  /**
   * The local CloudWatch: `describeAlarms()` lists every alarm with its state (DescribeAlarms' shape),
   * `onAlarmStateChange(listener)` hears transitions, `clock` is its (possibly faster) time.
   */
  readonly cloudWatch: LocalCloudWatch;
  /** The local SNS (topics, subscriptions, inbox). */
  readonly sns: LocalSns;
  /** The local CloudWatch Logs (every function's output). */
  readonly logs: LocalCloudWatchLogs;
  /** The SNS inbox, oldest first: every publish to a topic and every delivery to a subscription. */
  notifications(filter?: { readonly topicArn?: string; readonly endpoint?: string }): InboxEntry[];
  /** The status page (and its JSON API) served on the edge at `endpoints.statusUrl`. */
  readonly status: StatusPage;
  /** The function logs kept for the status page (a request's path is found in them). */
  readonly functionLogs: FunctionLogBook;
  /** Milliseconds from the call to ready, and how much of it was synthesis. */
  readonly timings: { readonly readyMs: number; readonly synthMs: number; readonly synthesized: boolean };
  /** Stops every process and server it started; safe to call more than once. */
  stop(): Promise<void>;
}

/** Stack outputs of every stack, by key, without CDK's generated cross-stack `Exports...` outputs. */
const flattenOutputs = (deployment: LocalDeployment): Record<string, string> =>
  Object.fromEntries(
    deployment.stacks.flatMap((stack) =>
      Object.entries(stack.outputs).filter(([key]) => !key.startsWith('ExportsOutput')),
    ),
  );

/** The assembly to deploy: synthesized (or reused) when the app's directory is given, else the one named. */
const assemblyOf = async (
  options: LocalCloudOptions,
  log: (line: string) => void,
): Promise<{ assemblyDirectory: string; durationMs: number; synthesized: boolean }> => {
  if (options.rootDirectory === undefined) {
    if (options.assemblyDirectory === undefined)
      throw new Error('startLocalCloud needs rootDirectory (a CDK app) or assemblyDirectory (its cdk.out)');
    return { assemblyDirectory: options.assemblyDirectory, durationMs: 0, synthesized: false };
  }
  return synthesizeApp({
    rootDirectory: options.rootDirectory,
    ...(options.app === undefined ? {} : { app: options.app }),
    ...(options.context === undefined ? {} : { context: options.context }),
    ...(options.sourceRoots === undefined ? {} : { sourceRoots: options.sourceRoots }),
    ...(options.assemblyDirectory === undefined ? {} : { outDirectory: options.assemblyDirectory }),
    ...(options.forceSynth ? { force: true } : {}),
    log,
  });
};

/**
 * Starts the embedded local cloud and deploys a CDK app into it: the edge (SQS on our engine, DynamoDB Local,
 * Secrets Manager, SSM, EventBridge, CloudWatch, SNS, Logs, Lambda Invoke, CloudFormation and S3 for `cdk deploy`)
 * and the Upstash-REST endpoint over redis-server start together; the app is synthesized (or its assembly reused),
 * its templates deployed, and the bundled functions run with their event sources.
 */
export const startLocalCloud = async (options: LocalCloudOptions): Promise<LocalCloud> => {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const stops = createStops();
  let runner: LambdaRunner | undefined;
  const functionLogs = new FunctionLogBook();
  try {
    const faults = new FaultStore({ log: (line) => log(`fault ${line}`) });
    const synthesis = assemblyOf(options, log);
    // Everything independent starts at once; synthesis (or its cache check) runs alongside.
    const [core, upstash] = settledOrThrow(
      await Promise.allSettled([
        track(
          startCoreServices({
            ...(options.ports?.edge === undefined ? {} : { edgePort: options.ports.edge }),
            log,
            faults,
            cloudWatchClock: scaledClock(options.cloudWatchTimeScale ?? 1),
            ...(options.dynamoDb === undefined
              ? options.persistDirectory === undefined
                ? {}
                : {
                    dynamoDb: startDynamoDbLocal({
                      dataDirectory: join(options.persistDirectory, 'dynamodb'),
                    }),
                  }
              : { dynamoDb: options.dynamoDb }),
          }),
          stops,
        ),
        options.redis === false
          ? Promise.resolve(undefined)
          : track(
              startUpstashEndpoint({
                token: randomBytes(24).toString('hex'),
                port: options.ports?.redisRest ?? 0,
                faults,
                ...(options.persistDirectory === undefined
                  ? {}
                  : { redisDataDirectory: join(options.persistDirectory, 'redis') }),
              }),
              stops,
            ),
        // The synthesis settles here too: a failed synth must not leave the services running unstopped.
        synthesis,
      ] as const),
    );
    if (options.persistDirectory !== undefined) {
      // Before the deploy, which finds the queues again (same names) and keeps their messages; saved at stop,
      // after the functions stopped consuming (stops run last-registered first).
      const snapshotFile = join(options.persistDirectory, 'sqs.json');
      const restored = restoreSqsSnapshot(core.sqs.store, snapshotFile);
      if (restored.queues > 0) log(`restored ${restored.queues} queues and ${restored.messages} messages`);
      stops.add(async () => saveSqsSnapshot(core.sqs.store, snapshotFile));
    }
    const scheduler = realTimeScheduler({ speedup: options.scheduleSpeedup ?? 1 });
    core.edge.registerPathHandler(SCHEDULE_CLOCK_PATH, clockHandler(scheduler));
    const sqsForDelivery = new SQSClient(clientConfig(core.endpoints.edge));
    stops.add(async () => sqsForDelivery.destroy());
    const eventBridge = createEventBridgeService({
      delivery: createTargetDelivery({
        sqs: sqsForDelivery,
        sqsEndpoint: core.endpoints.edge,
        runner: () => runner,
        faults,
      }),
      retryBaseDelayMs: options.eventBridgeRetryBaseDelayMs ?? 200,
      scheduler,
      // An event lost for good is always said, in the progress log when there is one, else on standard error.
      ...(options.log === undefined ? {} : { log: options.log }),
    });
    stops.add(async () => eventBridge.close());
    core.edge.registerService(withPutEventsFaults(eventBridge, faults));
    const { cloudWatch, sns, logs } = core;
    const disconnectAlarmActions = connectAlarmActions(cloudWatch, sns, log);
    stops.add(async () => disconnectAlarmActions());
    sns.connect({
      toFunction: (functionArn, event) => void runner?.invokeAsync(functionArn, event),
    });
    const serviceMetrics = startServiceMetrics({
      cloudWatch,
      queues: () => core.sqs.store.list(LOCAL_REGION),
      rules: () => eventBridge.metrics().rules,
    });
    stops.add(async () => serviceMetrics.stop());

    const { assemblyDirectory, durationMs: synthMs, synthesized } = await synthesis;
    const clients = createLocalClients({ edge: core.endpoints.edge }, LOCAL_REGION);
    stops.add(async () => destroyLocalClients(clients));
    const deployment = await deployLocal({
      assemblyDirectory,
      clients,
      ...secretValuesOption(options, core.endpoints.edge, upstash),
      ...(options.httpApiPorts === undefined ? {} : { httpApiPorts: options.httpApiPorts }),
      log,
    });
    runner = await startLambdaRunner({
      topology: deployment.lambda,
      clients: { sqs: clients.sqs!, dynamodbStreams: clients.dynamodbStreams! },
      environment: {
        region: LOCAL_REGION,
        awsEndpointUrl: core.endpoints.edge,
        ...(options.functionEnvironment === undefined ? {} : { overrides: options.functionEnvironment }),
      },
      observer: runnerMetrics(cloudWatch),
      invocationFault: invocationFaults(faults),
      log: (source, line, context) => {
        // A function's own line is kept in its log group and read for EMF metrics, as CloudWatch Logs does.
        if (context !== undefined) {
          logs.appendFunctionLine(context.logGroup, context.logStream, line);
          cloudWatch.ingestLogLine(line);
        }
        functionLogs.add(source, line);
        options.functionLog?.(source, line);
      },
    });
    const runningRunner = runner;
    stops.add(() => runningRunner.stop());
    core.edge.registerBackend(lambdaBackend(runningRunner));
    // CloudFormation and S3 on the same edge: `cdk deploy` of another CDK app lands next to this one.
    const cloudFormation = attachCloudFormation({ core, serveInvoke: false, log });
    stops.add(() => cloudFormation.stop());

    const outputs = flattenOutputs(deployment);
    const status = new StatusPage(
      {
        ...statusSourcesOf({ clients, deployment, cloudWatch, sns, functionLogs }),
        ...options.statusSources?.({ clients, outputs }),
      },
      { log },
    );
    stops.add(async () => status.stop());
    core.edge.registerPathHandler(STATUS_PATH, status.handle);
    const edgeUrl = core.endpoints.edge;
    const endpoints: LocalCloudEndpoints = {
      edgeUrl,
      apiUrl: (runningRunner.httpApis[0]?.url ?? '').replace(/\/$/, ''),
      redisRestUrl: upstash?.url ?? '',
      redisRestToken: upstash?.token ?? '',
      redisAdminUrl: upstash?.adminUrl ?? '',
      faultsUrl: `${edgeUrl}${FAULTS_PATH}`,
      inboxUrl: `${edgeUrl}${INBOX_PATH}`,
      cloudWatchClockUrl: `${edgeUrl}${CLOUDWATCH_CLOCK_PATH}`,
      scheduleClockUrl: `${edgeUrl}${SCHEDULE_CLOCK_PATH}`,
      statusUrl: `${edgeUrl}${STATUS_PATH}`,
      region: LOCAL_REGION,
      outputs,
    };
    faults.registerActuator('lambda', lambdaActuator(runningRunner));
    const redisServer = upstash?.redisServer;
    if (redisServer !== undefined) faults.registerActuator('redis', redisActuator(redisServer));
    return {
      endpoints,
      deployment,
      clients,
      ...(redisServer === undefined ? {} : { redis: redisServer }),
      eventBridge,
      runner: runningRunner,
      faults,
      cloudWatch,
      sns,
      logs,
      notifications: (filter) => sns.notifications(filter),
      status,
      functionLogs,
      timings: { readyMs: Date.now() - started, synthMs, synthesized },
      stop: stops.stopAll,
    };
  } catch (error) {
    await stops.stopAll();
    throw error;
  }
};

/** The deploy's secret values: as given, or computed from the endpoints the secrets point at. */
const secretValuesOption = (
  options: LocalCloudOptions,
  edgeUrl: string,
  upstash: UpstashEndpoint | undefined,
): { secretValues?: ValueOverrides } => {
  if (options.secretValues !== undefined) return { secretValues: options.secretValues };
  if (options.secretValuesFrom === undefined) return {};
  return {
    secretValues: options.secretValuesFrom({
      edgeUrl,
      ...(upstash === undefined ? {} : { redisRestUrl: upstash.url, redisRestToken: upstash.token }),
    }),
  };
};

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: LOCAL_REGION,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
