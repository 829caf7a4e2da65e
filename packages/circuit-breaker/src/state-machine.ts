/**
 * The circuit's state machine as pure functions of (snapshot, config, now). Nothing here performs I/O or reads a
 * clock: the breaker turns each planned snapshot into a compare-and-set on `version`, so the store decides which of
 * several concurrent plans wins and the losers re-plan from what actually happened.
 *
 *   CLOSED ──window trips──▶ OPEN ──cooldown over, first caller takes a lease──▶ HALF_OPEN
 *   HALF_OPEN ──M successful probes──▶ CLOSED        HALF_OPEN ──one failed or slow probe──▶ OPEN (longer cooldown)
 *   any ──operator──▶ FORCED_OPEN | DISABLED | METRICS_ONLY | CLOSED | OPEN
 */
import type { CircuitBreakerConfig } from './config.js';
import { type CircuitSnapshot, CircuitStates, type ManualTarget, type ProbeLease } from './state.js';
import { tripReason, type WindowSummary } from './window.js';

/** What to do with one call. `probe` and any other plan with `next` need a successful compare-and-set first. */
export type Decision =
  | { readonly kind: 'call'; readonly record: boolean }
  | { readonly kind: 'reject'; readonly retryAfterMs: number; readonly reason: string }
  | {
      readonly kind: 'probe';
      readonly slot: string;
      readonly lease: ProbeLease;
      readonly next: CircuitSnapshot;
    };

/** The cooldown after `reopens` consecutive failed half-open rounds: cooldownMs × multiplier^reopens, capped. */
export const cooldownFor = (
  reopens: number,
  config: Pick<CircuitBreakerConfig, 'cooldownMs' | 'cooldownMultiplier' | 'maxCooldownMs'>,
): number => Math.min(config.cooldownMs * config.cooldownMultiplier ** reopens, config.maxCooldownMs);

/** The next version of a snapshot: every write advances the fencing version by exactly one. */
const write = (
  current: CircuitSnapshot,
  changes: Partial<Omit<CircuitSnapshot, 'version'>>,
): CircuitSnapshot => ({
  ...current,
  ...changes,
  version: current.version + 1,
});

const opened = (
  current: CircuitSnapshot,
  reopens: number,
  now: number,
  reason: string,
  config: CircuitBreakerConfig,
) =>
  write(current, {
    state: CircuitStates.open,
    since: now,
    openUntil: now + cooldownFor(reopens, config),
    reopens,
    probes: {},
    successes: 0,
    reason,
  });

const closed = (
  current: CircuitSnapshot,
  now: number,
  reason: string,
  state: 'CLOSED' | 'DISABLED' | 'METRICS_ONLY',
) =>
  write(current, {
    state,
    since: now,
    openUntil: undefined,
    reopens: 0,
    probes: {},
    successes: 0,
    windowStart: now,
    reason,
  });

/** Leases still valid at `now`. */
export const liveLeases = (snapshot: CircuitSnapshot, now: number): [string, ProbeLease][] =>
  Object.entries(snapshot.probes).filter(([, lease]) => lease.until > now);

/**
 * Decides one call. `lease` is the lease this caller would hold as a probe (its id and expiry, already bounded by
 * the call timeout and the caller's deadline); undefined when too little time is left to probe.
 */
