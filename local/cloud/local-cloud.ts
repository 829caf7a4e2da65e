import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CLOUDWATCH_CLOCK_PATH, type LocalCloudWatch, scaledClock } from '../cloudwatch';
import { runnerMetrics, startServiceMetrics } from '../cloudwatch/service-metrics';
import { createLocalClients, deployLocal, destroyLocalClients, type LocalDeployment } from '../deployer';
import { type DynamoDbLocal, startDynamoDbLocal } from '../dynamodb/dynamodb-local';
import {
  createEventBridgeService,
  type EventBridgeService,
  realTimeScheduler,
  SCHEDULE_CLOCK_PATH,
} from '../eventbridge';
import { gatewayActuator, invocationFaults, lambdaActuator, redisActuator } from '../faults/actuators';
import { FAULTS_PATH } from '../faults/edge-faults';
import { FaultStore } from '../faults/fault-store';
import { withPutEventsFaults } from '../faults/put-events-faults';
import { type FakePaymentGateway, startFakePaymentGateway } from '../gateway';
import { type LambdaRunner, startLambdaRunner } from '../lambda';
import type { LocalCloudWatchLogs } from '../logs';
import type { RedisServer } from '../redis/redis-server';
import { INBOX_PATH, type InboxEntry, type LocalSns } from '../sns';
import { restoreSqsSnapshot, saveSqsSnapshot } from '../sqs/snapshot';
import { localStatusSources } from '../status/local-sources';
import { FunctionLogBook } from '../status/log-book';
import type { StatusSources } from '../status/sources';
import { STATUS_PATH, StatusPage } from '../status/status-page';
import { LOCAL_REGION } from '../support/aws-protocol';
import { clockHandler } from '../support/clock-http';
import type { LocalPorts } from '../support/ports';
import { startUpstashEndpoint } from '../upstash';
import { connectAlarmActions } from './alarm-actions';
import { synthesizeApp } from './assembly';
import { attachCloudFormation } from './cloudformation-target';
import { startCoreServices } from './core-services';
import { lambdaBackend } from './lambda-backend';
import { createTargetDelivery } from './target-delivery';

/** Options of {@link startLocalCloud}. */
export interface LocalCloudOptions {
  /** Repository root (holds cdk.json). */
  readonly rootDirectory: string;
  /** Ports of the edge, the HTTP API, the Redis REST endpoint and the fake gateway (0 = any free port). */
  readonly ports: LocalPorts;
  /** A DynamoDB Local already starting (see `CoreServicesOptions.dynamoDb`); default: started here. */
  readonly dynamoDb?: Promise<DynamoDbLocal>;
  /** Where the cloud assembly goes; default `<root>/.breakwater/cdk.out`. */
  readonly assemblyDirectory?: string;
  /** Synthesize even if the sources did not change. Default false. */
  readonly forceSynth?: boolean;
  /** Pause before EventBridge target retries (AWS backs off for minutes; locally a fraction of a second). */
  readonly eventBridgeRetryBaseDelayMs?: number;
  /**
   * How much faster than the wall clock scheduled rules run (the outbox sweeper's `rate(5 minutes)` fires every 3 s
   * at 100). Default 1: AWS's timing.
   */
  readonly scheduleSpeedup?: number;
  /**
   * Environment variables set on every function over the template's, e.g. `RETRY_BASE_DELAY_SECONDS=0` so that a
   * message that keeps failing reaches its DLQ in seconds. Default: none (the template's values).
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
  /** Progress lines of the local cloud itself. Default: none. */
  readonly log?: (line: string) => void;
  /** Log lines of the functions, by function name. Default: none. */
  readonly functionLog?: (source: string, line: string) => void;
}

/** Every URL a user or a test needs; also written to `.breakwater/endpoints.json`. */
export interface LocalCloudEndpoints {
  /** `AWS_ENDPOINT_URL` for any AWS SDK or the AWS CLI. */
  readonly edgeUrl: string;
  /** The orders HTTP API (API Gateway HTTP API, payload v2). */
  readonly apiUrl: string;
  /** Upstash-REST-compatible Redis endpoint and its token. */
  readonly redisRestUrl: string;
  readonly redisRestToken: string;
  /** Admin API of the Redis endpoint: `PUT <url>/redis {"running": false|true}` takes Redis down and back. */
  readonly redisAdminUrl: string;
  /** The fault API (`GET`, `POST`, `DELETE`; see local/faults and `npm run faults`). */
  readonly faultsUrl: string;
  /** The fake payment gateway and its admin API. */
  readonly gatewayUrl: string;
  readonly gatewayAdminUrl: string;
  /** The SNS inbox: `GET` it for every notification as JSON (`?topicArn=` to filter). */
  readonly inboxUrl: string;
  /** CloudWatch's clock: `GET` it, or `POST {"advanceSeconds": n}` to jump it forward (see `cloudWatchTimeScale`). */
  readonly cloudWatchClockUrl: string;
  /** The schedules' clock: `GET` it, or `POST {"advanceSeconds": n}` to jump it, so a schedule runs now. */
  readonly scheduleClockUrl: string;
  /** The status page on the edge: topology, queue depths, circuits, gateway calls, an order's path. */
  readonly statusUrl: string;
  readonly region: string;
  /** Every stack output of the deployed app, by output key (`BillingDlqUrl`, `EventBusName`, ...). */
  readonly outputs: Readonly<Record<string, string>>;
}

