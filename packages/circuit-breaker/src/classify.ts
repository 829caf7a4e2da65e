import { CircuitOpenError } from './errors.js';

/**
 * How a finished call counts in the window. `ignore` leaves no trace (neither success nor failure), e.g. when the
 * caller itself cancelled the call.
 *
 * @example
 * ```ts
 * const classify: ErrorClassifier = (error): Classification => (error instanceof DeclinedError ? 'ignore' : 'failure');
 * ```
 */
export type Classification = 'success' | 'failure' | 'ignore';

/**
 * Classifies an error thrown by a guarded call.
 *
 * @example
 * ```ts
 * const classifyError: ErrorClassifier = (error) =>
 *   httpStatusOf(error) === 404 ? 'success' : defaultErrorClassifier(error);
 * ```
 */
export type ErrorClassifier = (error: unknown) => Classification;

/**
 * Classifies a value returned by a guarded call (for clients that return error responses instead of throwing).
 *
 * @example
 * ```ts
 * const classifyResult: ResultClassifier = (value) => ((value as Response).status >= 500 ? 'failure' : 'success');
 * ```
 */
export type ResultClassifier = (value: unknown) => Classification;

/** Node and undici codes of a dependency that could not be reached or hung up: the dependency is unhealthy. */
const connectionErrorCodes: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

const field = (value: unknown, name: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;

/**
 * The HTTP status an error carries, under any of the usual names (`status`, `statusCode`, SDK `$metadata`).
 *
 * @example
 * ```ts
 * httpStatusOf(Object.assign(new Error('x'), { $metadata: { httpStatusCode: 503 } })); // 503
 * ```
 */
export const httpStatusOf = (error: unknown): number | undefined => {
  for (const candidate of [
    field(error, 'status'),
    field(error, 'statusCode'),
    field(field(error, '$metadata'), 'httpStatusCode'),
    field(field(error, 'response'), 'status'),
  ]) {
    if (typeof candidate === 'number' && Number.isInteger(candidate)) return candidate;
  }
  return undefined;
};

/**
 * Failures by HTTP status: 5xx, 429 (throttled) and 408 (request timeout). Other 4xx are answers, not failures.
 *
 * @example
 * ```ts
 * isFailureStatus(429); // true: throttling counts against the dependency
 * ```
 */
export const isFailureStatus = (status: number): boolean => status >= 500 || status === 429 || status === 408;

/**
 * The default classification, in this order:
 * 0. a rejection by another circuit (nested breakers) is ignored: the dependency was not called;
 * 1. an error with a boolean `countsAsFailure` decides for itself (the payment gateway client's errors do);
 * 2. an HTTP status: 5xx, 429 and 408 are failures; any other status (a decline is a 402) means the dependency
 *    answered, so the call counts as a success for the circuit, even though it failed for the caller;
 * 3. timeouts (`TimeoutError`, `AbortError` not caused by the caller) and connection errors (`code`, also on the
 *    `cause` chain, as `fetch` wraps them) are failures;
 * 4. anything else is a failure, as in resilience4j: an unexplained error is not evidence of health.
 *
 * @example
 * ```ts
 * new CircuitBreaker('gateway', { ...deps, classifyError: defaultErrorClassifier });
 * ```
 */
export const defaultErrorClassifier: ErrorClassifier = (error) => {
  if (error instanceof CircuitOpenError) return 'ignore';
  const flag = field(error, 'countsAsFailure');
  if (typeof flag === 'boolean') return flag ? 'failure' : 'success';
  const status = httpStatusOf(error);
  if (status !== undefined) return isFailureStatus(status) ? 'failure' : 'success';
  return 'failure';
};

/**
 * True when the error, or an error on its `cause` chain, is a connection error or a timeout.
 *
 * @example
 * ```ts
 * isConnectionOrTimeoutError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })); // true
 * ```
 */
export const isConnectionOrTimeoutError = (error: unknown): boolean => {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth += 1) {
    const code = field(current, 'code');
    if (typeof code === 'string' && connectionErrorCodes.has(code)) return true;
    const name = field(current, 'name');
    if (name === 'TimeoutError' || name === 'AbortError') return true;
    current = field(current, 'cause');
  }
  return false;
};

/**
 * The default for returned values: every value is a success.
 *
 * @example
 * ```ts
 * new CircuitBreaker('gateway', { ...deps, classifyResult: defaultResultClassifier });
 * ```
 */
export const defaultResultClassifier: ResultClassifier = () => 'success';
