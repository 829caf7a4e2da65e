import {
  type CircuitSnapshot,
  CircuitStates,
  resolveConfig,
  type WindowSummary,
} from '@breakwater/circuit-breaker';
import { describe, expect, it } from 'vitest';
import { initialSnapshot } from '../../../packages/circuit-breaker/src/state';
import {
  canApply,
  cooldownFor,
  decide,
  planManual,
  planProbeResult,
  planTrip,
} from '../../../packages/circuit-breaker/src/state-machine';

const config = resolveConfig({
  failureRateThreshold: 0.5,
  slowCallRateThreshold: 0.8,
  minimumCalls: 10,
  cooldownMs: 1_000,
  cooldownMultiplier: 2,
  maxCooldownMs: 5_000,
  halfOpenMaxProbes: 2,
  halfOpenSuccessesToClose: 3,
  forcedOpenRetryAfterMs: 60_000,
  halfOpenRetryAfterMs: 1_000,
});

const window = (calls: number, failures: number, slow = 0): WindowSummary => ({
  calls,
  failures,
  slow,
  failureRate: calls === 0 ? 0 : failures / calls,
  slowCallRate: calls === 0 ? 0 : slow / calls,
});

const lease = (id: string, until: number) => ({ id, until });

const open = (now: number): CircuitSnapshot => {
  const next = planTrip(initialSnapshot, window(10, 10), config, now);
  if (next === undefined) throw new Error('expected a trip');
  return next;
};

/** OPEN at t=0, cooldown 1 s; the first caller at t=1000 takes slot 0. */
const halfOpen = (): CircuitSnapshot => {
  const decision = decide(open(0), config, 1_000, lease('a', 2_000));
  if (decision.kind !== 'probe') throw new Error('expected a probe');
  return decision.next;
};

describe('CLOSED', () => {
  it('admits and records every call', () => {
    expect(decide(initialSnapshot, config, 0, undefined)).toEqual({ kind: 'call', record: true });
  });

  it('does not trip below the minimum number of calls, whatever the rates', () => {
    expect(planTrip(initialSnapshot, window(9, 9, 9), config, 0)).toBeUndefined();
  });

  it('trips at exactly the minimum number of calls and exactly the failure-rate threshold', () => {
    const next = planTrip(initialSnapshot, window(10, 5), config, 100);
    expect(next).toMatchObject({ state: 'OPEN', version: 1, since: 100, openUntil: 1_100, reopens: 0 });
    expect(next?.reason).toMatch(/failure rate 50\.0% ≥ 50\.0% over 10 calls/);
  });

  it('does not trip just below the failure-rate threshold', () => {
    expect(planTrip(initialSnapshot, window(100, 49), config, 0)).toBeUndefined();
  });

  it('trips on the slow-call rate alone, inclusive', () => {
    expect(planTrip(initialSnapshot, window(10, 0, 8), config, 0)?.reason).toMatch(/slow-call rate 80\.0%/);
    expect(planTrip(initialSnapshot, window(10, 0, 7), config, 0)).toBeUndefined();
  });

  it('never trips from a state other than CLOSED (e.g. METRICS_ONLY only records)', () => {
    const metricsOnly = planManual(initialSnapshot, 'METRICS_ONLY', config, 0, 'op');
    expect(planTrip(metricsOnly, window(10, 10), config, 0)).toBeUndefined();
    expect(planTrip(open(0), window(10, 10), config, 0)).toBeUndefined();
  });
});

describe('OPEN', () => {
  it('rejects with the rest of the cooldown until it ends', () => {
    expect(decide(open(0), config, 400, lease('a', 2_000))).toMatchObject({
      kind: 'reject',
      retryAfterMs: 600,
    });
  });

  it('lets the first caller after the cooldown move to HALF_OPEN holding probe slot 0', () => {
    const decision = decide(open(0), config, 1_000, lease('a', 2_000));
    expect(decision).toMatchObject({ kind: 'probe', slot: '0' });
    if (decision.kind !== 'probe') return;
    expect(decision.next).toMatchObject({ state: 'HALF_OPEN', version: 2, since: 1_000, successes: 0 });
    expect(decision.next.probes).toEqual({ '0': { id: 'a', until: 2_000 } });
    expect(decision.next.openUntil).toBeUndefined();
  });

  it('does not start a probe without enough time left for one', () => {
    expect(decide(open(0), config, 1_000, undefined)).toMatchObject({ kind: 'reject', retryAfterMs: 1_000 });
  });
});

