import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { MathExpression, Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { type BreakerMetricName, CIRCUIT_DIMENSION } from '../../../shared/circuit-breaker/observability';
import type { OutboxSweepMetricName } from '../../../shared/outbox/metrics';

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
): MathExpression {
  return new MathExpression({
    expression:
      `SELECT ${aggregate}(${name}) FROM SCHEMA("${namespace}", ${CIRCUIT_DIMENSION}, service) ` +
      `WHERE service = '${service}'`,
    label: `${name} (${aggregate.toLowerCase()}, every circuit of ${service})`,
    period: Duration.minutes(1),
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
  queueDepth: (queue: IQueue): Metric =>
    queue.metricApproximateNumberOfMessagesVisible({ statistic: Stats.MAXIMUM, period: Duration.minutes(1) }),
  /** Age of the oldest message. In a standard DLQ the age counts from the original enqueue, not the move. */
  queueAge: (queue: IQueue): Metric =>
    queue.metricApproximateAgeOfOldestMessage({ statistic: Stats.MAXIMUM, period: Duration.minutes(5) }),
  functionInvocations: (fn: IFunction): Metric => fn.metricInvocations({ statistic: Stats.SUM }),
  functionErrors: (fn: IFunction): Metric => fn.metricErrors({ statistic: Stats.SUM }),
  functionThrottles: (fn: IFunction): Metric => fn.metricThrottles({ statistic: Stats.SUM }),
  functionDurationP99: (fn: IFunction): Metric => fn.metricDuration({ statistic: Stats.p(99) }),
  /** Age of the newest record a stream consumer has processed: how far the outbox publisher lags behind. */
  streamIteratorAge: (fn: IFunction): Metric =>
    fn.metric('IteratorAge', { statistic: Stats.MAXIMUM, period: Duration.minutes(1) }),
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
    }),
  apiRequests: (api: IHttpApi): Metric => api.metricCount({ statistic: Stats.SUM }),
  apiClientErrors: (api: IHttpApi): Metric => api.metricClientError({ statistic: Stats.SUM }),
  apiServerErrors: (api: IHttpApi): Metric =>
    api.metricServerError({ statistic: Stats.SUM, period: Duration.minutes(1) }),
  apiLatencyP99: (api: IHttpApi): Metric => api.metricLatency({ statistic: Stats.p(99) }),
  /** 1 while any circuit of the service is not CLOSED (emitted at syncs and transitions). */
  circuitsNotClosed: (namespace: string, service: string): MathExpression =>
    circuitMetric(namespace, service, 'CircuitNotClosed', 'MAX'),
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
