import type { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  type IMetric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * The two alarms of a DLQ.
 *
 * @example
 * ```ts
 * consumer.deadLetterAlarms.depth.addAlarmAction(new SnsAction(topic));
 * ```
 */
export interface DeadLetterQueueAlarms {
  /** ApproximateNumberOfMessagesVisible ≥ 1: something failed for good. */
  readonly depth: Alarm;
  /** ApproximateAgeOfOldestMessage ≥ the threshold: a failure has been left unhandled and nears expiry. */
  readonly age: Alarm;
}

/**
 * A consumer as a monitoring facade sees it (queue, function and the alarms already made for its DLQs).
 *
 * @example
 * ```ts
 * const watched: WatchedConsumer = { name: 'billing', queue, function: fn, alarms: [dlqAlarms.depth] };
 * ```
 */
export interface WatchedConsumer {
  readonly name: string;
  readonly queue: IQueue;
  readonly function: IFunction;
  readonly alarms: readonly Alarm[];
}

/**
 * Where a consumer's alarms (and dashboard, if any) are built: pass your monitoring facade to put them beside the
 * rest of your alarms, in another stack if you like; by default {@link ConsumerAlarms} builds them in the consumer.
 *
 * @example
 * ```ts
 * const monitoring: ConsumerMonitoring = {
 *   watchDeadLetterQueue: (queue, owner, maxAge) => myAlarms.forDlq(queue, owner, maxAge),
 *   watchConsumer: (consumer) => myDashboard.addRow(consumer.name, consumer.queue, consumer.function),
 * };
 * ```
 */
export interface ConsumerMonitoring {
  /** Alarms on a DLQ's depth (≥ 1) and on the age of its oldest message (≥ `maxMessageAge`). */
  watchDeadLetterQueue(queue: IQueue, owner: string, maxMessageAge: Duration): DeadLetterQueueAlarms;
  /** Called once per consumer after its DLQ alarms exist (a dashboard row, say). */
  watchConsumer(consumer: WatchedConsumer): void;
}

/**
 * The default {@link ConsumerMonitoring}: the two alarms of each DLQ, in the given scope, with the given actions
 * (none by default); no dashboard. Missing data is not breaching: an empty DLQ reports no messages.
 *
 * @example
 * ```ts
 * const monitoring = new ConsumerAlarms(stack, [new SnsAction(pagerTopic)]);
 * new EventConsumer(stack, 'Billing', { ...props, monitoring });
 * ```
 */
export class ConsumerAlarms implements ConsumerMonitoring {
  public constructor(
    private readonly scope: Construct,
    private readonly actions: readonly IAlarmAction[] = [],
  ) {}

  public watchDeadLetterQueue(queue: IQueue, owner: string, maxMessageAge: Duration): DeadLetterQueueAlarms {
    const alarm = (id: string, metric: IMetric, threshold: number, description: string): Alarm => {
      const created = new Alarm(this.scope, `${owner}-${id}`, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      for (const action of this.actions) created.addAlarmAction(action);
      return created;
    };
    return {
      depth: alarm(
        'Depth',
        queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' }),
        1,
        `Messages in ${owner}: a failure path ended here. Inspect, fix, then replay them.`,
      ),
      age: alarm(
        'Age',
        queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum' }),
        maxMessageAge.toSeconds(),
        `Oldest message in ${owner} is older than ${maxMessageAge.toHumanString()}; DLQ messages expire.`,
      ),
    };
  }

  public watchConsumer(_consumer: WatchedConsumer): void {
    // Alarms only: a dashboard is the caller's choice (pass a ConsumerMonitoring of your own).
  }
}
