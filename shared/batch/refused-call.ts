/**
 * A call refused before anything was called, such as one an open circuit breaker rejected (the breaker's
 * `CircuitOpenError`): recognised by its shape, so that the batch layer does not depend on any breaker. The
 * message is deferred (it comes back when a call can be admitted), not counted as a failure of its own.
 */
export interface RefusedCall {
  readonly name: 'CircuitOpenError';
  /** How long until a call may be admitted. */
  readonly retryAfterMs: number;
  /** The circuit that refused it, for the log. */
  readonly circuitId?: string;
  /** The circuit's state (`OPEN`, `HALF_OPEN`, a forced state), for the log. */
  readonly state?: string;
}

/** The wait an error asks for (`retryAfterMs`, a finite number ≥ 0), else undefined. */
export const retryAfterMsOf = (error: unknown): number | undefined => {
  const value = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
};

/** Whether `error` is a {@link RefusedCall}. */
export const isRefusedCall = (error: unknown): error is RefusedCall => {
  if (!(error instanceof Error) || error.name !== 'CircuitOpenError') return false;
  const wait = (error as { retryAfterMs?: unknown }).retryAfterMs;
  // Infinity is a wait too: a circuit forced open names no end.
  return typeof wait === 'number' && wait >= 0;
};
