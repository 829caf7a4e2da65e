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
 * The alarms every consumer gets, whoever builds them: both DLQs and the age of its own queue. A monitoring of your
 * own may return more (errors, throttles, rule deliveries): {@link ConsumerMonitoring} is generic in them.
 *
 * @example
 * ```ts
 * const { deadLetter, targetDeadLetter, queueAge }: ConsumerAlarms = consumer.alarms;
 * ```
 */
export interface ConsumerAlarms {
  readonly deadLetter: DeadLetterQueueAlarms;
  readonly targetDeadLetter: DeadLetterQueueAlarms;
  /** The oldest message of the consumer's queue is older than `maxMessageAge`: the consumer is stuck. */
  readonly queueAge: Alarm;
}

/**
 * A consumer as a monitoring facade sees it: what to watch and the thresholds.
 *
 * @example
 * ```ts
 * const alarms = monitoring.watchConsumer({ name: 'billing', description, rule, queue, function: fn, deadLetterQueue,
 *   targetDeadLetterQueue, deadLetterAlarmAge: Duration.days(7), maxMessageAge: Duration.minutes(15) });
 * ```
 */
export interface WatchedConsumer {
  /** Kebab-case consumer name: alarm names and labels. */
  readonly name: string;
  /** What it does, one line (a dashboard header, say). */
  readonly description: string;
  /** The rule feeding the queue, by name (its AWS/Events metrics are dimensioned by it). */
  readonly rule: { readonly ruleName: string; readonly eventBusName?: string };
  readonly queue: IQueue;
  readonly function: IFunction;
  readonly deadLetterQueue: IQueue;
  readonly targetDeadLetterQueue: IQueue;
  /** Age of the oldest dead letter that raises the DLQ age alarms. */
  readonly deadLetterAlarmAge: Duration;
  /** Age of the oldest message of the consumer's own queue that raises the queue age alarm. */
  readonly maxMessageAge: Duration;
}

/**
 * Where a consumer's alarms (and a dashboard, if any) are built: pass your monitoring facade to put them beside the
 * rest of your alarms, in another stack if you like; by default {@link BasicConsumerMonitoring} builds them in the
 * consumer.
 *
 * @example
 * ```ts
 * const monitoring: ConsumerMonitoring = {
 *   watchConsumer: (consumer) => myAlarms.forConsumer(consumer), // returns at least ConsumerAlarms
 * };
 * ```
 */
export interface ConsumerMonitoring<TAlarms extends ConsumerAlarms = ConsumerAlarms> {
  watchConsumer(consumer: WatchedConsumer): TAlarms;
}

/**
 * The default {@link ConsumerMonitoring}: the alarms of {@link ConsumerAlarms} (each DLQ's depth ≥ 1 and oldest age,
 * the queue's oldest age), in the given scope, with the given actions (none by default); no dashboard. Missing data
 * is not breaching: an empty queue reports no messages.
 *
 * @example
 * ```ts
 * new EventConsumer(stack, 'Billing', { ...props, monitoring: new BasicConsumerMonitoring(stack, [new SnsAction(pager)]) });
 * ```
 */
export class BasicConsumerMonitoring implements ConsumerMonitoring {
  public constructor(
    private readonly scope: Construct,
    private readonly actions: readonly IAlarmAction[] = [],
  ) {}

  public watchConsumer(consumer: WatchedConsumer): ConsumerAlarms {
    const { name } = consumer;
    return {
      deadLetter: this.deadLetterAlarms(consumer.deadLetterQueue, `${name}-dlq`, consumer.deadLetterAlarmAge),
      targetDeadLetter: this.deadLetterAlarms(
        consumer.targetDeadLetterQueue,
        `${name}-target-dlq`,
        consumer.deadLetterAlarmAge,
      ),
      queueAge: this.alarm(
        `${name}-queue-Age`,
        consumer.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum' }),
        consumer.maxMessageAge.toSeconds(),
        `The oldest message in the ${name} queue is older than ${consumer.maxMessageAge.toHumanString()}: the ` +
          'consumer is not keeping up or not making progress.',
      ),
    };
  }

  private deadLetterAlarms(queue: IQueue, owner: string, maxMessageAge: Duration): DeadLetterQueueAlarms {
    return {
      depth: this.alarm(
        `${owner}-Depth`,
        queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' }),
        1,
        `Messages in ${owner}: a failure path ended here. Inspect, fix, then replay them.`,
      ),
      age: this.alarm(
        `${owner}-Age`,
        queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum' }),
        maxMessageAge.toSeconds(),
        `Oldest message in ${owner} is older than ${maxMessageAge.toHumanString()}; DLQ messages expire.`,
      ),
    };
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string): Alarm {
    const created = new Alarm(this.scope, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    for (const action of this.actions) created.addAlarmAction(action);
    return created;
  }
}
