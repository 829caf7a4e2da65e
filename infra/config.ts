import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { DEFAULT_GATEWAY_MAX_AMOUNT_CENTS } from '../shared/payment-gateway/limits';
import { type BillingBulkhead, type BillingBulkheadSettings, billingBulkhead } from './billing-bulkhead';
import { InfraConfigurationError } from './errors';

/** Deployment stages. Chosen with `-c stage=dev|prod` (default `dev`, see cdk.json). */
export const Stages = { dev: 'dev', prod: 'prod' } as const;

/** One of {@link Stages}. */
export type Stage = (typeof Stages)[keyof typeof Stages];

/** Powertools log levels, as the `POWERTOOLS_LOG_LEVEL` environment variable takes them. */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** Everything that differs between stages. One object, built once in `bin/app.ts`, passed to every stack. */
export interface StageConfig {
  readonly stage: Stage;
  /** Prefix of physical names and alarm names, e.g. `breakwater-dev`. */
  readonly prefix: string;
  /** Applied to every stateful resource (tables, queues, secrets, log groups, keys, archive). */
  readonly removalPolicy: RemovalPolicy;
  /** DynamoDB deletion protection and CloudFormation termination protection. */
  readonly protectData: boolean;
  readonly logRetention: RetentionDays;
  readonly logLevel: LogLevel;
  /** How long the event bus archive keeps events for replay. */
  readonly archiveRetention: Duration;
  /** Steady-state requests per second and burst of the HTTP API stage. */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /** Who the alarm topics notify (see {@link alarmDestinationsFrom}): required, or opted out explicitly. */
  readonly alarmDestinations: AlarmDestinations;
  /** The orders API's rules, from CDK context (see {@link ordersApiSettingsFrom}). */
  readonly ordersApi: OrdersApiSettings;
  /** Billing's bulkhead: concurrency and batch size derived from the gateway's rate limit (see billing-bulkhead.ts). */
  readonly billing: BillingBulkhead;
}

/** Deploy-time settings of the orders API (CDK context), passed to the function's environment. */
export interface OrdersApiSettings {
  /**
   * A role (ARN) that may read every order besides the principal that created it, e.g. a support tool's, from
   * `-c orderReaderRoleArn=arn:aws:iam::<account>:role/<name>`. Default: none (only owners read their orders).
   */
  readonly orderReaderRoleArn?: string;
  /**
   * The payment gateway's largest charge in minor units, from `-c gatewayMaxAmountCents=<n>`: larger orders are
   * refused with a 400. Default `DEFAULT_GATEWAY_MAX_AMOUNT_CENTS` (99,999,999).
   */
  readonly gatewayMaxAmountCents: number;
}

/**
 * Where alarm notifications go. Both topics (page and notice) notify every destination given; `none` is the explicit
 * opt-out (a synth that deploys nothing, or a stage someone watches another way), never the default.
 */
export type AlarmDestinations =
  | {
      readonly kind: 'subscribers';
      /** From `-c alarmEmail=oncall@example.com`: an e-mail subscription (confirmed once by its owner). */
      readonly email?: string;
      /** From `-c alarmEndpoint=https://...`: an HTTPS subscription (a chat webhook, an incident tool). */
      readonly endpoint?: string;
    }
  | { readonly kind: 'none' };

/** The context keys of the alarm destinations. */
export const AlarmContextKeys = {
  email: 'alarmEmail',
  endpoint: 'alarmEndpoint',
  /** `-c alarms=none`: deploy the topics with no subscriber, knowingly. */
  optOut: 'alarms',
} as const;

/**
 * Billing's gateway figures per stage; each can be overridden with `-c billingGatewayRateLimit=<req/s>`,
 * `-c billingGatewayLatencyMs=<ms>`, `-c billingBatchSize=<1-10>`.
 * - dev: 200 req/s at 300 ms, 10 per batch → ⌊200 × 0.3 / 10⌋ = 6 invocations, 60 charges in flight, 200/s.
 * - prod: 1,000 req/s at 300 ms, 10 per batch → 30 invocations, 300 in flight, 1,000 charges/s (twice the API's
 *   500 req/s stage limit, so a backlog drains at twice the rate it can build up).
 */
const billingGatewayPerStage: Record<Stage, BillingBulkheadSettings> = {
  dev: { gatewayRateLimitPerSecond: 200, gatewayLatencyMs: 300, batchSize: 10 },
  prod: { gatewayRateLimitPerSecond: 1_000, gatewayLatencyMs: 300, batchSize: 10 },
};

const perStage: Record<
  Stage,
  Omit<StageConfig, 'stage' | 'prefix' | 'alarmDestinations' | 'ordersApi' | 'billing'>
> = {
  dev: {
    removalPolicy: RemovalPolicy.DESTROY,
    protectData: false,
    logRetention: RetentionDays.TWO_WEEKS,
    logLevel: 'DEBUG',
    archiveRetention: Duration.days(7),
    apiThrottle: { rateLimit: 50, burstLimit: 100 },
  },
  prod: {
    removalPolicy: RemovalPolicy.RETAIN,
    protectData: true,
    logRetention: RetentionDays.THREE_MONTHS,
    logLevel: 'INFO',
    archiveRetention: Duration.days(90),
    apiThrottle: { rateLimit: 500, burstLimit: 1000 },
  },
};

function isStage(value: string): value is Stage {
  return Object.values(Stages).includes(value as Stage);
}

/**
 * Reads the stage configuration from the CDK context of `scope`: `stage` (default `dev`), the alarm destinations and
 * the orders API settings. Throws {@link InfraConfigurationError} for an unknown stage or missing alarm destinations
 * rather than deploying a half-configured stage.
 */
