import { stsBackend } from '../cloudformation/sts.js';
import { CLOUDWATCH_CLOCK_PATH, type CloudWatchClock, LocalCloudWatch } from '../cloudwatch/index.js';
import { type DynamoDbLocal, startDynamoDbLocal } from '../dynamodb/dynamodb-local.js';
import { type EdgeBackend, type EdgeExchange, inProcessBackend, proxyBackend } from '../edge/backends.js';
import { type Edge, startEdge } from '../edge/edge-server.js';
import { FAULTS_PATH, handleFaultsApi, serveWithFaults } from '../faults/edge-faults.js';
import type { FaultStore } from '../faults/fault-store.js';
import { LocalCloudWatchLogs } from '../logs/index.js';
import { createSecretsManager } from '../secrets/secrets-manager.js';
import { createSsmParameterStore } from '../secrets/ssm.js';
import { INBOX_PATH, inboxHandler, LocalSns } from '../sns/index.js';
import { createSqsEngine, type SqsEngine } from '../sqs/engine.js';
import { SQS_QUERY_OPERATIONS } from '../sqs/query-shapes.js';
import { type SqsServer, startSqsServer } from '../sqs/server.js';
import { type JsonProtocolService, LOCAL_REGION } from '../support/aws-protocol.js';
import { clockHandler } from '../support/clock-http.js';
import { sendJson } from '../support/http-io.js';
import { cloudWatchBackend, snsBackend } from './operations-backends.js';

/** Options of {@link startCoreServices}; every one has a default. */
export interface CoreServicesOptions {
  /** Edge port; default `BREAKWATER_EDGE_PORT`, else 4566; 0 picks a free port. */
  readonly edgePort?: number;
  /** Edge interface; default `127.0.0.1`. */
  readonly edgeHost?: string;
  /**
   * A DynamoDB Local already starting (the main command starts the JVM first, while it loads everything else);
   * it is stopped with the rest. Default: one is started here. `false`: none (suites that need only SQS and the
   * in-process services start in a fraction of the time).
   */
  readonly dynamoDb?: Promise<DynamoDbLocal> | false;
  /** DynamoDB Local's own port; default a free port. */
  readonly dynamoDbPort?: number;
  /** The SQS engine's own port; default a free port. */
  readonly sqsPort?: number;
  /** The clock of the local CloudWatch (a faster one for tests, see `scaledClock`); default the wall clock. */
  readonly cloudWatchClock?: CloudWatchClock;
  /** Default region; default `us-east-1`. */
  readonly region?: string;
  /** Where unexpected errors are reported; default standard error. */
  readonly log?: (message: string) => void;
  /** Fault rules of the edge (see faults/). Default: none, and no fault API. */
  readonly faults?: FaultStore;
}

/** The running core of the local cloud. */
export interface CoreServices {
  /** The edge: register more services on it (EventBridge, ...). */
  readonly edge: Edge;
  readonly endpoints: {
    /** The one URL for `AWS_ENDPOINT_URL`. */
    readonly edge: string;
    /** The SQS engine's own endpoint (direct, bypassing the edge). */
    readonly sqs: string;
    /** DynamoDB Local's own endpoint (direct, bypassing the edge); absent when started without it. */
    readonly dynamodb: string;
  };
  /** The SQS engine (the edge serves it in process). */
  readonly sqs: SqsEngine;
  /** CloudWatch: metrics, alarms (served on the edge, both protocols). */
  readonly cloudWatch: LocalCloudWatch;
  /** SNS: topics, subscriptions and the inbox (`GET /_breakwater/inbox`). */
  readonly sns: LocalSns;
  /** CloudWatch Logs: every function's output. */
  readonly logs: LocalCloudWatchLogs;
  readonly secretsManager: JsonProtocolService;
  readonly ssm: JsonProtocolService;
  /** Stops everything started here; safe to call more than once. */
  stop(): Promise<void>;
}

/** Fault injection on the edge: rules applied before each backend, and their API at `/_breakwater/faults`. */
const edgeFaults = (faults: FaultStore) => ({
  serve: (exchange: EdgeExchange, backend: EdgeBackend) => serveWithFaults(exchange, backend, faults),
});

