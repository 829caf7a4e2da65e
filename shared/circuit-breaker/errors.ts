import { BreakwaterError } from '../errors';
import type { CircuitState } from './state';

/** Base class of the errors the circuit breaker throws on purpose. */
export class CircuitBreakerError extends BreakwaterError {
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

/** The guarded call did not finish within its timeout (the call's own or the caller's deadline); it was aborted. */
export class CallTimeoutError extends CircuitBreakerError {
  public readonly timeoutMs: number;
  /** A timeout is a failure of the dependency: it counts towards opening the circuit. */
  public readonly countsAsFailure = true;

  public constructor(circuitId: string, timeoutMs: number) {
    super(circuitId, `call through circuit ${circuitId} timed out after ${timeoutMs} ms`);
    this.name = 'CallTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** The state store (DynamoDB) or the counter store failed. The breaker handles it (see README); listeners see it. */
export class CircuitStoreError extends CircuitBreakerError {
  public readonly operation: string;

  public constructor(circuitId: string, operation: string, options?: ErrorOptions) {
    const detail = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(circuitId, `circuit store ${operation} failed for ${circuitId}${detail}`, options);
    this.name = 'CircuitStoreError';
    this.operation = operation;
  }
}
