import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type MetricsRecorder, MetricUnit } from './observability';

/** Metric names of HTTP answers, one per status class: alarms watch the 5xx share. */
export const HttpMetrics = {
  responses2xx: 'HttpResponses2xx',
  responses4xx: 'HttpResponses4xx',
  responses5xx: 'HttpResponses5xx',
} as const;

/** The metric that counts an answer with `statusCode`. */
export const responseMetricName = (statusCode: number): string =>
  statusCode >= 500
    ? HttpMetrics.responses5xx
    : statusCode >= 400
      ? HttpMetrics.responses4xx
      : HttpMetrics.responses2xx;

/**
 * Middy adapter counting every answer by status class (also the error answers, so it must run after the error
 * handlers have produced them).
 */
export const httpResponseMetrics = (
  metrics: MetricsRecorder,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => {
  const count = (request: Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>): void => {
    metrics.addMetric(responseMetricName(request.response?.statusCode ?? 500), MetricUnit.Count, 1);
  };
  return { after: count, onError: count };
};
