import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { type EventPattern, type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  BasicConsumerMonitoring,
  type ConsumerAlarms,
  type ConsumerMonitoring,
  type DeadLetterQueueAlarms,
} from './monitoring.js';
import { acknowledge, NagReasons } from './nag.js';
import { createDeadLetterQueue, createSourceQueue, QueueDefaults } from './queues.js';
import { DlqKinds } from './tags.js';
import { minimumVisibilityTimeout, validateConsumerSettings } from './validation.js';

/**
 * Defaults of {@link EventConsumerProps}, in one object so that tests and docs can refer to them.
 *
 * @example
 * ```ts
 * const visibility = minimumVisibilityTimeout(EventConsumerDefaults.timeout, EventConsumerDefaults.maxBatchingWindow);
 * ```
 */
export const EventConsumerDefaults = {
  timeout: Duration.seconds(30),
  batchSize: 10,
  maxBatchingWindow: Duration.seconds(0),
  maxConcurrency: 5,
  maxReceiveCount: QueueDefaults.maxReceiveCount,
  queueRetention: QueueDefaults.retention,
  /** Long enough to ride out a regional SQS disruption, short enough to surface a lasting failure the same day. */
  targetMaxEventAge: Duration.hours(6),
  /** EventBridge's ceiling: the retry window is bounded by `targetMaxEventAge`, not by the count. */
  targetRetryAttempts: 185,
  /** Half the DLQ retention: a week to act before a dead letter expires. */
  deadLetterAlarmAge: Duration.days(7),
  /** A consumer whose oldest message waits this long has stopped making progress. */
  maxMessageAge: Duration.minutes(15),
  /** The variable that tells the function the URL of its own redrive DLQ. */
  deadLetterQueueUrlEnv: 'DEAD_LETTER_QUEUE_URL',
  /** Queues are emptied with the stack, CDK's default for queues; pass RETAIN for production data. */
  removalPolicy: RemovalPolicy.DESTROY,
} as const;

/**
 * Builds the consumer's function in the consumer's scope (so that it sits under the consumer in the construct
 * tree); `id` is `Handler`.
 *
 * @example
 * ```ts
 * const handler: HandlerFactory = (scope, id) =>
 *   new NodejsFunction(scope, id, { entry: 'src/billing.ts', timeout: Duration.seconds(30) });
 * ```
 */
export type HandlerFactory = (scope: Construct, id: string) => LambdaFunction;

/**
 * Properties of an {@link EventConsumer}. Only `consumerName`, `eventBus`, `eventPattern` and `handler` are
 * required; every other value has the default written beside it (also in {@link EventConsumerDefaults}).
 *
 * @example
 * ```ts
 * const props: EventConsumerProps = {
 *   consumerName: 'billing',
 *   eventBus,
 *   eventPattern: { source: ['shop.orders'], detailType: ['order.created'] },
 *   handler: (scope, id) => new NodejsFunction(scope, id, { entry: 'src/billing.ts' }),
 * };
 * ```
 */
