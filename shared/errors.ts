/** Base class of every error Breakwater throws on purpose. Subclasses set `name` and may carry typed context. */
export class BreakwaterError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BreakwaterError';
  }
}

/**
 * Input that can never succeed, however often it is retried: a malformed message, an unknown event type or
 * version, a request body that fails its schema. Consumers report it as a batch-item failure with this reason so
 * that the message reaches the DLQ after its retries without failing the rest of its batch.
 */
export class ContractError extends BreakwaterError {
  public readonly issues: readonly string[];

  public constructor(message: string, issues: readonly string[] = [], options?: ErrorOptions) {
    super(issues.length > 0 ? `${message}: ${issues.join('; ')}` : message, options);
    this.name = 'ContractError';
    this.issues = issues;
  }
}

/** A required setting (environment variable, secret field) is missing or malformed. */
export class ConfigurationError extends BreakwaterError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

/**
 * A dependency refused our credentials (HTTP 401/403: a wrong, revoked or rotated key). Waiting cannot fix it; an
 * operator must (put the right credential in its secret), so it is not retryable.
 */
export class AuthorizationError extends BreakwaterError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AuthorizationError';
  }
}

/** Whether waiting and trying again can make a failure pass (see {@link classifyFailure}). */
export const FailureClasses = { retryable: 'retryable', nonRetryable: 'non-retryable' } as const;
/** One of {@link FailureClasses}. */
export type FailureClass = (typeof FailureClasses)[keyof typeof FailureClasses];

/**
 * THE classification of failures, used by every queue consumer (`shared/batch`) and its retry schedule:
 *
 * 1. an error with a boolean `retryable` decides for itself (the payment gateway's errors do: 5xx, 429, timeouts
 *    and connection errors are retryable; a request it refused is not);
 * 2. a contract violation (`ContractError`), a configuration problem (`ConfigurationError`: a missing setting, a
 *    secret still holding its placeholder) and refused credentials (`AuthorizationError`) are not retryable: the
 *    same input meets the same refusal however long it waits, so it goes to its DLQ at once, where it pages;
 * 3. anything else is retryable (throttling, a dependency down, an unexpected error that may pass): it backs off
 *    and reaches the DLQ only after its queue's receives.
 *
 * The circuit breaker's classification (does a failure count against the dependency?) is a different question,
 * answered by `@breakwater/circuit-breaker`'s classification: a refused key is not retryable, yet the gateway is healthy.
 */
export const classifyFailure = (error: unknown): FailureClass => {
  const flag = (error as { retryable?: unknown } | null | undefined)?.retryable;
  if (typeof flag === 'boolean') return flag ? FailureClasses.retryable : FailureClasses.nonRetryable;
  if (
    error instanceof ContractError ||
    error instanceof ConfigurationError ||
    error instanceof AuthorizationError
  ) {
    return FailureClasses.nonRetryable;
  }
  return FailureClasses.retryable;
};

/** True when waiting cannot make `error` pass: its record belongs in the DLQ now. */
export const isNonRetryable = (error: unknown): boolean =>
  classifyFailure(error) === FailureClasses.nonRetryable;
