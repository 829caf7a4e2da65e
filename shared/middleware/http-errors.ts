import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { BreakwaterError } from '../errors';

/** Fields of an HTTP error body besides `message` (e.g. the failing fields of a 400). */
export type ProblemDetails = Readonly<Record<string, unknown>>;

/**
 * An error meant for the HTTP caller: status, message and optional details become the JSON body
 * `{ message, ...details }`. Only statuses below 500 are exposed; anything else is answered with a generic 500.
 */
export class HttpError extends BreakwaterError {
  public readonly statusCode: number;
  public readonly details: ProblemDetails;
  public readonly headers: Readonly<Record<string, string>>;

  public constructor(
    statusCode: number,
    message: string,
    options: ErrorOptions & { details?: ProblemDetails; headers?: Record<string, string> } = {},
  ) {
    super(message, options);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
  }
}

/** The body of every error response (and of the generic 500). */
export const INTERNAL_ERROR_BODY = JSON.stringify({ message: 'internal server error' });

/** A JSON response; every API answer goes through here so content type and serialization stay uniform. */
export const jsonResponse = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

const hasExposedStatus = (error: unknown): error is Error & { statusCode: number } => {
  if (!(error instanceof Error) || !('statusCode' in error)) return false;
  const { statusCode } = error as { statusCode: unknown };
  const expose = (error as { expose?: unknown }).expose;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 && expose !== false;
};

/**
 * Maps an error to the response the caller sees, or `undefined` when it must not be exposed (then the generic 500
 * applies). Also covers the 4xx errors that middy's own middlewares throw, so every answer is JSON.
 */
export const toErrorResponse = (error: unknown): APIGatewayProxyStructuredResultV2 | undefined => {
  if (!hasExposedStatus(error)) return undefined;
  const details = error instanceof HttpError ? error.details : {};
  const headers = error instanceof HttpError ? error.headers : {};
  return jsonResponse(error.statusCode, { ...details, message: error.message }, { ...headers });
};

/** Middy adapter of `toErrorResponse`: sets the response for client errors and leaves the rest to the fallback. */
export const jsonErrorResponses = (): MiddlewareObj<
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2
> => ({
  onError: (request) => {
    if (request.response !== undefined) return;
    const response = toErrorResponse(request.error);
    if (response !== undefined) request.response = response;
  },
});
