import { BreakwaterError } from '../errors';

/** Base class of the payment gateway client's errors. */
export class PaymentGatewayError extends BreakwaterError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PaymentGatewayError';
  }
}

/** Why the gateway could not answer. */
export type UnavailableReason = 'timeout' | 'connection' | 'status' | 'malformed-response';

/**
 * The gateway did not give an answer we can act on: 5xx, 429, a timeout, a connection error, or a success status
 * with a body we cannot read. Retryable (the charge carries an idempotency key, so a retry cannot charge twice even
 * if the first attempt went through) and a circuit-breaker failure.
 */
export class PaymentGatewayUnavailableError extends PaymentGatewayError {
  public readonly reason: UnavailableReason;
  /** The HTTP status, when there was one. */
  public readonly status: number | undefined;
  /** From a `Retry-After` header in seconds, when the gateway sent one. */
  public readonly retryAfterSeconds: number | undefined;

  public constructor(
    message: string,
    details: { reason: UnavailableReason; status?: number; retryAfterSeconds?: number },
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'PaymentGatewayUnavailableError';
    this.reason = details.reason;
    this.status = details.status;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/**
 * The gateway refused the request itself (400, 401, 403, 404, 422 or another 4xx that is not a decline): sending it
 * again will not help, and the gateway is healthy, so this is not a circuit-breaker failure.
 */
export class PaymentRequestRejectedError extends PaymentGatewayError {
  public readonly status: number;
  /** The gateway's `error` field, when the body had one. */
  public readonly code: string | undefined;

  public constructor(message: string, details: { status: number; code?: string }, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PaymentRequestRejectedError';
    this.status = details.status;
    this.code = details.code;
  }

  /** 401/403: our credentials are wrong. An operator must fix the secret; the order itself is not at fault. */
  public get isAuthorizationFailure(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

/** True for the errors a circuit breaker counts as failures of the gateway (see `PaymentGatewayUnavailableError`). */
export const isGatewayFailure = (error: unknown): error is PaymentGatewayUnavailableError =>
  error instanceof PaymentGatewayUnavailableError;
