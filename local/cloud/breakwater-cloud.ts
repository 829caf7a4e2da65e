import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  DefaultLocalPorts,
  type DynamoDbLocal,
  type LocalCloud,
  type LocalCloudEndpoints,
  type LocalPorts,
  type RedisServer,
  resolvePort,
  resolvePorts,
  startLocalCloud,
} from '@breakwater/local-cloud';
import { type FakePaymentGateway, startFakePaymentGateway } from '../gateway';
import { gatewayActuator } from '../gateway/fault-actuator';
import { breakwaterStatusSources } from '../status/breakwater-sources';

/**
 * Breakwater on the local cloud: the app layer over `@breakwater/local-cloud`. What only Breakwater needs lives
 * here: the fake payment gateway (started first, its URL goes into a secret), the values of the Redis and gateway
 * secrets, the circuits and gateway panels of the status page, the gateway's fault knobs, and how this repository's
 * CDK app is synthesized (its sources, its stage, its alarm address).
 */

/** Breakwater's ports: the local cloud's and the fake gateway's. */
export type BreakwaterPorts = LocalPorts & { readonly gateway: number };

/** Default ports: the local cloud's, and the gateway next to them. 0 means any free port. */
export const BreakwaterDefaultPorts = { ...DefaultLocalPorts, gateway: 4569 } as const;

/** Environment variable of the gateway's port (the others are the local cloud's `LocalPortEnv`). */
export const GATEWAY_PORT_ENV = 'BREAKWATER_GATEWAY_PORT';

/** Breakwater's ports from explicit values (flags), else the environment, else the defaults. */
export const resolveBreakwaterPorts = (
  explicit: Partial<Record<keyof BreakwaterPorts, string | number>> = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): BreakwaterPorts => {
  const { gateway, ...cloud } = explicit;
  return {
    ...resolvePorts(cloud, env),
    gateway: resolvePort(
      gateway,
      { flag: '--gateway-port', env: GATEWAY_PORT_ENV, fallback: BreakwaterDefaultPorts.gateway },
      env,
    ),
  };
};

/**
 * The alarm destination of the local cloud's deploy: an e-mail subscription on both alarm topics, which the local
 * SNS inbox records, so every notification can be read locally as the on-call address would receive it. (The app
 * refuses a stage without one; see `alarmDestinationsFrom` in infra/config.ts.)
 */
export const LOCAL_ALARM_EMAIL = 'oncall@breakwater.local';

/** What goes into the app's synthesized templates and bundles: a change to any of these means a new synth. */
const SOURCE_ROOTS = [
  'infra',
  'functions',
  'shared',
  'packages',
  'cdk.json',
  'package-lock.json',
  'tsconfig.json',
];

/** Options of {@link startBreakwaterCloud}. */
export interface BreakwaterCloudOptions {
  /** Repository root (holds cdk.json). */
  readonly rootDirectory: string;
  /** Ports of the edge, the HTTP API, the Redis REST endpoint and the fake gateway (0 = any free port). */
  readonly ports: BreakwaterPorts;
  /** A DynamoDB Local already starting; default: started here. */
  readonly dynamoDb?: Promise<DynamoDbLocal>;
  /** Where the cloud assembly goes; default `<root>/.breakwater/cdk.out`. */
  readonly assemblyDirectory?: string;
  /** CDK context over cdk.json's. Default: `{ stage: 'dev', alarmEmail: LOCAL_ALARM_EMAIL }`. */
  readonly context?: Readonly<Record<string, string>>;
  readonly forceSynth?: boolean;
  readonly eventBridgeRetryBaseDelayMs?: number;
  readonly scheduleSpeedup?: number;
  readonly functionEnvironment?: Readonly<Record<string, string>>;
  readonly cloudWatchTimeScale?: number;
  readonly persistDirectory?: string;
  readonly log?: (line: string) => void;
  readonly functionLog?: (source: string, line: string) => void;
}

/** Every URL of the local cloud, and the fake gateway's; also written to `.breakwater/endpoints.json`. */
export interface BreakwaterCloudEndpoints extends LocalCloudEndpoints {
  /** The fake payment gateway and its admin API. */
  readonly gatewayUrl: string;
  readonly gatewayAdminUrl: string;
}

/** A running local cloud with Breakwater deployed in it, and the fake payment gateway beside it. */
export interface BreakwaterCloud extends Omit<LocalCloud, 'endpoints' | 'redis'> {
  readonly endpoints: BreakwaterCloudEndpoints;
  readonly gateway: FakePaymentGateway;
  /** The redis-server behind the Upstash endpoint: `stop()` takes Redis down, `start()` brings it back empty. */
  readonly redis: RedisServer;
}