export function stageConfigFrom(scope: Construct): StageConfig {
  const raw: unknown = scope.node.tryGetContext('stage') ?? Stages.dev;
  const stage = String(raw).trim();
  if (!isStage(stage)) {
    throw new InfraConfigurationError(
      'context "stage"',
      `unknown stage "${stage}"; expected one of ${Object.values(Stages).join(', ')}`,
    );
  }
  return {
    stage,
    prefix: `breakwater-${stage}`,
    ...perStage[stage],
    alarmDestinations: alarmDestinationsFrom(scope),
    ordersApi: ordersApiSettingsFrom(scope),
    billing: billingBulkheadFrom(scope, stage),
  };
}

const contextString = (scope: Construct, key: string): string | undefined => {
  const raw: unknown = scope.node.tryGetContext(key);
  if (raw === undefined || raw === null) return undefined;
  const value = String(raw).trim();
  return value === '' ? undefined : value;
};

const emailPattern = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * Reads the alarm destinations: `alarmEmail`, `alarmEndpoint` (HTTPS only: SNS would send alarm details in clear
 * over HTTP), or `alarms=none`. An alarm that reaches no one is worse than none (it looks watched), so deploying
 * without a destination is an error unless opted out; `none` beside a destination is a contradiction, also an error.
 */
export function alarmDestinationsFrom(scope: Construct): AlarmDestinations {
  const email = contextString(scope, AlarmContextKeys.email);
  const endpoint = contextString(scope, AlarmContextKeys.endpoint);
  const optOut = contextString(scope, AlarmContextKeys.optOut);
  const subject = 'alarm destinations';
  if (optOut !== undefined && optOut !== 'none') {
    throw new InfraConfigurationError(
      subject,
      `-c alarms=${optOut} is not an option; the only value is "none"`,
    );
  }
  if (optOut === 'none') {
    if (email !== undefined || endpoint !== undefined) {
      throw new InfraConfigurationError(
        subject,
        '-c alarms=none contradicts -c alarmEmail / -c alarmEndpoint: pass one or the other',
      );
    }
    return { kind: 'none' };
  }
  if (email === undefined && endpoint === undefined) {
    throw new InfraConfigurationError(
      subject,
      'the alarm topics would notify no one. Pass -c alarmEmail=oncall@example.com, ' +
        '-c alarmEndpoint=https://hooks.example.com/... (chat or incident webhook), or, to deploy them without ' +
        'a subscriber knowingly (e.g. a synth that deploys nothing), -c alarms=none',
    );
  }
  if (email !== undefined && !emailPattern.test(email)) {
    throw new InfraConfigurationError(subject, `-c alarmEmail="${email}" is not an e-mail address`);
  }
  if (endpoint !== undefined && !/^https:\/\/[^\s/]+/.test(endpoint)) {
    throw new InfraConfigurationError(
      subject,
      `-c alarmEndpoint="${endpoint}" must be an https:// URL (SNS would post alarm details over plain HTTP)`,
    );
  }
  return {
    kind: 'subscribers',
    ...(email === undefined ? {} : { email }),
    ...(endpoint === undefined ? {} : { endpoint }),
  };
}

/**
 * The stage's billing bulkhead, with the CDK context's overrides (`billingGatewayRateLimit`,
 * `billingGatewayLatencyMs`, `billingBatchSize`). Throws {@link InfraConfigurationError} for a value that is not a
 * number or a bulkhead that cannot be built (see `billingBulkhead`).
 */
export function billingBulkheadFrom(scope: Construct, stage: Stage): BillingBulkhead {
  const number = (key: string, fallback: number): number => {
    const raw: unknown = scope.node.tryGetContext(key);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value)) {
      throw new InfraConfigurationError(`context "${key}"`, `must be a number, got ${JSON.stringify(raw)}`);
    }
    return value;
  };
  const defaults = billingGatewayPerStage[stage];
  return billingBulkhead({
    gatewayRateLimitPerSecond: number('billingGatewayRateLimit', defaults.gatewayRateLimitPerSecond),
    gatewayLatencyMs: number('billingGatewayLatencyMs', defaults.gatewayLatencyMs),
    batchSize: number('billingBatchSize', defaults.batchSize),
  });
}

const roleArnPattern = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * Reads `orderReaderRoleArn` and `gatewayMaxAmountCents` from the CDK context. Throws
 * {@link InfraConfigurationError} for a value that is not a role ARN or not a positive integer.
 */
export function ordersApiSettingsFrom(scope: Construct): OrdersApiSettings {
  const reader: unknown = scope.node.tryGetContext('orderReaderRoleArn');
  const orderReaderRoleArn = typeof reader === 'string' && reader.trim() !== '' ? reader.trim() : undefined;
  if (orderReaderRoleArn !== undefined && !roleArnPattern.test(orderReaderRoleArn)) {
    throw new InfraConfigurationError(
      'context "orderReaderRoleArn"',
      `"${orderReaderRoleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`,
    );
  }
  const rawMax: unknown = scope.node.tryGetContext('gatewayMaxAmountCents');
  const gatewayMaxAmountCents = rawMax === undefined ? DEFAULT_GATEWAY_MAX_AMOUNT_CENTS : Number(rawMax);
  if (!Number.isSafeInteger(gatewayMaxAmountCents) || gatewayMaxAmountCents < 1) {
    throw new InfraConfigurationError(
      'context "gatewayMaxAmountCents"',
      `must be a positive integer (minor units), got ${JSON.stringify(rawMax)}`,
    );
  }
  return { gatewayMaxAmountCents, ...(orderReaderRoleArn === undefined ? {} : { orderReaderRoleArn }) };
}
