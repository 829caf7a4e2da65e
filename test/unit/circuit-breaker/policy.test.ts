import { type CircuitSnapshot, resolveConfig } from '@breakwater/circuit-breaker';
import { describe, expect, it } from 'vitest';
import {
  type CacheView,
  callBudget,
  coordinationIntervals,
  deadlineOf,
  syncNeed,
} from '../../../packages/circuit-breaker/src/policy';
import { initialSnapshot } from '../../../packages/circuit-breaker/src/state';

const config = resolveConfig({ syncIntervalMs: 1_000, quietSyncIntervalMs: 10_000, maxStaleMs: 30_000 });
const view = (
  state: CircuitSnapshot['state'],
  age: number,
  extra: Partial<CacheView> = {},
): [CacheView, number] => [
  {
    snapshot: { ...initialSnapshot, state },
    syncedAt: 1_000_000,
    adverse: false,
    degraded: false,
    lastSharedAttempt: 1_000_000,
    ...extra,
  },
  1_000_000 + age,
];

describe('syncNeed', () => {
  it('awaits the first sync of a cold container', () => {
    expect(syncNeed({ ...view('CLOSED', 0)[0], snapshot: undefined }, 0, config)).toBe('await');
  });

  it.each([
    ['CLOSED', 999, {}, 'none'],
    ['CLOSED', 9_999, {}, 'none'],
    ['CLOSED', 10_000, {}, 'beside'],
    ['CLOSED', 30_000, {}, 'await'],
    ['CLOSED', 999, { adverse: true }, 'none'],
    ['CLOSED', 1_000, { adverse: true }, 'await'],
    ['METRICS_ONLY', 1_000, { adverse: true }, 'await'],
    ['DISABLED', 10_000, {}, 'beside'],
    ['OPEN', 1_000_000, {}, 'none'],
    ['HALF_OPEN', 999, {}, 'none'],
    ['HALF_OPEN', 1_000, {}, 'await'],
    ['FORCED_OPEN', 10_000, {}, 'await'],
    ['CLOSED', 60_000, { degraded: true, lastSharedAttempt: 1_000_000 + 59_500 }, 'none'],
    ['OPEN', 60_000, { degraded: true }, 'beside'],
  ] as const)('%s after %i ms with %o: %s', (state, age, extra, expected) => {
    const [cache, now] = view(state, age, extra);
    expect(syncNeed(cache, now, config)).toBe(expected);
  });
});

describe('deadlineOf', () => {
  it('takes the earlier of the remaining time and the deadline', () => {
    expect(deadlineOf(1_000, {})).toBe(Number.POSITIVE_INFINITY);
    expect(deadlineOf(1_000, { remainingTimeMs: 500 })).toBe(1_500);
    expect(deadlineOf(1_000, { remainingTimeMs: 500, deadline: 1_200 })).toBe(1_200);
  });
});

describe('callBudget', () => {
  const budget = resolveConfig({
    callTimeoutMs: 5_000,
    deadlineMarginMs: 500,
    leaseSlackMs: 1_000,
    minProbeTimeMs: 200,
  });

  it('gives the call timeout and a lease of timeout + slack when time is plentiful', () => {
    expect(callBudget(0, Number.POSITIVE_INFINITY, budget, () => 'id')).toEqual({
      timeoutMs: 5_000,
      lease: { id: 'id', until: 6_000 },
    });
  });

  it('cuts both to the deadline', () => {
    expect(callBudget(0, 2_000, budget, () => 'id')).toEqual({
      timeoutMs: 1_500,
      lease: { id: 'id', until: 2_000 },
    });
  });

  it('refuses a lease with too little time to probe', () => {
    expect(callBudget(0, 699, budget, () => 'id')).toEqual({ timeoutMs: 199, lease: undefined });
  });
});

describe('coordinationIntervals: the budgets of a large fleet', () => {
  const defaults = resolveConfig();

  it('keeps the configured intervals for a fleet no larger than probeAttemptsPerSecond', () => {
    expect(coordinationIntervals(50, defaults)).toEqual({
      adverseSyncMs: defaults.syncIntervalMs,
      quietSyncMs: defaults.quietSyncIntervalMs,
      readSyncMs: defaults.syncIntervalMs,
      maxStaleMs: defaults.maxStaleMs,
      signalMs: defaults.signalIntervalMs,
    });
  });

  it('stretches each interval to fleet / budget, so the fleet sends at most the budget per second', () => {
    // 10,000 containers: 150 flushes/s → 66.7 s; 1,000 reads/s → 10 s; 8,000 signal reads/s → 1.25 s.
    const intervals = coordinationIntervals(10_000, defaults);
    expect(intervals.adverseSyncMs).toBeCloseTo((10_000 / defaults.stateWritesPerSecond) * 1_000);
    expect(intervals.quietSyncMs).toBeCloseTo((10_000 / defaults.stateWritesPerSecond) * 1_000);
    expect(intervals.readSyncMs).toBe((10_000 / defaults.stateReadsPerSecond) * 1_000);
    expect(intervals.signalMs).toBe(1_250);
    // A stretched quiet interval does not make every quiet sync an awaited one.
    expect(intervals.maxStaleMs).toBe(2 * intervals.quietSyncMs);
    for (const [ms, budget] of [
      [intervals.adverseSyncMs, defaults.stateWritesPerSecond],
      [intervals.readSyncMs, defaults.stateReadsPerSecond],
      [intervals.signalMs, defaults.signalReadsPerSecond],
    ] as const) {
      expect((10_000 * 1_000) / ms).toBeLessThanOrEqual(budget + 1e-9);
    }
  });
});
