/**
 * When a container talks to the store, and how much time a call gets: pure functions of the cached state, the
 * clock and the config, so the cost model ("nearly free when healthy") is testable without any I/O.
 */
import { randomUUID } from 'node:crypto';
import type { CircuitBreakerConfig } from './config.js';
import { type CircuitSnapshot, CircuitStates, type ProbeLease } from './state.js';

/** `none`: decide on the cache; `beside`: sync alongside the call; `await`: sync before deciding. */
export type SyncNeed = 'none' | 'beside' | 'await';

/** What the sync policy looks at. */
export interface CacheView {
  /** The cached snapshot; undefined before the first sync (a cold container). */
  readonly snapshot: CircuitSnapshot | undefined;
  /** Epoch ms of the last time the cache was refreshed from the store. */
  readonly syncedAt: number;
  /** A failed or slow call was recorded since the last sync. */
  readonly adverse: boolean;
  /** When the first of them was recorded (absent: none, or unknown). */
  readonly adverseSince?: number;
  /** The shared store is unreachable and the local fallback decides. */
  readonly degraded: boolean;
  /** Epoch ms of the last attempt to reach the shared store. */
  readonly lastSharedAttempt: number;
  /** The fleet's size as the window last showed it (default 1: a fleet of one). */
  readonly fleet?: number;
  /** This container's fixed random fraction in [0, 1): spreads the fleet's stretched syncs over their interval. */
  readonly jitter?: number;
  /**
   * The intervals fixed at the last sync (default: computed from `fleet` now). Fixing them keeps a change of the
   * fleet estimate from making many containers overdue at the same instant: it applies from each one's next sync.
   */
  readonly intervals?: CoordinationIntervals;
}

/** The intervals one container keeps, for a fleet of a given size (see {@link coordinationIntervals}). */
export interface CoordinationIntervals {
  /** Sync after a failed or slow call (awaited before the next decision). */
  readonly adverseSyncMs: number;
  /** Sync of a quiet closed circuit (beside the call). */
  readonly quietSyncMs: number;
  /** Sync of a circuit that rejects or probes (HALF_OPEN, FORCED_OPEN): a read, nothing to flush. */
  readonly readSyncMs: number;
  /** A cache older than this is refreshed before deciding. */
  readonly maxStaleMs: number;
  /** Fast-path reads. */
  readonly signalMs: number;
}

/**
 * The intervals that keep a circuit's fleet within its store budgets: each configured interval, stretched to
 * `fleet / budget` seconds when that is longer. N containers each syncing every N / B seconds send B requests per
 * second in total, whatever N is; small fleets keep the configured
 * intervals.
 */
export const coordinationIntervals = (fleet: number, config: CircuitBreakerConfig): CoordinationIntervals => {
  // A small fleet (no larger than probeAttemptsPerSecond) keeps its configured intervals, however short.
  const large = probesRationed(fleet, config);
  const stretch = (intervalMs: number, perSecond: number) =>
    large ? Math.max(intervalMs, (fleet * 1_000) / perSecond) : intervalMs;
  const quietSyncMs = stretch(config.quietSyncIntervalMs, config.stateWritesPerSecond);
  return {
    adverseSyncMs: stretch(config.syncIntervalMs, config.stateWritesPerSecond),
    quietSyncMs,
    readSyncMs: stretch(config.syncIntervalMs, config.stateReadsPerSecond),
    // A stretched quiet interval must not turn every quiet sync into one on the call's path.
    maxStaleMs: large ? Math.max(config.maxStaleMs, 2 * quietSyncMs) : config.maxStaleMs,
    signalMs: stretch(config.signalIntervalMs, config.signalReadsPerSecond),
  };
};

/**
 * The sync policy. A quiet closed circuit syncs every `quietSyncIntervalMs`, beside the call (so the decision is
 * local); after a failed or slow call it syncs every `syncIntervalMs` before deciding (a trip is seen within about
 * that long by every container that sees the dependency fail); OPEN rejects locally until its cooldown ends. Every
 * interval stretches with the fleet's size (see {@link coordinationIntervals}).
 */
