import type { CircuitState } from './state.js';

/**
 * Base class of the errors the circuit breaker throws on purpose.
 *
 * @example
 * ```ts
 * if (error instanceof CircuitBreakerError) log.warn('breaker', { circuitId: error.circuitId });
 * ```
 */
export class CircuitBreakerError extends Error {
  public readonly circuitId: string;

  public constructor(circuitId: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CircuitBreakerError';
    this.circuitId = circuitId;
  }
}

/**
 * The call was not made because the circuit is OPEN, FORCED_OPEN, or HALF_OPEN with every probe slot taken.
 * `retryAfterMs` is the time until a call could be admitted again (the rest of the cooldown while OPEN): a queue
 * consumer extends the message's visibility by it (see `visibilityTimeoutSeconds`) instead of burning receives.
 * It is not a failure of the protected call and must never be reported as a success either.
 *
 * @example
 * ```ts
 * await breaker.execute(call).catch((error) => {
 *   if (error instanceof CircuitOpenError) return deferFor(error.retryAfterMs); // nothing was called
 *   throw error;
 * });
 * ```
 */
export class CircuitOpenError extends CircuitBreakerError {
  public readonly state: CircuitState;
  public readonly retryAfterMs: number;
  public readonly reason: string;

  public constructor(circuitId: string, state: CircuitState, retryAfterMs: number, reason: string) {
    super(
      circuitId,
      `circuit ${circuitId} is ${state} (${reason}); retry after ${Math.ceil(retryAfterMs)} ms`,
    );
    this.name = 'CircuitOpenError';
    this.state = state;
    this.retryAfterMs = retryAfterMs;
    this.reason = reason;
  }
}

/**
 * The guarded call did not finish within its timeout (the call's own or the caller's deadline); it was aborted.
 *
 * @example
 * ```ts
 * await breaker.execute(call).catch((error) => {
 *   if (error instanceof CallTimeoutError) log.warn(`gave up after ${error.timeoutMs} ms`);
 *   throw error;
 * });
 * ```
 */
export class CallTimeoutError extends CircuitBreakerError {
  public readonly timeoutMs: number;
  /** A timeout is a failure of the dependency: it counts towards opening the circuit. */
  public readonly countsAsFailure = true;
  /** Trying again later may pass (a caller's retry policy can read this). */
  public readonly retryable = true;

  public constructor(circuitId: string, timeoutMs: number) {
    super(circuitId, `call through circuit ${circuitId} timed out after ${timeoutMs} ms`);
    this.name = 'CallTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The state store (DynamoDB) or the counter store failed. The breaker handles it (see README); listeners see it.
 *
 * @example
 * ```ts
 * const breaker = new CircuitBreaker('gateway', { ...deps, listeners: { onError: ({ error }) => log.warn(String(error)) } });
 * ```
 */
export class CircuitStoreError extends CircuitBreakerError {
  public readonly operation: string;
  /** Trying again later may pass (a caller's retry policy can read this). */
  public readonly retryable = true;

  public constructor(circuitId: string, operation: string, options?: ErrorOptions) {
    const detail = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(circuitId, `circuit store ${operation} failed for ${circuitId}${detail}`, options);
    this.name = 'CircuitStoreError';
    this.operation = operation;
  }
}

/**
 * An option of the breaker is invalid (a threshold out of range, an unknown key): thrown when the breaker is built,
 * naming the option.
 *
 * @example
 * ```ts
 * expect(() => resolveConfig({ failureRateThreshold: 2 })).toThrow(CircuitBreakerConfigurationError);
 * ```
 */
export class CircuitBreakerConfigurationError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CircuitBreakerConfigurationError';
  }
}
