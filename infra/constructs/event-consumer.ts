import { Duration } from 'aws-cdk-lib';
import { type EventPattern, type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EnvNames } from '../../shared/config/env-names';
import type { StageConfig } from '../config';
import { createDeadLetterQueue, createSourceQueue, QueueDefaults } from '../defaults/queues';
import { DlqKinds } from '../defaults/tags';
import type { FunctionName } from '../paths';
import { minimumVisibilityTimeout, validateConsumerSettings } from './event-consumer-validation';
import type {
  ConsumerAlarms,
  DeadLetterQueueAlarms,
  OperationsMonitoring,
} from './monitoring/operations-monitoring';
import { acknowledge, NagReasons } from './nag';
import { ServiceFunction } from './service-function';

/** Defaults of {@link EventConsumerProps}, in one object so that tests and docs can refer to them. */
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
  /** A consumer whose oldest message waits this long has stopped making progress: it pages. */
  maxMessageAge: Duration.minutes(15),
} as const;

/** Properties of an {@link EventConsumer}. */
export interface EventConsumerProps {
  /** Kebab-case name (`billing`): in tags, alarm names and outputs. */
  readonly consumerName: string;
  /** Folder under `functions/` holding the handler. */
  readonly handler: FunctionName;
  readonly config: StageConfig;
  readonly eventBus: IEventBus;
  /** Must list at least one `source` and one `detailType` (build them from `EventSources` / `EventTypes`). */
  readonly eventPattern: EventPattern;
  /** Builds the DLQ alarms (in the Operations stack) and the consumer's dashboard row. */
  readonly monitoring: OperationsMonitoring;
  /** Function environment (EnvNames only; secrets by ARN). Default: none beyond STAGE and Powertools. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Function timeout. Default: 30 s. */
  readonly timeout?: Duration;
  /** Function memory in MB. Default: `FunctionDefaults.memorySize` (256). */
  readonly memorySize?: number;
  /** Messages per invocation, 1-10 (up to 10,000 with a batching window). Default: 10. */
  readonly batchSize?: number;
  /** How long the poller gathers a batch, at most 300 s. Default: 0 (invoke as soon as messages arrive). */
  readonly maxBatchingWindow?: Duration;
  /** Concurrent invocations the event source may run, 2-1000. Default: 5. */
  readonly maxConcurrency?: number;
  /** Receives before the redrive DLQ, 5-1000. Default: 5. */
  readonly maxReceiveCount?: number;
  /** Source queue retention, under the DLQ's 14 days. Default: 4 days. */
  readonly queueRetention?: Duration;
  /** Default: computed, 6× `timeout` + `maxBatchingWindow`. If given it must be at least that. */
  readonly visibilityTimeout?: Duration;
  /** How long EventBridge retries delivery to the queue before the target DLQ, 60 s-24 h. Default: 6 hours. */
  readonly targetMaxEventAge?: Duration;
  /** Delivery retries by EventBridge (0-185). Default: 185 (bounded by `targetMaxEventAge`). */
  readonly targetRetryAttempts?: number;
  /** Age of the oldest dead letter that raises the age alarm, under 14 days. Default: 7 days. */
  readonly deadLetterAlarmAge?: Duration;
  /** Age of the oldest message of the queue that pages (the consumer is stuck). Default: 15 minutes. */
  readonly maxMessageAge?: Duration;
  /** What the consumer does, one line for its dashboard header. Default: the events it consumes. */
  readonly description?: string;
}

/**
 * THE event consumer: EventBridge rule → SQS queue → Lambda function, with both failure paths closed.
 *
 * - Rule (pattern from props) on the given bus, targeting the queue with a retry policy and its own DLQ (the
 *   target DLQ: events EventBridge could not deliver; CDK adds the queue policy that lets only this rule send).
 * - Queue: SSE-SQS, TLS only, redrive to the DLQ after `maxReceiveCount` receives; visibility timeout computed
 *   from the function timeout. DLQs keep 14 days, longer than the queue.
 * - Function: bundled handler, SQS event source with `reportBatchItemFailures` (a bad record never fails its
 *   batch), batch size, batching window and `maxConcurrency`. It gets its redrive DLQ's URL
 *   (`DEAD_LETTER_QUEUE_URL`) and `sqs:SendMessage` on that queue only: a record that can never succeed is sent
 *   there at once, with its reason, instead of walking `maxReceiveCount` receives (`shared/batch`).
 * - Alarms on depth and oldest age of both DLQs, through the operations monitoring facade.
 *
 * Invalid props throw an InfraConfigurationError at synth time, naming the rule broken.
 */
export class EventConsumer extends Construct {
  public readonly rule: Rule;
  public readonly queue: Queue;
  /** Redrive DLQ of `queue`: messages the function failed `maxReceiveCount` times. */
  public readonly deadLetterQueue: Queue;
  /** DLQ of the rule target: events EventBridge could not deliver to `queue`. */
  public readonly targetDeadLetterQueue: Queue;
  public readonly handler: ServiceFunction;
  public readonly function: NodejsFunction;
  public readonly eventSource: SqsEventSource;
  /** The visibility timeout the queue got (computed unless given). */
  public readonly visibilityTimeout: Duration;
  public readonly deadLetterAlarms: DeadLetterQueueAlarms;
  public readonly targetDeadLetterAlarms: DeadLetterQueueAlarms;
  /** Every alarm of the consumer (both DLQs, queue age, errors, throttles, records, rule delivery). */
  public readonly alarms: ConsumerAlarms;

  public constructor(scope: Construct, id: string, props: EventConsumerProps) {
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
    const { config, consumerName: name } = props;

    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue', {
      kind: DlqKinds.redrive,
      source: name,
      removalPolicy: config.removalPolicy,
    });
    this.queue = createSourceQueue(this, 'Queue', {
      source: name,
      deadLetterQueue: this.deadLetterQueue,
      maxReceiveCount: settings.maxReceiveCount,
      retention: settings.queueRetention,
      visibilityTimeout: settings.visibilityTimeout,
      removalPolicy: config.removalPolicy,
    });
    this.targetDeadLetterQueue = createDeadLetterQueue(this, 'TargetDeadLetterQueue', {
      kind: DlqKinds.ruleTarget,
      source: name,
      removalPolicy: config.removalPolicy,
    });

    // Named, so that its AWS/Events metrics (dimensioned by rule name) can be alarmed on without a token.
    const ruleName = `${config.prefix}-${name}`;
    this.rule = new Rule(this, 'Rule', {
      ruleName,
      eventBus: props.eventBus,
      eventPattern: props.eventPattern,
      description: `${config.prefix}: events for the ${name} consumer`,
    });
    this.rule.addTarget(
      new SqsQueue(this.queue, {
        deadLetterQueue: this.targetDeadLetterQueue,
        maxEventAge: settings.targetMaxEventAge,
        retryAttempts: settings.targetRetryAttempts,
      }),
    );

    this.handler = new ServiceFunction(this, 'Handler', {
      name: props.handler,
      serviceName: name,
      config,
      timeout,
      ...(props.memorySize ? { memorySize: props.memorySize } : {}),
      environment: {
        ...props.environment,
        [EnvNames.deadLetterQueueUrl]: this.deadLetterQueue.queueUrl,
      },
    });
    this.function = this.handler.function;
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

    this.alarms = props.monitoring.watchConsumer({
      name,
      description:
        props.description ??
        `${[props.eventPattern.detailType ?? []].flat().join(', ')} → ${name} queue → ${name} function`,
      rule: { ruleName, eventBusName: props.eventBus.eventBusName },
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
