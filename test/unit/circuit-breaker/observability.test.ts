import {
  BreakerMetricNames,
  combineListeners,
  MemoryCircuitStore,
  metricsListeners,
  powertoolsMetricSink,
  resolveConfig,
  type TransitionEvent,
} from '@breakwater/circuit-breaker';
import { describe, expect, it } from 'vitest';
import { initialSnapshot } from '../../../packages/circuit-breaker/src/state';
import { planManual } from '../../../packages/circuit-breaker/src/state-machine';
import { breakerTransitionV1Schema } from '../../../shared/contracts/events';
import { toBreakerTransitionV1, transitionEventType } from '../../../shared/events/breaker-transitions';

const opened: TransitionEvent = {
  circuitId: 'gateway:stripe-eu',
  from: 'CLOSED',
  to: 'OPEN',
  version: 7,
  reason: 'failure rate 60.0% ≥ 50.0% over 40 calls',
  at: 1_700_000_000_000,
  openUntil: 1_700_000_030_000,
  window: { calls: 40, failures: 24, slow: 2, failureRate: 0.6, slowCallRate: 0.05 },
  local: false,
};

describe('transition events', () => {
  it('maps a transition to a valid breaker.* event of the catalog', () => {
    const data = toBreakerTransitionV1(opened);
    expect(breakerTransitionV1Schema.parse(data)).toEqual(data);
    expect(data).toEqual({
      circuitId: 'gateway:stripe-eu',
      from: 'CLOSED',
      to: 'OPEN',
      stateVersion: 7,
      reason: opened.reason,
      failureRate: 0.6,
      slowCallRate: 0.05,
      openUntil: '2023-11-14T22:13:50.000Z',
    });
  });

  it('says when a transition happened on the local fallback only', () => {
    expect(toBreakerTransitionV1({ ...opened, local: true }).reason).toMatch(/local fallback/);
  });

  it('picks the event type by the state entered', () => {
    expect(
      ['OPEN', 'FORCED_OPEN', 'HALF_OPEN', 'CLOSED', 'DISABLED', 'METRICS_ONLY'].map((to) =>
        transitionEventType(to as TransitionEvent['to']),
      ),
    ).toEqual([
      'breaker.opened',
      'breaker.opened',
      'breaker.half_opened',
      'breaker.closed',
      'breaker.closed',
      'breaker.closed',
    ]);
  });
});

describe('metrics', () => {
  it('counts transitions, opens, rejections and errors, reports the window rates in percent and the state', () => {
    const points: string[] = [];
    const listeners = metricsListeners((name, unit, value, circuitId) =>
      points.push(`${name}:${unit}:${value}:${circuitId}`),
    );
    void listeners.onTransition?.(opened);
    listeners.onRejected?.({ circuitId: 'c', state: 'OPEN', retryAfterMs: 5, reason: 'open' });
    listeners.onSync?.({
      circuitId: 'c',
      state: 'HALF_OPEN',
      version: 3,
      window: opened.window!,
      local: false,
    });
    listeners.onError?.({ circuitId: 'c', operation: 'sync', error: new Error('x'), degraded: true });
    listeners.onError?.({ circuitId: 'c', operation: 'listener', error: new Error('x'), degraded: false });
    listeners.onError?.({ circuitId: 'c', operation: 'signal', error: new Error('x'), degraded: false });
    void listeners.onTransition?.({ ...opened, from: 'HALF_OPEN', to: 'CLOSED' });
    expect(points).toEqual([
      `${BreakerMetricNames.transitions}:Count:1:gateway:stripe-eu`,
      `${BreakerMetricNames.opened}:Count:1:gateway:stripe-eu`,
      `${BreakerMetricNames.notClosed}:Count:1:gateway:stripe-eu`,
      `${BreakerMetricNames.rejected}:Count:1:c`,
      `${BreakerMetricNames.failureRate}:Percent:60:c`,
      `${BreakerMetricNames.slowCallRate}:Percent:5:c`,
      `${BreakerMetricNames.notClosed}:Count:1:c`,
      `${BreakerMetricNames.storeErrors}:Count:1:c`,
      `${BreakerMetricNames.listenerErrors}:Count:1:c`,
      `${BreakerMetricNames.signalErrors}:Count:1:c`,
      // Back to CLOSED: the state metric says so at once, even if no sync follows.
      `${BreakerMetricNames.transitions}:Count:1:gateway:stripe-eu`,
      `${BreakerMetricNames.notClosed}:Count:0:gateway:stripe-eu`,
    ]);
  });

  it('emits each metric as a single EMF metric with the circuit dimension (Powertools)', () => {
    const emitted: unknown[][] = [];
    const sink = powertoolsMetricSink({
      singleMetric: () => ({
        addDimension: (name: string, value: string) => ({
          addMetric: (metric: string, unit: string, amount: number) =>
            emitted.push([name, value, metric, unit, amount]),
        }),
      }),
    });
    sink(BreakerMetricNames.rejected, 'Count', 1, 'payment-gateway');
    expect(emitted).toEqual([['circuit', 'payment-gateway', 'CircuitRejectedCalls', 'Count', 1]]);
  });

  it('combines listener sets, in order', async () => {
    const seen: string[] = [];
    const combined = combineListeners(
      { onTransition: async () => void seen.push('events') },
      { onTransition: () => void seen.push('metrics'), onRejected: () => void seen.push('rejected') },
    );
    await combined.onTransition?.(opened);
    combined.onRejected?.({ circuitId: 'c', state: 'OPEN', retryAfterMs: 1, reason: 'open' });
    expect(seen).toEqual(['events', 'metrics', 'rejected']);
  });
});

describe('MemoryCircuitStore', () => {
  it('refuses a stale version and answers with the stored state', async () => {
    const store = new MemoryCircuitStore();
    const config = resolveConfig();
    const open = planManual(initialSnapshot, 'OPEN', config, 1, 'trip');
    expect(await store.compareAndSet('c', 0, open)).toEqual({ applied: true });
    const lateClose = planManual(initialSnapshot, 'CLOSED', config, 2, 'late');
    expect(await store.compareAndSet('c', 0, lateClose)).toEqual({ applied: false, current: open });
    expect((await store.read('c')).snapshot).toBe(open);
  });
});
