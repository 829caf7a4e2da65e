import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CLOUDWATCH_CLOCK_PATH, scaledClock } from '../cloudwatch/index.js';
import { runnerMetrics, startServiceMetrics } from '../cloudwatch/service-metrics.js';
import {
  createLocalClients,
  deployLocal,
  destroyLocalClients,
  type LocalDeployment,
} from '../deployer/index.js';
import type { ValueOverrides } from '../deployer/types.js';
import { startDynamoDbLocal } from '../dynamodb/dynamodb-local.js';
import { createEventBridgeService, realTimeScheduler, SCHEDULE_CLOCK_PATH } from '../eventbridge/index.js';
import { invocationFaults, lambdaActuator, redisActuator } from '../faults/actuators.js';
import { FAULTS_PATH } from '../faults/edge-faults.js';
import { FaultStore } from '../faults/fault-store.js';
import { withPutEventsFaults } from '../faults/put-events-faults.js';
import { type LambdaRunner, startLambdaRunner } from '../lambda/index.js';
import { INBOX_PATH } from '../sns/index.js';
import { restoreSqsSnapshot, saveSqsSnapshot } from '../sqs/snapshot.js';
import { FunctionLogBook } from '../status/log-book.js';
import { STATUS_PATH, StatusPage } from '../status/status-page.js';
import { LOCAL_REGION } from '../support/aws-protocol.js';
import { clockHandler } from '../support/clock-http.js';
import { startUpstashEndpoint, type UpstashEndpoint } from '../upstash/index.js';
import { connectAlarmActions } from './alarm-actions.js';
import { synthesizeApp } from './assembly.js';
import { attachCloudFormation } from './cloudformation-target.js';
import { startCoreServices } from './core-services.js';
import { lambdaBackend } from './lambda-backend.js';
import { createStops, settledOrThrow, track } from './lifecycle.js';
import type { LocalCloud, LocalCloudEndpoints, LocalCloudOptions } from './local-cloud-types.js';
import { statusSourcesOf } from './status-sources.js';
import { createTargetDelivery } from './target-delivery.js';

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
      { log, ...options.statusPage },
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
