import { BreakwaterError } from '../errors';

/** Base class of the payment gateway client's errors. */
export class PaymentGatewayError extends BreakwaterError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PaymentGatewayError';
  }
}

/** Why the gateway could not answer (`aborted`: the caller's signal stopped the request, e.g. a breaker's timeout). */
export type UnavailableReason = 'timeout' | 'aborted' | 'connection' | 'status' | 'malformed-response';

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
  /** Read by the circuit breaker's classifier: the gateway did not decide, so it counts against it. */
  public readonly countsAsFailure = true;
  /** Read by `classifyFailure`: it may pass, and a retry cannot charge twice. */
  public readonly retryable = true;

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
 * again will not help (not retryable), and the gateway is healthy, so this is not a circuit-breaker failure.
 */
export class PaymentRequestRejectedError extends PaymentGatewayError {
  public readonly status: number;
  /** The gateway's `error` field, when the body had one. */
  public readonly code: string | undefined;
  /** Read by the circuit breaker's classifier: the gateway answered, so it is healthy. */
  public readonly countsAsFailure = false;
  /** Read by `classifyFailure`: the same request meets the same refusal. */
  public readonly retryable = false;

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

/**
 * The gateway refused our credentials (401 or 403): the API key is wrong, revoked or was rotated. Not the order's
 * fault and not the gateway's: an operator must put the right key in the gateway secret. Not retryable (its record
 * goes to the DLQ at once and pages) and not a circuit-breaker failure.
 */
export class PaymentGatewayAuthorizationError extends PaymentRequestRejectedError {
  public constructor(message: string, details: { status: number; code?: string }, options?: ErrorOptions) {
    super(message, details, options);
    this.name = 'PaymentGatewayAuthorizationError';
  }
}

/** True for the errors a circuit breaker counts as failures of the gateway (see `PaymentGatewayUnavailableError`). */
export const isGatewayFailure = (error: unknown): error is PaymentGatewayUnavailableError =>
  error instanceof PaymentGatewayUnavailableError;
