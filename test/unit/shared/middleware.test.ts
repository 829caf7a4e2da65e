import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { resolveCorrelationId } from '../../../shared/middleware/correlation';
import { HttpError, toErrorResponse } from '../../../shared/middleware/http-errors';
import { responseMetricName } from '../../../shared/middleware/http-metrics';
import { describeError } from '../../../shared/middleware/observability';
import { withHttpStack, withStack } from '../../../shared/middleware/stack';
import { httpApiEvent } from '../../support/events';
import { lambdaContext } from '../../support/lambda';
import { quietObservability } from '../../support/observability';

describe('resolveCorrelationId', () => {
  const generate = () => 'generated';

  it('keeps an acceptable id (trimmed) and replaces a missing, oversized or unsafe one', () => {
    expect(resolveCorrelationId(' abc-123:x.y_z ', generate)).toBe('abc-123:x.y_z');
    expect(resolveCorrelationId(undefined, generate)).toBe('generated');
    expect(resolveCorrelationId('', generate)).toBe('generated');
    expect(resolveCorrelationId('a'.repeat(129), generate)).toBe('generated');
    expect(resolveCorrelationId('id\n{"level":"ERROR"}', generate)).toBe('generated');
  });
});

describe('toErrorResponse', () => {
  it('answers our HTTP errors as JSON { message, ...details } with their headers', () => {
    const error = new HttpError(405, 'method DELETE is not allowed', {
      details: { allowed: ['POST'] },
      headers: { allow: 'POST' },
    });
    expect(toErrorResponse(error)).toEqual({
      statusCode: 405,
      headers: { 'content-type': 'application/json', allow: 'POST' },
      body: JSON.stringify({ allowed: ['POST'], message: 'method DELETE is not allowed' }),
    });
  });

  it('answers exposed 4xx errors of other middlewares as JSON too', () => {
    const middyStyle = Object.assign(new Error('Unsupported Media Type'), { statusCode: 415, expose: true });
    expect(toErrorResponse(middyStyle)?.body).toBe('{"message":"Unsupported Media Type"}');
  });

  it('leaves 5xx, unexposed and plain errors to the generic 500', () => {
    expect(toErrorResponse(new HttpError(503, 'database down'))).toBeUndefined();
    expect(
      toErrorResponse(Object.assign(new Error('x'), { statusCode: 404, expose: false })),
    ).toBeUndefined();
    expect(toErrorResponse(new Error('boom'))).toBeUndefined();
    expect(toErrorResponse('not even an error')).toBeUndefined();
  });
});

describe('withHttpStack', () => {
  const run = (handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>) =>
    withHttpStack(async (event) => handler(event), quietObservability())(
      httpApiEvent({ method: 'GET', path: '/x', headers: { 'X-Correlation-ID': 'corr-7' } }),
      lambdaContext(),
    );

  it('hides unexpected errors behind a generic JSON 500 and still echoes the correlation id', async () => {
    const response = await run(async () => {
      throw new Error('connection string postgres://user:pass@host');
    });
    expect(response).toEqual({
      statusCode: 500,
      headers: { 'Content-Type': 'application/json', 'x-correlation-id': 'corr-7' },
      body: '{"message":"internal server error"}',
    });
  });

  it('gives route handlers the normalized correlation header', async () => {
    const response = await run(async (event) => ({
      statusCode: 200,
      body: event.headers['x-correlation-id'],
    }));
    expect(response).toMatchObject({
      statusCode: 200,
      body: 'corr-7',
      headers: { 'x-correlation-id': 'corr-7' },
    });
  });
});

describe('describeError', () => {
  it('keeps the name and a bounded message', () => {
    const long = new TypeError('x'.repeat(1000));
    expect(describeError(long).errorName).toBe('TypeError');
    expect(describeError(long).errorMessage.length).toBeLessThanOrEqual(301);
    expect(describeError(42)).toEqual({ errorName: 'number', errorMessage: '42' });
  });
});

describe('responseMetricName', () => {
  it('counts answers per status class', () => {
    expect([200, 201, 302, 400, 404, 499, 500, 503].map(responseMetricName)).toEqual([
      'HttpResponses2xx',
      'HttpResponses2xx',
      'HttpResponses2xx',
      'HttpResponses4xx',
      'HttpResponses4xx',
      'HttpResponses4xx',
      'HttpResponses5xx',
      'HttpResponses5xx',
    ]);
  });
});

describe('withStack', () => {
  it('rethrows an invocation that fails as a whole (Lambda then retries or reports it)', async () => {
    const handler = withStack(async (_event: unknown) => {
      throw new Error('environment variable EVENT_BUS_NAME is required but not set');
    }, quietObservability());
    await expect(handler({}, lambdaContext())).rejects.toThrow(/EVENT_BUS_NAME/);
  });
});