/** A running local cloud with the Breakwater app deployed in it. */
export interface LocalCloud {
  readonly endpoints: LocalCloudEndpoints;
  readonly deployment: LocalDeployment;
  readonly gateway: FakePaymentGateway;
  /** The redis-server behind the Upstash endpoint: `stop()` takes Redis down, `start()` brings it back empty. */
  readonly redis: RedisServer;
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
  /** The function logs kept for the status page (an order's path is found in them). */
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

/**
 * Starts the embedded local cloud and deploys Breakwater into it: the edge (SQS on our engine, DynamoDB Local,
 * Secrets Manager, SSM, EventBridge, Lambda Invoke), the Upstash-REST endpoint over redis-server and the fake
 * payment gateway start together; the CDK app is synthesized (or its assembly reused), its templates deployed, and
 * the bundled functions run with their event sources. The Redis and gateway secrets get the local values.
 */
export const startLocalCloud = async (options: LocalCloudOptions): Promise<LocalCloud> => {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  let runner: LambdaRunner | undefined;
  const functionLogs = new FunctionLogBook();
  try {
    const faults = new FaultStore({ log: (line) => log(`fault ${line}`) });
    const redisToken = randomBytes(24).toString('hex');
    const gatewayApiKey = randomBytes(24).toString('hex');
    const synthesis = synthesizeApp({
      rootDirectory: options.rootDirectory,
      ...(options.assemblyDirectory === undefined ? {} : { outDirectory: options.assemblyDirectory }),
      ...(options.forceSynth ? { force: true } : {}),
      log,
    });
    // Everything independent starts at once; synthesis (or its cache check) runs alongside.
    // allSettled, not all: when one part fails, the others must have finished starting so they can be stopped.
    const [core, upstash, gateway] = settledOrThrow(
      await Promise.allSettled([
        track(
          startCoreServices({
            edgePort: options.ports.edge,
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
        track(
          startUpstashEndpoint({
            token: redisToken,
            port: options.ports.redisRest,
            faults,
            ...(options.persistDirectory === undefined
              ? {}
              : { redisDataDirectory: join(options.persistDirectory, 'redis') }),
          }),
          stops,
        ),
        track(startFakePaymentGateway({ apiKey: gatewayApiKey, port: options.ports.gateway }), stops),
      ] as const),
    );
    if (options.persistDirectory !== undefined) {
      // Before the deploy, which finds the queues again (same names) and keeps their messages; saved at stop,
      // after the functions stopped consuming (stops run last-registered first).
      const snapshotFile = join(options.persistDirectory, 'sqs.json');
      const restored = restoreSqsSnapshot(core.sqs.store, snapshotFile);
      if (restored.queues > 0) log(`restored ${restored.queues} queues and ${restored.messages} messages`);
      stops.push(async () => saveSqsSnapshot(core.sqs.store, snapshotFile));
    }
    const scheduler = realTimeScheduler({ speedup: options.scheduleSpeedup ?? 1 });
    core.edge.registerPathHandler(SCHEDULE_CLOCK_PATH, clockHandler(scheduler));
    const sqsForDelivery = new SQSClient(clientConfig(core.endpoints.edge));
    stops.push(async () => sqsForDelivery.destroy());
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
    stops.push(async () => eventBridge.close());
    core.edge.registerService(withPutEventsFaults(eventBridge, faults));
    const { cloudWatch, sns, logs } = core;
    const disconnectAlarmActions = connectAlarmActions(cloudWatch, sns, log);
    stops.push(async () => disconnectAlarmActions());
    sns.connect({
      toFunction: (functionArn, event) => void runner?.invokeAsync(functionArn, event),
    });
    const serviceMetrics = startServiceMetrics({
      cloudWatch,
      queues: () => core.sqs.store.list(LOCAL_REGION),
      rules: () => eventBridge.metrics().rules,
    });
    stops.push(async () => serviceMetrics.stop());

    const { assemblyDirectory, durationMs: synthMs, synthesized } = await synthesis;
    const clients = createLocalClients({ edge: core.endpoints.edge }, LOCAL_REGION);
    stops.push(async () => destroyLocalClients(clients));
    const deployment = await deployLocal({
      assemblyDirectory,
      clients,
      secretValues: {
        RedisSecret: { url: upstash.url, token: upstash.token },
        PaymentGatewaySecret: { url: gateway.url, apiKey: gateway.apiKey },
      },
      httpApiPorts: { HttpApi: options.ports.api },
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
    stops.push(() => runningRunner.stop());
    core.edge.registerBackend(lambdaBackend(runningRunner));
    // CloudFormation and S3 on the same edge: `cdk deploy` of another CDK app lands next to Breakwater.
    const cloudFormation = attachCloudFormation({ core, serveInvoke: false, log });
    stops.push(() => cloudFormation.stop());

    const outputs = flattenOutputs(deployment);
    // The status page's sources: what the local cloud runs, the alarms of its CloudWatch and the SNS inbox included.
    const statusSources: StatusSources = {
      ...localStatusSources({
        sqs: clients.sqs!,
        eventBridge: clients.eventBridge!,
        dynamodb: clients.dynamodb!,
        lambda: deployment.lambda,
        ...(outputs.BreakerTableName === undefined ? {} : { breakerTableName: outputs.BreakerTableName }),
        gateway: gateway.admin,
      }),
      logs: async (limit) => functionLogs.recent(limit),
      alarms: async () =>
        cloudWatch.alarms.list().map((alarm) => ({
          name: alarm.AlarmName,
          state: alarm.StateValue,
          reason: alarm.StateReason,
          updatedAt: new Date(alarm.StateUpdatedTimestamp).toISOString(),
          topics: alarm.AlarmActions.map((arn) => arn.split(':').at(-1) ?? arn),
        })),
      // The topics' own inbox entries (one per publish), not each subscriber's copy.
      notifications: async () =>
        sns
          .notifications()
          .filter((entry) => entry.subscriptionArn === undefined)
          .map((entry) => ({
            topic: entry.topicArn.split(':').at(-1) ?? entry.topicArn,
            ...(entry.subject === undefined ? {} : { subject: entry.subject }),
            message: entry.message,
            at: entry.timestamp,
          })),
    };
    const status = new StatusPage(statusSources, { log });
    stops.push(async () => status.stop());
    core.edge.registerPathHandler(STATUS_PATH, status.handle);
    const endpoints: LocalCloudEndpoints = {
      edgeUrl: core.endpoints.edge,
      apiUrl: (outputs.ApiUrl ?? runningRunner.httpApis[0]?.url ?? '').replace(/\/$/, ''),
      redisRestUrl: upstash.url,
      redisRestToken: upstash.token,
      redisAdminUrl: upstash.adminUrl,
      faultsUrl: `${core.endpoints.edge}${FAULTS_PATH}`,
      gatewayUrl: gateway.url,
      gatewayAdminUrl: gateway.adminUrl,
      inboxUrl: `${core.endpoints.edge}${INBOX_PATH}`,
      cloudWatchClockUrl: `${core.endpoints.edge}${CLOUDWATCH_CLOCK_PATH}`,
      scheduleClockUrl: `${core.endpoints.edge}${SCHEDULE_CLOCK_PATH}`,
      statusUrl: `${core.endpoints.edge}${STATUS_PATH}`,
      region: LOCAL_REGION,
      outputs,
    };
    const { redisServer } = upstash;
    if (redisServer === undefined)
      throw new Error('the Upstash endpoint was expected to run its own redis-server');
    faults.registerActuator('lambda', lambdaActuator(runningRunner));
    faults.registerActuator('redis', redisActuator(redisServer));
    faults.registerActuator('gateway', gatewayActuator(gateway.admin));
    return {
      endpoints,
      deployment,
      gateway,
      redis: redisServer,
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
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};

/** Registers the stop function of a started component as soon as it is up. */
const track = async <T extends { stop(): Promise<void> }>(
  starting: Promise<T>,
  stops: (() => Promise<void>)[],
): Promise<T> => {
  const component = await starting;
  stops.push(() => component.stop());
  return component;
};

const settledOrThrow = <T extends readonly unknown[]>(
  results: {
    readonly [K in keyof T]: PromiseSettledResult<T[K]>;
  },
): T => {
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
};

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: LOCAL_REGION,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
