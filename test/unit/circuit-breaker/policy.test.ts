import { describe, expect, it } from 'vitest';
import {
  type CacheView,
  type CircuitSnapshot,
  callBudget,
  deadlineOf,
  initialSnapshot,
  resolveConfig,
  syncNeed,
} from '../../../shared/circuit-breaker';

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
