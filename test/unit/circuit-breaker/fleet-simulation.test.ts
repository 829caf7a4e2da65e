import { CircuitBreakerDefaults } from '@breakwater/circuit-breaker';
import { describe, expect, it } from 'vitest';
import { type Scenario, simulate } from '../../../bench/fleet/simulation';
import { budgetedCoordination, perContainerSyncsReproduced } from '../../../bench/fleet/wirings';

/**
 * The breaker at fleet scale, on virtual time (bench/fleet/simulation.ts): 1,500 containers running the real breaker
 * against the modelled DynamoDB item (1,000 WCU/s, 3,000 RCU/s, throttling) and Upstash database (10,000
 * commands/s). Deterministic (seeded); nothing here depends on the machine's speed.
 */
const scenario: Scenario = {
  containers: 1_500,
  seed: 7,
  failAtS: 20,
  recoverAtS: 40,
  endS: 60,
  config: { cooldownMs: 10_000, maxCooldownMs: 20_000 },
};
const K = 2; // halfOpenMaxProbes (default)
const edges = new Set(['CLOSED>OPEN', 'OPEN>HALF_OPEN', 'HALF_OPEN>OPEN', 'HALF_OPEN>CLOSED']);
const edgeOf = (transition: string) => transition.split('@')[0];

describe('the breaker in a fleet of 1,500 containers (simulated)', () => {
  it('with coordination budgets: no throttling, a bounded hot item, the trip seen everywhere, K probes at most', async () => {
    const figures = await simulate(budgetedCoordination, scenario);
    expect(figures.throttledRequests).toBe(0);
    expect(figures.storeErrors).toBe(0);
    expect(figures.containersDegraded).toBe(0);
    expect(figures.maxItemWritesPerSecond).toBeLessThan(500);
    expect(figures.item.maxRcuPerSecond).toBeLessThan(3_000);
    expect(figures.tripAtS).toBeDefined();
    expect(figures.containersNeverSawTrip).toBe(0);
    expect(figures.tripVisibleP99Ms).toBeLessThanOrEqual(2_000);
    expect(figures.maxProbesInFlight).toBeGreaterThan(0);
    expect(figures.maxProbesInFlight).toBeLessThanOrEqual(K);
    expect(figures.closedAtS).toBeDefined();
    // Every reported transition is an edge of the machine, each reported once (by the container whose write won).
    for (const transition of figures.transitions) expect(edges).toContain(edgeOf(transition));
    expect(figures.transitions.map(edgeOf)).toEqual(['CLOSED>OPEN', 'OPEN>HALF_OPEN', 'HALF_OPEN>CLOSED']);
    // The fleet estimate the intervals stretch by is of the right order (presence counts are lumpy, not exact).
    expect(figures.fleetEstimateMedian).toBeGreaterThan(scenario.containers / 3);
    expect(figures.fleetEstimateMedian).toBeLessThan(scenario.containers * 3);
  }, 180_000);

  it('without budgets (the design before), the same fleet saturates the item and throttles', async () => {
    const figures = await simulate(perContainerSyncsReproduced, scenario);
    expect(figures.maxItemWritesPerSecond).toBeGreaterThan(900);
    expect(figures.throttledRequests).toBeGreaterThan(0);
  }, 180_000);

  it('with Redis down the whole time, DynamoDB alone still decides, within its budget', async () => {
    const figures = await simulate(budgetedCoordination, {
      ...scenario,
      redisDown: { fromS: -100, toS: 1_000 },
    });
    expect(figures.redisRequests).toBeGreaterThan(0); // it kept trying, backed off
    expect(figures.throttledRequests).toBe(0);
    expect(figures.storeErrors).toBeGreaterThan(0); // the signal errors, reported
    expect(figures.containersDegraded).toBe(0); // never on the local fallback: the state store answered
    expect(figures.maxItemWritesPerSecond).toBeLessThan(500);
    expect(figures.tripAtS).toBeDefined();
    // Without the fast path a container learns of the trip at its next sync, up to a quiet interval later (15 s, or
    // fleet / stateWritesPerSecond if longer) plus one call: a few did not sync within the short open phase at all.
    expect(figures.containersNeverSawTrip).toBeLessThan(scenario.containers * 0.05);
    const quietMs = Math.max(
      15_000,
      (scenario.containers / CircuitBreakerDefaults.stateWritesPerSecond) * 1_000,
    );
    expect(figures.tripVisibleP99Ms).toBeLessThanOrEqual(quietMs + 1_500);
    expect(figures.maxProbesInFlight).toBeLessThanOrEqual(K);
    expect(figures.closedAtS).toBeDefined();
  }, 180_000);
});
