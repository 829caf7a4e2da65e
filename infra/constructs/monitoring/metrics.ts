import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { type Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';

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
  apiRequests: (api: IHttpApi): Metric => api.metricCount({ statistic: Stats.SUM }),
  apiClientErrors: (api: IHttpApi): Metric => api.metricClientError({ statistic: Stats.SUM }),
  apiServerErrors: (api: IHttpApi): Metric =>
    api.metricServerError({ statistic: Stats.SUM, period: Duration.minutes(1) }),
  apiLatencyP99: (api: IHttpApi): Metric => api.metricLatency({ statistic: Stats.p(99) }),
} as const;