export interface EventConsumerProps<TAlarms extends ConsumerAlarms = ConsumerAlarms> {
  /** Kebab-case name (`billing`), 2-31 characters: in tags, alarm names and the rule's description. */
  readonly consumerName: string;
  /** The bus whose events the rule matches. */
  readonly eventBus: IEventBus;
  /** Must list at least one `source` and one `detailType`: a consumer of "everything" is a mistake. */
  readonly eventPattern: EventPattern;
  /**
   * The function that consumes the queue: a ready function, or a factory the construct calls with itself as scope.
   * Its timeout must be `timeout`. It gets the SQS event source, `sqs:SendMessage` on its own redrive DLQ and that
   * DLQ's URL in `deadLetterQueueUrlEnv`.
   */
  readonly handler: LambdaFunction | HandlerFactory;
  /** The function's timeout (the visibility timeout is computed from it). @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** Messages per invocation, 1-10 (up to 10,000 with a batching window). @default 10 */
  readonly batchSize?: number;
  /** How long the poller gathers a batch, at most 300 s. @default Duration.seconds(0): invoke as soon as messages arrive */
  readonly maxBatchingWindow?: Duration;
  /** Concurrent invocations the event source may run, 2-1000. @default 5 */
  readonly maxConcurrency?: number;
  /** Receives before the redrive DLQ, 5-1000. @default 5 */
  readonly maxReceiveCount?: number;
  /** Source queue retention, shorter than the DLQs' 14 days. @default Duration.days(4) */
  readonly queueRetention?: Duration;
  /** At least 6× `timeout` + `maxBatchingWindow`, at most 12 hours. @default that minimum */
  readonly visibilityTimeout?: Duration;
  /** How long EventBridge retries delivery to the queue before the target DLQ, 60 s-24 h. @default Duration.hours(6) */
  readonly targetMaxEventAge?: Duration;
  /** Delivery retries by EventBridge (0-185), bounded by `targetMaxEventAge`. @default 185 */
  readonly targetRetryAttempts?: number;
  /** Age of the oldest dead letter that raises the age alarm, under 14 days. @default Duration.days(7) */
  readonly deadLetterAlarmAge?: Duration;
  /** Age of the oldest message of the queue that raises its age alarm (the consumer is stuck). @default Duration.minutes(15) */
  readonly maxMessageAge?: Duration;
  /** What the consumer does, one line, for monitoring. @default the detail types it consumes → its queue → its function */
  readonly description?: string;
  /** The rule's name (its AWS/Events metrics are dimensioned by it). @default generated by CloudFormation */
  readonly ruleName?: string;
  /** Removal policy of the three queues. @default RemovalPolicy.DESTROY */
  readonly removalPolicy?: RemovalPolicy;
  /** The rule's description. @default `events for the ${consumerName} consumer` */
  readonly ruleDescription?: string;
  /** The environment variable that carries the DLQ's URL to the function. @default 'DEAD_LETTER_QUEUE_URL' */
  readonly deadLetterQueueUrlEnv?: string;
  /**
   * Where the DLQ alarms (and a dashboard row) are built. @default a {@link ConsumerAlarms} in this construct,
   * with `alarmActions`
   */
  readonly monitoring?: ConsumerMonitoring<TAlarms>;
  /** Actions of the default alarms (ignored with `monitoring`). @default none */
  readonly alarmActions?: readonly IAlarmAction[];
}

/**
 * The event consumer: EventBridge rule → SQS queue → Lambda function, with both failure paths closed.
 *
 * - Rule (pattern from props) on the given bus, targeting the queue with a retry policy and its own DLQ (the
 *   target DLQ: events EventBridge could not deliver; CDK adds the queue policy that lets only this rule send).
 * - Queue: SSE-SQS, TLS only, redrive to the DLQ after `maxReceiveCount` receives; visibility timeout computed
 *   from the function timeout. DLQs keep 14 days, longer than the queue.
 * - Function: yours, with the SQS event source (`reportBatchItemFailures`: a bad record never fails its batch),
 *   batch size, batching window and `maxConcurrency`. It gets its redrive DLQ's URL and `sqs:SendMessage` on that
 *   queue only, so a record that can never succeed can be sent there at once, with its reason, instead of walking
 *   `maxReceiveCount` receives.
 * - Alarms on depth and oldest age of both DLQs (by default in this construct, or through your monitoring).
 *
 * Invalid props throw an {@link EventConsumerConfigurationError} at synth time, naming the rule broken.
 *
 * @example
 * ```ts
 * import { EventConsumer } from '@breakwater/event-consumer';
 *
 * const billing = new EventConsumer(stack, 'Billing', {
 *   consumerName: 'billing',
 *   eventBus,
 *   eventPattern: { source: ['shop.orders'], detailType: ['order.created'] },
 *   handler: (scope, id) => new NodejsFunction(scope, id, { entry: 'src/billing.ts' }),
 *   maxConcurrency: 5,
 * });
 * billing.deadLetterAlarms.depth.addAlarmAction(new SnsAction(pager));
 * ```
 */
export class EventConsumer<TAlarms extends ConsumerAlarms = ConsumerAlarms> extends Construct {
  public readonly rule: Rule;
  public readonly queue: Queue;
  /** Redrive DLQ of `queue`: messages the function failed `maxReceiveCount` times. */
  public readonly deadLetterQueue: Queue;
  /** DLQ of the rule target: events EventBridge could not deliver to `queue`. */
  public readonly targetDeadLetterQueue: Queue;
  /** The consuming function (the one given, or the factory's). */
  public readonly function: LambdaFunction;
  public readonly eventSource: SqsEventSource;
  /** The visibility timeout the queue got (computed unless given). */
  public readonly visibilityTimeout: Duration;
  public readonly deadLetterAlarms: DeadLetterQueueAlarms;
  public readonly targetDeadLetterAlarms: DeadLetterQueueAlarms;
  /** Every alarm of the consumer, as its monitoring built them (both DLQs and the queue's age at least). */
  public readonly alarms: TAlarms;

