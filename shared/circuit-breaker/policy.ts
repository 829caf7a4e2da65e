/**
 * When a container talks to the store, and how much time a call gets: pure functions of the cached state, the
 * clock and the config, so the cost model ("nearly free when healthy") is testable without any I/O.
 */
import { randomUUID } from 'node:crypto';
import type { CircuitBreakerConfig } from './config';
import { type CircuitSnapshot, CircuitStates, type ProbeLease } from './state';

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
  /** The shared store is unreachable and the local fallback decides. */
  readonly degraded: boolean;
  /** Epoch ms of the last attempt to reach the shared store. */
  readonly lastSharedAttempt: number;
}

/**
 * The sync policy. A quiet closed circuit syncs every `quietSyncIntervalMs`, beside the call (so the decision is
 * local); after a failed or slow call it syncs every `syncIntervalMs` before deciding (a trip is seen within about
 * that long by every container that sees the dependency fail); OPEN rejects locally until its cooldown ends.
 */
export const syncNeed = (view: CacheView, now: number, config: CircuitBreakerConfig): SyncNeed => {
  const { snapshot } = view;
  if (snapshot === undefined) return 'await';
  const { syncIntervalMs, quietSyncIntervalMs, maxStaleMs } = config;
  // On the fallback, retry the shared store periodically, but never make a decision wait for a failing store.
  if (view.degraded) return now - view.lastSharedAttempt >= syncIntervalMs ? 'beside' : 'none';
  const age = now - view.syncedAt;
  switch (snapshot.state) {
    case CircuitStates.closed:
    case CircuitStates.metricsOnly:
      // A cache that old (e.g. a container thawed after minutes) is not trusted to decide.
      if (age >= maxStaleMs || (view.adverse && age >= syncIntervalMs)) return 'await';
      return age >= quietSyncIntervalMs ? 'beside' : 'none';
    case CircuitStates.disabled:
      return age >= quietSyncIntervalMs ? 'beside' : 'none';
    case CircuitStates.open:
      // Rejections stay local until the cooldown ends; then the compare-and-set to HALF_OPEN meets the truth.
      return 'none';
    case CircuitStates.halfOpen:
      return age >= syncIntervalMs ? 'await' : 'none';
    case CircuitStates.forcedOpen:
      return age >= quietSyncIntervalMs ? 'await' : 'none';
  }
};

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
