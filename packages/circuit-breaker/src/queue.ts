import type { CircuitBreakerConfig } from './config.js';
import { CircuitOpenError } from './errors.js';
import { cooldownFor } from './state-machine.js';

/**
 * Bounds for {@link visibilityTimeoutSeconds}.
 *
 * @example
 * ```ts
 * visibilityTimeoutSeconds(error.retryAfterMs, { minSeconds: 5, jitterRatio: 0.2, random: Math.random() });
 * ```
 */
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

/**
 * The SQS maximum visibility timeout, in seconds.
 *
 * @example
 * ```ts
 * const cap = Math.min(retention.toSeconds(), MAX_VISIBILITY_TIMEOUT_SECONDS);
 * ```
 */
export const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;

/**
 * The visibility timeout (whole seconds) to give a queue message whose call was rejected by an open circuit, so it
 * comes back when a call could be admitted instead of being received again at once. Every receive increments the
 * message's receive count, so waiting out the cooldown costs one receive per cooldown rather than one per poll:
 * size maxReceiveCount for the longest outage you want to ride out (outage / cooldown receives).
 *
 * @example
 * ```ts
 * await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle,
 *   VisibilityTimeout: visibilityTimeoutSeconds(error.retryAfterMs, { minSeconds: 5 }) }));
 * ```
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

/**
 * The receives a message deferred on every rejection spends while an outage of `outageMs` lasts, so that a queue's
 * maxReceiveCount can be sized for it. An outage is a sequence of rounds: a cooldown (`cooldownMs`, multiplied by
 * `cooldownMultiplier` after each failed half-open round, capped at `maxCooldownMs`), then probes that fail. A
 * message costs at most `receivesPerRound` per round (default 2: its return at the end of the cooldown, plus one if
 * it meets a HALF_OPEN round with every probe slot taken and is deferred for a few seconds).
 *
 * With the defaults (30 s, ×2, 300 s): cooldowns 30 + 60 + 120 + 240 s, then 300 s each; one hour is 15 rounds,
 * 30 receives.
 *
 * @example
 * ```ts
 * const maxReceiveCount = 5 + receivesToRideOut(2 * 3_600_000, resolveConfig()); // a two-hour outage
 * ```
 */
export const receivesToRideOut = (
  outageMs: number,
  config: Pick<CircuitBreakerConfig, 'cooldownMs' | 'cooldownMultiplier' | 'maxCooldownMs'>,
  receivesPerRound = 2,
): number => {
  let elapsed = 0;
  let rounds = 0;
  while (elapsed < outageMs) {
    elapsed += cooldownFor(rounds, config);
    rounds += 1;
  }
  return rounds * receivesPerRound;
};