/** The SQS engine behind the edge: both protocols, served in process. */
const sqsEngineBackend = (engine: SqsEngine): EdgeBackend =>
  inProcessBackend({
    name: 'sqs',
    targetPrefixes: ['AmazonSQS'],
    signingNames: ['sqs'],
    queryActions: new Set(Object.keys(SQS_QUERY_OPERATIONS)),
    serve: async (exchange) =>
      engine.serve(exchange.req, exchange.res, await exchange.body(), {
        requestId: exchange.requestId,
        region: exchange.route.region,
      }),
  });

/**
 * Starts the SQS engine (with its own endpoint too), DynamoDB Local (with Streams), Secrets
 * Manager and SSM, and the edge in front of them. If any part fails to start, the parts already started are
 * stopped before throwing.
 */
export const startCoreServices = async (options: CoreServicesOptions = {}): Promise<CoreServices> => {
  const region = options.region ?? LOCAL_REGION;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    const pending = stops.splice(0).reverse();
    for (const stop of pending) await stop().catch(() => undefined);
  };
  try {
    const sqs = createSqsEngine({ region, ...(options.log === undefined ? {} : { log: options.log }) });
    stops.push(() => sqs.stop());
    const [dynamodb, sqsServer] = await Promise.all([
      options.dynamoDb === false
        ? Promise.resolve(undefined)
        : (
            options.dynamoDb ??
            startDynamoDbLocal(options.dynamoDbPort === undefined ? {} : { port: options.dynamoDbPort })
          ).then((started: DynamoDbLocal) => {
            stops.push(() => started.stop());
            return started;
          }),
      startSqsServer({ engine: sqs, port: options.sqsPort ?? 0 }).then((started: SqsServer) => {
        stops.push(() => started.stop());
        return started;
      }),
    ]);
    const secretsManager = createSecretsManager();
    const ssm = createSsmParameterStore();
    const cloudWatch = new LocalCloudWatch({
      region,
      ...(options.cloudWatchClock === undefined ? {} : { clock: options.cloudWatchClock }),
    });
    stops.push(async () => cloudWatch.stop());
    const sns = new LocalSns({ region, ...(options.log === undefined ? {} : { log: options.log }) });
    const logs = new LocalCloudWatchLogs(region);
    // SQS subscribers get their notifications from the engine directly (Lambda subscribers are wired by the cloud).
    sns.connect({
      toQueue: async (queueArn, body) => {
        const queue = sqs.store.byArn(queueArn);
        if (queue === undefined) throw new Error(`queue ${queueArn} does not exist`);
        const context = { region: queue.region, host: 'localhost', protocol: 'json' } as const;
        await sqs.run(
          'SendMessage',
          { QueueUrl: sqs.store.urlOf(queue, 'localhost'), MessageBody: body },
          context,
        );
      },
    });
    const edge = await startEdge({
      ...(options.edgePort === undefined ? {} : { port: options.edgePort }),
      ...(options.edgeHost === undefined ? {} : { host: options.edgeHost }),
      ...(options.log === undefined ? {} : { log: options.log }),
      ...(options.faults === undefined ? {} : edgeFaults(options.faults)),
      services: [secretsManager, ssm, logs],
      backends: [
        ...(dynamodb === undefined
          ? []
          : [
              proxyBackend({
                name: 'dynamodb',
                upstream: dynamodb.endpoint,
                targetPrefixes: ['DynamoDB_20120810', 'DynamoDBStreams_20120810'],
                signingNames: ['dynamodb'],
              }),
            ]),
        stsBackend(options.log === undefined ? {} : { log: options.log }),
        sqsEngineBackend(sqs),
        cloudWatchBackend(cloudWatch, options.log),
        snsBackend(sns, options.log),
      ],
    });
    edge.registerPathHandler(INBOX_PATH, async (req, res) => inboxHandler(sns)(req, res));
    edge.registerPathHandler(CLOUDWATCH_CLOCK_PATH, clockHandler(cloudWatch.clock));
    const { faults } = options;
    if (faults !== undefined) {
      edge.registerPathHandler(FAULTS_PATH, async (req, res) => {
        if (!(await handleFaultsApi(req, res, faults))) sendJson(res, 404, { error: 'not found' });
      });
    }
    stops.push(() => edge.stop());
    return {
      edge,
      endpoints: { edge: edge.url, sqs: sqsServer.endpoint, dynamodb: dynamodb?.endpoint ?? '' },
      sqs,
      cloudWatch,
      sns,
      logs,
      secretsManager,
      ssm,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