/** The CDK context of a local deploy: a dev stage whose alarms reach the local inbox, unless the caller says. */
const contextOf = (own: Readonly<Record<string, string>> = {}): Record<string, string> => {
  const destination = 'alarmEmail' in own || 'alarmEndpoint' in own || 'alarms' in own;
  return { stage: 'dev', ...(destination ? {} : { alarmEmail: LOCAL_ALARM_EMAIL }), ...own };
};

/**
 * Starts the local cloud with Breakwater deployed in it: the fake payment gateway first (a few milliseconds), then
 * the local cloud with the Redis and gateway secrets pointed at the local endpoints.
 */
export const startBreakwaterCloud = async (options: BreakwaterCloudOptions): Promise<BreakwaterCloud> => {
  const started = Date.now();
  const gateway = await startFakePaymentGateway({
    apiKey: randomBytes(24).toString('hex'),
    port: options.ports.gateway,
  });
  let cloud: LocalCloud;
  try {
    cloud = await startLocalCloud({
      rootDirectory: options.rootDirectory,
      // The workspace packages from their sources, as cdk.json's `app` runs them (without npx's lookup).
      app: `${join(options.rootDirectory, 'node_modules/.bin/tsx')} --conditions=breakwater-source infra/bin/app.ts`,
      sourceRoots: SOURCE_ROOTS,
      context: contextOf(options.context),
      assemblyDirectory: options.assemblyDirectory ?? join(options.rootDirectory, '.breakwater', 'cdk.out'),
      ports: { edge: options.ports.edge, redisRest: options.ports.redisRest },
      httpApiPorts: { HttpApi: options.ports.api },
      secretValuesFrom: ({ redisRestUrl = '', redisRestToken = '' }) => ({
        RedisSecret: { url: redisRestUrl, token: redisRestToken },
        PaymentGatewaySecret: { url: gateway.url, apiKey: gateway.apiKey },
      }),
      // Every resource is named `breakwater-<stage>-…` (infra/): the page shows the part after it. Each function logs
      // the order it works on as `orderId`: the page traces orders.
      statusPage: {
        title: 'Breakwater',
        namePrefix: '^breakwater-[a-z]+-',
        trace: { keyField: 'orderId', label: 'order' },
      },
      statusSources: ({ clients, outputs }) =>
        breakwaterStatusSources({
          dynamodb: clients.dynamodb!,
          ...(outputs.BreakerTableName === undefined ? {} : { breakerTableName: outputs.BreakerTableName }),
          gateway: gateway.admin,
        }),
      ...(options.dynamoDb === undefined ? {} : { dynamoDb: options.dynamoDb }),
      ...(options.forceSynth === undefined ? {} : { forceSynth: options.forceSynth }),
      ...(options.eventBridgeRetryBaseDelayMs === undefined
        ? {}
        : { eventBridgeRetryBaseDelayMs: options.eventBridgeRetryBaseDelayMs }),
      ...(options.scheduleSpeedup === undefined ? {} : { scheduleSpeedup: options.scheduleSpeedup }),
      ...(options.functionEnvironment === undefined
        ? {}
        : { functionEnvironment: options.functionEnvironment }),
      ...(options.cloudWatchTimeScale === undefined
        ? {}
        : { cloudWatchTimeScale: options.cloudWatchTimeScale }),
      ...(options.persistDirectory === undefined ? {} : { persistDirectory: options.persistDirectory }),
      ...(options.log === undefined ? {} : { log: options.log }),
      ...(options.functionLog === undefined ? {} : { functionLog: options.functionLog }),
    });
  } catch (error) {
    await gateway.stop();
    throw error;
  }
  const { redis } = cloud;
  if (redis === undefined) {
    await Promise.all([cloud.stop(), gateway.stop()]);
    throw new Error('the Upstash endpoint was expected to run its own redis-server');
  }
  cloud.faults.registerActuator('gateway', gatewayActuator(gateway.admin));
  const { outputs } = cloud.endpoints;
  return {
    ...cloud,
    endpoints: {
      ...cloud.endpoints,
      apiUrl: (outputs.ApiUrl ?? cloud.endpoints.apiUrl).replace(/\/$/, ''),
      gatewayUrl: gateway.url,
      gatewayAdminUrl: gateway.adminUrl,
    },
    gateway,
    redis,
    timings: { ...cloud.timings, readyMs: Date.now() - started },
    stop: async () => {
      await cloud.stop();
      await gateway.stop();
    },
  };
};
