import type { LocalCloudWatch } from '../cloudwatch/index.js';
import type { LocalClients, LocalDeployment } from '../deployer/index.js';
import type { ValueOverrides } from '../deployer/types.js';
import type { DynamoDbLocal } from '../dynamodb/dynamodb-local.js';
import type { EventBridgeService } from '../eventbridge/index.js';
import type { FaultStore } from '../faults/fault-store.js';
import type { LambdaRunner } from '../lambda/index.js';
import type { LocalCloudWatchLogs } from '../logs/index.js';
import type { RedisServer } from '../redis/redis-server.js';
import type { InboxEntry, LocalSns } from '../sns/index.js';
import type { FunctionLogBook } from '../status/log-book.js';
import type { StatusSources } from '../status/sources.js';
import type { StatusPage, StatusPageOptions } from '../status/status-page.js';
import type { SynthesizeOptions } from './assembly.js';

/** What `startLocalCloud` takes and gives: its options, the endpoints it serves, the running cloud. */

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
  /** The status page's title, the prefix of the app's resource names, what it traces (see `StatusPageOptions`). */
  readonly statusPage?: Pick<StatusPageOptions, 'title' | 'namePrefix' | 'trace'>;
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