  public constructor(scope: Construct, id: string, props: EventConsumerProps<TAlarms>) {
    super(scope, id);
    const d = EventConsumerDefaults;
    const timeout = props.timeout ?? d.timeout;
    const maxBatchingWindow = props.maxBatchingWindow ?? d.maxBatchingWindow;
    const settings = {
      consumerName: props.consumerName,
      eventPattern: props.eventPattern,
      timeout,
      batchSize: props.batchSize ?? d.batchSize,
      maxBatchingWindow,
      maxConcurrency: props.maxConcurrency ?? d.maxConcurrency,
      maxReceiveCount: props.maxReceiveCount ?? d.maxReceiveCount,
      queueRetention: props.queueRetention ?? d.queueRetention,
      visibilityTimeout: props.visibilityTimeout ?? minimumVisibilityTimeout(timeout, maxBatchingWindow),
      deadLetterAlarmAge: props.deadLetterAlarmAge ?? d.deadLetterAlarmAge,
      targetMaxEventAge: props.targetMaxEventAge ?? d.targetMaxEventAge,
      targetRetryAttempts: props.targetRetryAttempts ?? d.targetRetryAttempts,
    };
    validateConsumerSettings(`EventConsumer ${this.node.path}`, settings);
    this.visibilityTimeout = settings.visibilityTimeout;
    const name = props.consumerName;
    const removalPolicy = props.removalPolicy ?? d.removalPolicy;

    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue', {
      kind: DlqKinds.redrive,
      source: name,
      removalPolicy,
    });
    this.queue = createSourceQueue(this, 'Queue', {
      source: name,
      deadLetterQueue: this.deadLetterQueue,
      maxReceiveCount: settings.maxReceiveCount,
      retention: settings.queueRetention,
      visibilityTimeout: settings.visibilityTimeout,
      removalPolicy,
    });
    this.targetDeadLetterQueue = createDeadLetterQueue(this, 'TargetDeadLetterQueue', {
      kind: DlqKinds.ruleTarget,
      source: name,
      removalPolicy,
    });

    this.rule = new Rule(this, 'Rule', {
      ...(props.ruleName === undefined ? {} : { ruleName: props.ruleName }),
      eventBus: props.eventBus,
      eventPattern: props.eventPattern,
      description: props.ruleDescription ?? `events for the ${name} consumer`,
    });
    this.rule.addTarget(
      new SqsQueue(this.queue, {
        deadLetterQueue: this.targetDeadLetterQueue,
        maxEventAge: settings.targetMaxEventAge,
        retryAttempts: settings.targetRetryAttempts,
      }),
    );

    this.function = typeof props.handler === 'function' ? props.handler(this, 'Handler') : props.handler;
    this.function.addEnvironment(
      props.deadLetterQueueUrlEnv ?? d.deadLetterQueueUrlEnv,
      this.deadLetterQueue.queueUrl,
    );
    // The DLQ fast path: exactly SendMessage on its own DLQ (and the key, were the DLQ ever KMS-encrypted).
    this.deadLetterQueue.grant(this.function, 'sqs:SendMessage');
    this.deadLetterQueue.encryptionMasterKey?.grant(this.function, 'kms:GenerateDataKey', 'kms:Decrypt');
    this.eventSource = new SqsEventSource(this.queue, {
      batchSize: settings.batchSize,
      maxBatchingWindow: settings.maxBatchingWindow.toSeconds() > 0 ? settings.maxBatchingWindow : undefined,
      maxConcurrency: settings.maxConcurrency,
      reportBatchItemFailures: true,
    });
    this.function.addEventSource(this.eventSource);
    acknowledge(
      this.function,
      'Serverless-LambdaEventSourceMappingDestination',
      NagReasons.sqsEsmDestination,
    );

    const monitoring =
      props.monitoring ??
      (new BasicConsumerMonitoring(this, props.alarmActions) as unknown as ConsumerMonitoring<TAlarms>);
    this.alarms = monitoring.watchConsumer({
      name,
      description:
        props.description ??
        `${[props.eventPattern.detailType ?? []].flat().join(', ')} → ${name} queue → ${name} function`,
      rule: { ruleName: props.ruleName ?? this.rule.ruleName, eventBusName: props.eventBus.eventBusName },
      queue: this.queue,
      function: this.function,
      deadLetterQueue: this.deadLetterQueue,
      targetDeadLetterQueue: this.targetDeadLetterQueue,
      deadLetterAlarmAge: settings.deadLetterAlarmAge,
      maxMessageAge: props.maxMessageAge ?? d.maxMessageAge,
    });
    this.deadLetterAlarms = this.alarms.deadLetter;
    this.targetDeadLetterAlarms = this.alarms.targetDeadLetter;
  }
}