export const decide = (
  snapshot: CircuitSnapshot,
  config: CircuitBreakerConfig,
  now: number,
  lease: ProbeLease | undefined,
): Decision => {
  switch (snapshot.state) {
    case CircuitStates.closed:
      return { kind: 'call', record: true };
    case CircuitStates.metricsOnly:
      return { kind: 'call', record: true };
    case CircuitStates.disabled:
      return { kind: 'call', record: false };
    case CircuitStates.forcedOpen:
      return { kind: 'reject', retryAfterMs: config.forcedOpenRetryAfterMs, reason: 'forced open' };
    case CircuitStates.open: {
      const openUntil = snapshot.openUntil ?? 0;
      if (now < openUntil) return { kind: 'reject', retryAfterMs: openUntil - now, reason: 'open' };
      if (lease === undefined) return tooLittleTime(config);
      const next = write(snapshot, {
        state: CircuitStates.halfOpen,
        since: now,
        openUntil: undefined,
        probes: { '0': lease },
        successes: 0,
        reason: 'cooldown elapsed',
      });
      return { kind: 'probe', slot: '0', lease, next };
    }
    case CircuitStates.halfOpen: {
      const live = liveLeases(snapshot, now);
      if (live.length >= config.halfOpenMaxProbes) {
        const earliest = Math.min(...live.map(([, held]) => held.until));
        const retryAfterMs = Math.max(1, Math.min(earliest - now, config.halfOpenRetryAfterMs));
        return { kind: 'reject', retryAfterMs, reason: 'half-open, every probe slot is taken' };
      }
      if (lease === undefined) return tooLittleTime(config);
      const held = new Set(live.map(([slot]) => slot));
      let index = 0;
      while (held.has(String(index))) index += 1;
      const slot = String(index);
      // Expired leases are dropped here: their holders can no longer report (see probeOutcome).
      const next = write(snapshot, { probes: { ...Object.fromEntries(live), [slot]: lease } });
      return { kind: 'probe', slot, lease, next };
    }
  }
};

const tooLittleTime = (config: CircuitBreakerConfig): Decision => ({
  kind: 'reject',
  retryAfterMs: config.halfOpenRetryAfterMs,
  reason: 'too little time left to probe',
});

/** CLOSED → OPEN when the window trips; undefined when it does not (or the circuit is not CLOSED). */
export const planTrip = (
  snapshot: CircuitSnapshot,
  summary: WindowSummary,
  config: CircuitBreakerConfig,
  now: number,
): CircuitSnapshot | undefined => {
  if (snapshot.state !== CircuitStates.closed) return undefined;
  const reason = tripReason(summary, config);
  return reason === undefined ? undefined : opened(snapshot, 0, now, reason, config);
};

/** How a probe ended: `release` gives the slot back without counting (e.g. the caller cancelled the call). */
export type ProbeResult = 'success' | 'failure' | 'release';

/**
 * Applies a probe's result. Undefined when it no longer matters: the circuit left this HALF_OPEN round, or the
 * lease was taken over after it expired (a stale prober never moves the circuit).
 */
export const planProbeResult = (
  snapshot: CircuitSnapshot,
  slot: string,
  leaseId: string,
  result: ProbeResult,
  config: CircuitBreakerConfig,
  now: number,
): CircuitSnapshot | undefined => {
  if (snapshot.state !== CircuitStates.halfOpen || snapshot.probes[slot]?.id !== leaseId) return undefined;
  if (result === 'failure') {
    return opened(snapshot, snapshot.reopens + 1, now, 'a half-open probe failed', config);
  }
  const { [slot]: _released, ...probes } = snapshot.probes;
  if (result === 'release') return write(snapshot, { probes });
  const successes = snapshot.successes + 1;
  if (successes >= config.halfOpenSuccessesToClose) {
    return closed(snapshot, now, `${successes} half-open probes succeeded`, CircuitStates.closed);
  }
  return write(snapshot, { probes, successes });
};

/** An operator's transition. CLOSED, DISABLED and METRICS_ONLY start a fresh window; OPEN starts a cooldown. */
export const planManual = (
  snapshot: CircuitSnapshot,
  target: ManualTarget,
  config: CircuitBreakerConfig,
  now: number,
  reason: string,
): CircuitSnapshot => {
  switch (target) {
    case CircuitStates.open:
      return opened(snapshot, 0, now, reason, config);
    case CircuitStates.forcedOpen:
      return write(snapshot, {
        state: target,
        since: now,
        openUntil: undefined,
        probes: {},
        successes: 0,
        reason,
      });
    default:
      return closed(snapshot, now, reason, target);
  }
};

/**
 * The fencing rule every store enforces: a planned snapshot applies only over the exact version it was planned
 * from, and advances it by one. Anything else is a stale writer.
 */
export const canApply = (current: CircuitSnapshot, expectedVersion: number, next: CircuitSnapshot): boolean =>
  current.version === expectedVersion && next.version === expectedVersion + 1;
