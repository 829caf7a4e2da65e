import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { httpCorrelationId } from './correlation';
import { INTERNAL_ERROR_BODY, jsonErrorResponses } from './http-errors';
import { httpResponseMetrics } from './http-metrics';
import type { Observability } from './observability';

/** A plain async Lambda handler: what every function's logic is written as, before middy adapts it. */
export type PlainHandler<TEvent, TResult> = (event: TEvent, context: Context) => Promise<TResult>;

/**
 * The one middleware stack every Breakwater handler runs in: the invocation as an X-Ray subsegment (cold start and
 * service annotated, errors recorded; responses are not copied into the trace, they may hold personal data), Lambda
 * context and cold start in every log line (keys reset per invocation), metrics flushed after every invocation (also
 * on error) with a cold-start metric, and a failed invocation logged before it is rethrown.
 *
 * Queue and stream handlers set the correlation id per record (see `shared/batch`), because one batch carries many.
 */
export const withStack = <TEvent, TResult>(
  handler: PlainHandler<TEvent, TResult>,
  { logger, metrics, tracer }: Observability,
): MiddyfiedHandler<TEvent, TResult> =>
  middy<TEvent, TResult>(handler)
    // First, so that its subsegment spans every other middleware and closes last.
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use({
      // An invocation that fails as a whole (not a record: a missing setting, an unreadable batch) is logged with
      // the invocation's context before Lambda reports it; an HTTP error answered by the HTTP stack is not.
      onError: (request) => {
        if (request.response == null) logger.error('invocation failed', request.error as Error);
      },
    });

/**
 * `withStack` plus what every HTTP API (payload v2) handler needs: lower-case headers, the correlation id from
 * `x-correlation-id` (or a new one) in logs and response, JSON bodies for client errors (`{ message, ...details }`),
 * a generic JSON 500 for anything unexpected (logged with its stack, never shown to the caller), and a count of
 * answers per status class.
 */
export const withHttpStack = (
  handler: PlainHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>,
  observability: Observability,
): MiddyfiedHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => {
  const { logger } = observability;
  // Order matters: `onError` middlewares run in reverse, so client errors are mapped first, the fallback second,
  // then the answer is counted and the correlation id echoed on whatever response they produced.
  return withStack(handler, observability)
    .use(httpHeaderNormalizer())
    .use(httpCorrelationId(logger))
    .use(httpResponseMetrics(observability.metrics))
    .use(
      httpErrorHandler({
        fallbackMessage: INTERNAL_ERROR_BODY,
        logger: (error) => logger.error('unhandled error', error),
      }),
    )
    .use(jsonErrorResponses());
};
