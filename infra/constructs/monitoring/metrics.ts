import { type BreakerMetricName, CIRCUIT_DIMENSION } from '@breakwater/circuit-breaker';
import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { MathExpression, Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { BatchMetrics } from '../../../shared/batch/process-batch';
import type { OutboxSweepMetricName } from '../../../shared/outbox/metrics';

/** A batch metric name the consumers emit (`BatchMetrics`), dimension `service`. */
export type BatchMetricName = (typeof BatchMetrics)[keyof typeof BatchMetrics];

/**
 * An EventBridge rule as its AWS/Events metrics name it: a rule on a custom bus is dimensioned by `EventBusName` and
 * `RuleName`, one on the default bus by `RuleName` alone (the EventBridge monitoring page says so). Each of
 * Breakwater's rules has one target, so per rule is per rule target.
 */
export interface WatchedRule {
  readonly ruleName: string;
  /** Undefined for the default bus. */
  readonly eventBusName?: string;
}

const ruleMetric = (rule: WatchedRule, metricName: string, label: string): Metric =>
  new Metric({
    namespace: 'AWS/Events',
    metricName,
    dimensionsMap: {
      ...(rule.eventBusName === undefined ? {} : { EventBusName: rule.eventBusName }),
      RuleName: rule.ruleName,
    },
    statistic: Stats.SUM,
    period: Duration.minutes(5),
    label,
  });

/**
 * A circuit breaker metric of one service, aggregated over every circuit (a CloudWatch Metrics Insights query, so
 * a circuit added at run time, e.g. per merchant, is covered without a deployment). The functions emit it as EMF with
 * the dimensions `service` and `circuit` (see `powertoolsMetricSink`).
 */
function circuitMetric(
  namespace: string,
  service: string,
  name: BreakerMetricName,
  aggregate: 'MAX' | 'SUM',
  period: Duration = Duration.minutes(1),
): MathExpression {
  return new MathExpression({
    expression:
      `SELECT ${aggregate}(${name}) FROM SCHEMA("${namespace}", ${CIRCUIT_DIMENSION}, service) ` +
      `WHERE service = '${service}'`,
    label: `${service}: ${name} (${aggregate.toLowerCase()}, every circuit)`,
    period,
  });
}

/**
 * The metrics Breakwater watches, with their statistic and period chosen once. Alarms and dashboard widgets take
 * their metrics from here so that a graph always shows what its alarm evaluates.
 */
export const MetricFactory = {
  /**
   * Messages waiting in a queue. For a DLQ this is the alarm metric: redrive moves are not counted in
   * `NumberOfMessagesSent`, so only the visible count sees every arrival.
   */
  queueDepth: (queue: IQueue, label: string): Metric =>
    queue.metricApproximateNumberOfMessagesVisible({
      statistic: Stats.MAXIMUM,
      period: Duration.minutes(1),
      label: `${label} depth`,
    }),
  /** Age of the oldest message. In a standard DLQ the age counts from the original enqueue, not the move. */
  queueAge: (queue: IQueue, label: string): Metric =>
    queue.metricApproximateAgeOfOldestMessage({
      statistic: Stats.MAXIMUM,
      period: Duration.minutes(5),
      label: `${label} oldest age (s)`,
    }),
  /** The oldest message of a source queue, per minute: a consumer that stopped making progress. */
  sourceQueueAge: (queue: IQueue, label: string): Metric =>
    queue.metricApproximateAgeOfOldestMessage({
      statistic: Stats.MAXIMUM,
      period: Duration.minutes(1),
      label: `${label} oldest age (s)`,
    }),
  functionInvocations: (fn: IFunction, label: string): Metric =>
    fn.metricInvocations({ statistic: Stats.SUM, label: `${label} invocations` }),
  /** Errors per minute. */
  functionErrors: (fn: IFunction, label: string): Metric =>
    fn.metricErrors({ statistic: Stats.SUM, period: Duration.minutes(1), label: `${label} errors` }),
  /** Throttles per 5 minutes. */
  functionThrottles: (fn: IFunction, label: string): Metric =>
    fn.metricThrottles({ statistic: Stats.SUM, label: `${label} throttles` }),
  functionDurationP99: (fn: IFunction, label: string): Metric =>
    fn.metricDuration({ statistic: Stats.p(99), label: `${label} p99 (ms)` }),
  /** Age of the newest record a stream consumer has processed: how far the outbox publisher lags behind. */
  streamIteratorAge: (fn: IFunction, label: string): Metric =>
    fn.metric('IteratorAge', {
      statistic: Stats.MAXIMUM,
      period: Duration.minutes(1),
      label: `${label} iterator age (ms)`,
    }),
  /**
   * A batch metric of a queue consumer (`BatchMetrics`, emitted as EMF by `shared/batch` with the dimension
   * `service`, the consumer's Powertools service name), summed over 5 minutes.
   */
  batchRecords: (namespace: string, service: string, name: BatchMetricName): Metric =>
    new Metric({
      namespace,
      metricName: name,
      dimensionsMap: { service },
      statistic: Stats.SUM,
      period: Duration.minutes(5),
      label: `${service} ${name}`,
    }),
  /** Events a rule could not deliver to its target after every retry (they went to the target's DLQ). */
  ruleFailedInvocations: (rule: WatchedRule, label: string): Metric =>
    ruleMetric(rule, 'FailedInvocations', `${label} rule failed invocations`),
  /** Events a rule could deliver neither to its target nor to the target's DLQ: lost. */
  ruleDeadLetterFailures: (rule: WatchedRule, label: string): Metric =>
    ruleMetric(rule, 'InvocationsFailedToBeSentToDlq', `${label} rule events not sent to DLQ`),
  /** Events a rule put in its target's DLQ. */
  ruleDeadLettered: (rule: WatchedRule, label: string): Metric =>
    ruleMetric(rule, 'InvocationsSentToDlq', `${label} rule events sent to DLQ`),
  /**
   * An outbox sweeper metric (`OutboxSweepMetrics`), summed over 5 minutes: the schedule's period, so every run
   * falls in one datapoint.
   */
  outboxSweep: (namespace: string, service: string, name: OutboxSweepMetricName): Metric =>
    new Metric({
      namespace,
      metricName: name,
      dimensionsMap: { service },
      statistic: Stats.SUM,
      period: Duration.minutes(5),
      label: `${service} ${name}`,
    }),
  apiRequests: (api: IHttpApi, label: string): Metric =>
    api.metricCount({ statistic: Stats.SUM, period: Duration.minutes(1), label: `${label} requests` }),
  apiClientErrors: (api: IHttpApi, label: string): Metric =>
    api.metricClientError({ statistic: Stats.SUM, period: Duration.minutes(1), label: `${label} 4xx` }),
  apiServerErrors: (api: IHttpApi, label: string): Metric =>
    api.metricServerError({ statistic: Stats.SUM, period: Duration.minutes(1), label: `${label} 5xx` }),
  apiLatencyP99: (api: IHttpApi, label: string): Metric =>
    api.metricLatency({ statistic: Stats.p(99), label: `${label} latency p99 (ms)` }),
  /**
   * The share of requests answered 5xx, in percent, per minute: `100 * 5xx / Count`. A minute without requests has
   * no datapoint (the division has no value), which the alarm treats as healthy. A rate, not a count, so the
   * threshold means the same at 1 request a minute and at 1,000.
   */
  apiServerErrorRate: (api: IHttpApi, label: string): MathExpression =>
    new MathExpression({
      expression: '100 * serverErrors / requests',
      usingMetrics: {
        serverErrors: MetricFactory.apiServerErrors(api, label),
        requests: MetricFactory.apiRequests(api, label),
      },
      period: Duration.minutes(1),
      label: `${label} 5xx rate (%)`,
    }),
  /** 1 while any circuit of the service is not CLOSED (emitted at syncs and transitions), per minute. */
  circuitsNotClosed: (namespace: string, service: string): MathExpression =>
    circuitMetric(namespace, service, 'CircuitNotClosed', 'MAX'),
  /**
   * The same, per `period`: a 5-minute period holds at least one datapoint while a circuit stays not closed (the
   * breaker's longest cooldown is 5 minutes, and every probe emits), so consecutive breaching periods mean "held".
   */
  circuitsNotClosedOver: (namespace: string, service: string, period: Duration): MathExpression =>
    circuitMetric(namespace, service, 'CircuitNotClosed', 'MAX', period),
  /** State-store (DynamoDB) errors of the service's breakers: each one puts a container on its local fallback. */
  circuitStoreErrors: (namespace: string, service: string): MathExpression =>
    circuitMetric(namespace, service, 'CircuitStoreErrors', 'SUM'),
  /** Fast-path (Redis) errors: trips are then seen at state-store syncs only. */
  circuitSignalErrors: (namespace: string, service: string): MathExpression =>
    circuitMetric(namespace, service, 'CircuitSignalErrors', 'SUM'),
  /** Calls refused by open circuits. */
  circuitRejectedCalls: (namespace: string, service: string): MathExpression =>
    circuitMetric(namespace, service, 'CircuitRejectedCalls', 'SUM'),
  /** The worst fleet-wide failure rate among the circuits, in percent. */
  circuitFailureRate: (namespace: string, service: string): MathExpression =>
    circuitMetric(namespace, service, 'CircuitFailureRate', 'MAX'),
} as const;
