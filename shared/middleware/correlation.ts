import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** The request and response header that carries the correlation id (lower case: headers are normalized). */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

// Anything else is replaced: the id ends up in every log line and event, so it must be short and inert.
const acceptableCorrelationId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a caller's correlation id when it is acceptable, otherwise starts a new one. */
export const resolveCorrelationId = (
  candidate: string | undefined,
  generate: () => string = randomUUID,
): string => {
  const trimmed = candidate?.trim();
  return trimmed !== undefined && acceptableCorrelationId.test(trimmed) ? trimmed : generate();
};

/**
 * Middy adapter for HTTP API requests: resolves the correlation id once, writes it back into the request headers
 * (so route handlers read one value), adds it to every log line of the invocation and echoes it in the response.
 * Must run after header normalization.
 */
export const httpCorrelationId = (
  logger: Logger,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => {
  const before: MiddlewareObj<APIGatewayProxyEventV2>['before'] = (request) => {
    const headers = request.event.headers ?? {};
    const correlationId = resolveCorrelationId(headers[CORRELATION_ID_HEADER]);
    request.event.headers = { ...headers, [CORRELATION_ID_HEADER]: correlationId };
    logger.setCorrelationId(correlationId);
  };
  const echo = (request: Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>): void => {
    const correlationId = request.event.headers?.[CORRELATION_ID_HEADER];
    if (request.response == null || correlationId === undefined) return;
    request.response.headers = { ...request.response.headers, [CORRELATION_ID_HEADER]: correlationId };
  };
  return { before, after: echo, onError: echo };
};
