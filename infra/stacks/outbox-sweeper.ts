import { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EnvNames } from '../../shared/config/env-names';
import { OUTBOX_SWEEPER_SERVICE } from '../../shared/outbox/metrics';
import type { StageConfig } from '../config';
import { Severities } from '../constructs/monitoring/alarm-topics';
import type {
  OperationsMonitoring,
  OutboxSweeperAlarms,
} from '../constructs/monitoring/operations-monitoring';
import { ServiceFunction } from '../constructs/service-function';
import { createDeadLetterQueue, DlqKinds } from '../defaults';
import { FunctionNames } from '../paths';

/** Settings of the outbox sweeper, stated once. */
export const OutboxSweeperSettings = {
  /** How often it runs. */
  period: Duration.minutes(5),
  /** Age at which an outbox item counts as stranded (the stream publisher takes seconds). */
  graceSeconds: 300,
  maxItems: 500,
  safetyMarginMs: 10_000,
  timeout: Duration.seconds(60),
  /** Delivery retries of the schedule event by EventBridge before its DLQ. */
  targetRetryAttempts: 3,
  /** A schedule event older than the period is superseded by the next one: give up (to the DLQ) after that. */
  targetMaxEventAge: Duration.minutes(5),
} as const;

/** Properties of {@link OutboxSweeper}. */
export interface OutboxSweeperProps {
  readonly config: StageConfig;
  readonly eventBus: IEventBus;
  readonly outboxTable: Table;
  readonly monitoring: OperationsMonitoring;
}

/**
 * The outbox sweeper: a schedule rule (every 5 minutes) → the `outbox-sweeper` function, which publishes outbox
 * items the stream publisher left behind (their stream records expired or went to its on-failure DLQ) and deletes
 * them once EventBridge accepted their events.
 *
 * The rule is on the account's default bus: schedule expressions only run there, never on a custom bus. It invokes
 * the function asynchronously: EventBridge retries delivery (then the DLQ), Lambda retries a failed run twice (then
 * the function's DLQ, the same queue). A retried or overlapping run is harmless, every step is idempotent. The role
 * may Scan and DeleteItem on the outbox table, PutEvents on the app's bus, and send to its DLQ; nothing else.
 */
export class OutboxSweeper extends Construct {
  public readonly sweeper: ServiceFunction;
  public readonly schedule: Rule;
  /** Failed runs: schedule events not delivered, or runs failed after Lambda's retries. */
  public readonly deadLetterQueue: Queue;
  public readonly alarms: OutboxSweeperAlarms;

  public constructor(scope: Construct, id: string, props: OutboxSweeperProps) {
    super(scope, id);
    const { config, monitoring } = props;
    const s = OutboxSweeperSettings;

    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue', {
      kind: DlqKinds.scheduledRun,
      source: FunctionNames.outboxSweeper,
      removalPolicy: config.removalPolicy,
    });
    this.sweeper = new ServiceFunction(this, 'Sweeper', {
      name: FunctionNames.outboxSweeper,
      serviceName: OUTBOX_SWEEPER_SERVICE,
      config,
      timeout: s.timeout,
      deadLetterQueue: this.deadLetterQueue,
      description: `${config.prefix}: publishes outbox events the stream publisher left behind`,
      environment: {
        [EnvNames.eventBusName]: props.eventBus.eventBusName,
        [EnvNames.outboxTableName]: props.outboxTable.tableName,
        [EnvNames.outboxSweepGraceSeconds]: String(s.graceSeconds),
        [EnvNames.outboxSweepMaxItems]: String(s.maxItems),
        [EnvNames.outboxSweepSafetyMarginMs]: String(s.safetyMarginMs),
      },
    });
    const fn = this.sweeper.function;
    props.outboxTable.grant(fn, 'dynamodb:Scan', 'dynamodb:DeleteItem');
    props.eventBus.grantPutEventsTo(fn);

    // Named, so that its AWS/Events metrics (dimensioned by rule name; default bus) can be alarmed on.
    const scheduleName = `${config.prefix}-${FunctionNames.outboxSweeper}-schedule`;
    this.schedule = new Rule(this, 'Schedule', {
      ruleName: scheduleName,
      schedule: Schedule.rate(s.period),
      description: `${config.prefix}: runs the outbox sweeper`,
    });
    this.schedule.addTarget(
      new LambdaFunction(fn, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: s.targetRetryAttempts,
        maxEventAge: s.targetMaxEventAge,
      }),
    );

    // Failed runs carry no event (the next run repeats the work): a notice, not a page.
    const dlqAlarms = monitoring.watchDeadLetterQueue(
      this.deadLetterQueue,
      `${FunctionNames.outboxSweeper}-dlq`,
      Duration.days(7),
      Severities.notice,
    );
    this.alarms = monitoring.watchOutboxSweeper(
      fn,
      FunctionNames.outboxSweeper,
      OUTBOX_SWEEPER_SERVICE,
      { ruleName: scheduleName },
      [dlqAlarms.depth, dlqAlarms.age],
    );
  }
}
