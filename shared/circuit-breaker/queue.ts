import { CircuitOpenError } from './errors';

/** Bounds for {@link visibilityTimeoutSeconds}. */
export interface VisibilityLimits {
  /** Default 1: SQS would redeliver a message at once with 0. */
  readonly minSeconds?: number;
  /** Default 43 200 (12 h), the SQS maximum. Use the cap your queue's retention allows. */
  readonly maxSeconds?: number;
  /** Spread added on top, as a share of the wait (default 0), so messages do not all return at the same instant. */
  readonly jitterRatio?: number;
  /** A number in [0, 1) that picks the spread (pass `Math.random()`); default 0 keeps the function pure. */
  readonly random?: number;
}

/** The SQS maximum visibility timeout, in seconds. */
export const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;

/**
 * The visibility timeout (whole seconds) to give a queue message whose call was rejected by an open circuit, so it
 * comes back when a call could be admitted instead of being received again at once. Every receive increments the
 * message's receive count, so waiting out the cooldown costs one receive per cooldown rather than one per poll:
 * size maxReceiveCount for the longest outage you want to ride out (outage / cooldown receives).
 */
export const visibilityTimeoutSeconds = (retryAfterMs: number, limits: VisibilityLimits = {}): number => {
  const { minSeconds = 1, maxSeconds = MAX_VISIBILITY_TIMEOUT_SECONDS, jitterRatio = 0, random = 0 } = limits;
  const waitMs =
    Math.max(0, retryAfterMs) * (1 + Math.max(0, jitterRatio) * Math.min(Math.max(random, 0), 1));
  const seconds = Number.isFinite(waitMs) ? Math.ceil(waitMs / 1_000) : maxSeconds;
  return Math.min(Math.max(seconds, minSeconds, 0), maxSeconds);
};

/** The wait an error asks for when it is a circuit rejection, else undefined. */
export const retryAfterMsOf = (error: unknown): number | undefined =>
  error instanceof CircuitOpenError ? error.retryAfterMs : undefined;