export const syncNeed = (view: CacheView, now: number, config: CircuitBreakerConfig): SyncNeed => {
  const { snapshot } = view;
  if (snapshot === undefined) return 'await';
  const fleet = view.fleet ?? 1;
  const jitter = view.jitter ?? 0.5;
  const { adverseSyncMs, quietSyncMs, readSyncMs, maxStaleMs } =
    view.intervals ?? coordinationIntervals(fleet, config);
  // On the fallback, retry the shared store periodically, but never make a decision wait for a failing store.
  if (view.degraded) return now - view.lastSharedAttempt >= adverseSyncMs ? 'beside' : 'none';
  const age = now - view.syncedAt;
  // In a large fleet, events that reach many containers at once (a failing dependency, the end of a cooldown) are
  // met at each container's own offset into the interval, so that they do not all sync in the same second; the
  // replica spreads the next sync the same way when it learns of a transition (see CircuitReplica). A small fleet
  // keeps the plain ages (and the behaviour its tests describe).
  const large = probesRationed(fleet, config);
  const offset = (intervalMs: number) => jitter * intervalMs;
  switch (snapshot.state) {
    case CircuitStates.closed:
    case CircuitStates.metricsOnly:
      // A cache that old (e.g. a container thawed after minutes) is not trusted to decide.
      if (age >= maxStaleMs) return 'await';
      if (view.adverse && age >= adverseSyncMs) {
        // After the first failure since the last sync: the fleet's last syncs lie up to a quiet interval back, so
        // without the offset a dependency that starts failing would send every container at once.
        const from = view.adverseSince ?? Number.NEGATIVE_INFINITY;
        if (!large || now >= from + offset(adverseSyncMs)) return 'await';
        return 'none';
      }
      return age >= quietSyncMs ? 'beside' : 'none';
    case CircuitStates.disabled:
      return age >= quietSyncMs ? 'beside' : 'none';
    case CircuitStates.open: {
      // Rejections stay local until the cooldown ends; then the compare-and-set to HALF_OPEN meets the truth. A
      // container whose probe attempts are rationed (a large fleet) also reads the state beside its rejections, from
      // its own offset after the cooldown on, so it learns of the round others started, or of its end.
      const openUntil = snapshot.openUntil ?? 0;
      if (now < openUntil || !large) return 'none';
      const since = Math.max(view.syncedAt, openUntil + offset(readSyncMs) - readSyncMs);
      return now - since >= readSyncMs ? 'beside' : 'none';
    }
    case CircuitStates.halfOpen:
      return age >= readSyncMs ? 'await' : 'none';
    case CircuitStates.forcedOpen:
      return age >= Math.max(quietSyncMs, readSyncMs) ? 'await' : 'none';
  }
};

/** True when the fleet is larger than its probe-attempt budget: each container then tries at most once a period. */
export const probesRationed = (fleet: number, config: CircuitBreakerConfig): boolean =>
  fleet > config.probeAttemptsPerSecond;

/** The deadline (epoch ms) implied by a remaining time and/or an absolute deadline: the earlier one. */
export const deadlineOf = (
  now: number,
  options: { readonly remainingTimeMs?: number; readonly deadline?: number },
): number =>
  Math.min(
    options.deadline ?? Number.POSITIVE_INFINITY,
    options.remainingTimeMs === undefined ? Number.POSITIVE_INFINITY : now + options.remainingTimeMs,
  );

/** The time a call gets, and the lease it would hold as a probe (undefined when too little time is left). */
export interface CallBudget {
  readonly timeoutMs: number;
  readonly lease: ProbeLease | undefined;
}

/**
 * A call gets `callTimeoutMs`, cut to leave `deadlineMarginMs` before the deadline. A probe lease lasts the call
 * plus `leaseSlackMs` (to write the result) but never beyond the deadline: a container that dies with its
 * invocation releases its slot by expiry.
 */
export const callBudget = (
  now: number,
  deadline: number,
  config: CircuitBreakerConfig,
  newLeaseId: () => string = randomUUID,
): CallBudget => {
  const timeoutMs = Math.min(config.callTimeoutMs, deadline - now - config.deadlineMarginMs);
  const lease =
    timeoutMs >= config.minProbeTimeMs
      ? { id: newLeaseId(), until: Math.min(now + timeoutMs + config.leaseSlackMs, deadline) }
      : undefined;
  return { timeoutMs, lease };
};