describe('HALF_OPEN', () => {
  it('admits at most K concurrent probes, then rejects until the earliest lease ends (capped)', () => {
    const second = decide(halfOpen(), config, 1_100, lease('b', 1_600));
    expect(second).toMatchObject({ kind: 'probe', slot: '1' });
    if (second.kind !== 'probe') return;
    expect(second.next.version).toBe(3);
    expect(decide(second.next, config, 1_200, lease('c', 3_000))).toMatchObject({
      kind: 'reject',
      retryAfterMs: 400,
    });
    const capped = resolveConfig({ ...config, halfOpenRetryAfterMs: 100 });
    expect(decide(second.next, capped, 1_200, lease('c', 3_000))).toMatchObject({ retryAfterMs: 100 });
  });

  it('gives an expired lease slot to a new prober and drops the expired lease', () => {
    const full = decide(halfOpen(), config, 1_100, lease('b', 1_500));
    if (full.kind !== 'probe') throw new Error('expected a probe');
    const takeover = decide(full.next, config, 1_500, lease('c', 2_500));
    expect(takeover).toMatchObject({ kind: 'probe', slot: '1' });
    if (takeover.kind !== 'probe') return;
    expect(takeover.next.probes).toEqual({ '0': { id: 'a', until: 2_000 }, '1': { id: 'c', until: 2_500 } });
  });

  it('closes after exactly M successful probes, with a fresh window and no cooldown growth', () => {
    let state = halfOpen();
    for (const [index, id] of ['a', 'b', 'c'].entries()) {
      if (id !== 'a') {
        const decision = decide(state, config, 1_100 + index, lease(id, 3_000));
        if (decision.kind !== 'probe') throw new Error('expected a probe');
        state = decision.next;
      }
      const slot = Object.entries(state.probes).find(([, held]) => held.id === id)?.[0] ?? '';
      const next = planProbeResult(state, slot, id, 'success', config, 1_200 + index);
      if (next === undefined) throw new Error('expected a write');
      state = next;
      expect(state.state).toBe(index < 2 ? 'HALF_OPEN' : 'CLOSED');
      if (index < 2) expect(state.successes).toBe(index + 1);
    }
    expect(state).toMatchObject({
      state: 'CLOSED',
      windowStart: 1_202,
      reopens: 0,
      probes: {},
      successes: 0,
    });
  });

  it('reopens on one failed probe with a grown cooldown', () => {
    const next = planProbeResult(halfOpen(), '0', 'a', 'failure', config, 1_500);
    expect(next).toMatchObject({ state: 'OPEN', reopens: 1, since: 1_500, openUntil: 3_500, probes: {} });
  });

  it('releases a slot without counting when the probe was cancelled', () => {
    const next = planProbeResult(halfOpen(), '0', 'a', 'release', config, 1_500);
    expect(next).toMatchObject({ state: 'HALF_OPEN', successes: 0, probes: {}, version: 3 });
  });

  it('ignores a stale prober: lease taken over, or the round already over', () => {
    const state = halfOpen();
    expect(planProbeResult(state, '0', 'someone-else', 'success', config, 1_500)).toBeUndefined();
    const reopened = planProbeResult(state, '0', 'a', 'failure', config, 1_500);
    if (reopened === undefined) throw new Error('expected a write');
    expect(planProbeResult(reopened, '0', 'a', 'success', config, 1_600)).toBeUndefined();
  });
});

describe('cooldown growth', () => {
  it('multiplies per failed round and is capped', () => {
    expect([0, 1, 2, 3, 4].map((reopens) => cooldownFor(reopens, config))).toEqual([
      1_000, 2_000, 4_000, 5_000, 5_000,
    ]);
  });

  it('stays constant with multiplier 1', () => {
    expect(cooldownFor(5, resolveConfig({ ...config, cooldownMultiplier: 1 }))).toBe(1_000);
  });

  it('resets after the circuit closes', () => {
    let state = planProbeResult(halfOpen(), '0', 'a', 'failure', config, 1_500);
    if (state === undefined) throw new Error('expected a write');
    state = planManual(state, 'CLOSED', config, 2_000, 'op');
    expect(planTrip(state, window(10, 10), config, 3_000)).toMatchObject({ reopens: 0, openUntil: 4_000 });
  });
});

describe('manual states', () => {
  it('FORCED_OPEN rejects every call with the configured retry-after and never half-opens', () => {
    const forced = planManual(open(0), 'FORCED_OPEN', config, 10, 'maintenance');
    expect(forced).toMatchObject({ state: 'FORCED_OPEN', version: 2, reason: 'maintenance', probes: {} });
    expect(forced.openUntil).toBeUndefined();
    expect(decide(forced, config, 10_000_000, lease('a', 1))).toMatchObject({
      kind: 'reject',
      retryAfterMs: 60_000,
    });
  });

  it('DISABLED always calls and records nothing; METRICS_ONLY always calls and records', () => {
    expect(decide(planManual(open(0), 'DISABLED', config, 0, 'op'), config, 1, undefined)).toEqual({
      kind: 'call',
      record: false,
    });
    expect(decide(planManual(open(0), 'METRICS_ONLY', config, 0, 'op'), config, 1, undefined)).toEqual({
      kind: 'call',
      record: true,
    });
  });

  it('CLOSED resets the window and OPEN starts a first cooldown', () => {
    expect(planManual(open(0), 'CLOSED', config, 50, 'op')).toMatchObject({
      state: 'CLOSED',
      windowStart: 50,
    });
    expect(planManual(initialSnapshot, 'OPEN', config, 50, 'op')).toMatchObject({
      state: 'OPEN',
      openUntil: 1_050,
    });
  });
});

describe('fencing', () => {
  it('applies a plan only over the exact version it was planned from, advancing it by one', () => {
    const tripped = open(0);
    expect(canApply(initialSnapshot, 0, tripped)).toBe(true);
    // A slow success planned from version 0 must not land on the OPEN version 1.
    expect(canApply(tripped, 0, planManual(initialSnapshot, 'CLOSED', config, 5, 'stale'))).toBe(false);
    // A plan that skips a version is refused as well.
    expect(canApply(tripped, 1, { ...tripped, version: 3 })).toBe(false);
  });

  it('advances the version by one on every write, lease writes included', () => {
    const states = [initialSnapshot, open(0), halfOpen()];
    expect(states.map((state) => state.version)).toEqual([0, 1, 2]);
    expect(states.map((state) => state.state)).toEqual([
      CircuitStates.closed,
      CircuitStates.open,
      'HALF_OPEN',
    ]);
  });
});
