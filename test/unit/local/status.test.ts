import { afterEach, describe, expect, it } from 'vitest';
import { parseFunctionLogLine } from '../../../packages/local-cloud/src/lambda/log-entry';
import { CircuitTimeline } from '../../../packages/local-cloud/src/status/circuit-timeline';
import { findTracePath } from '../../../packages/local-cloud/src/status/log-book';
import type { CircuitReading, StatusSources } from '../../../packages/local-cloud/src/status/sources';
import { StatusPage } from '../../../packages/local-cloud/src/status/status-page';

const reading = (state: string, version: number, since: number, reason = ''): CircuitReading => ({
  circuitId: 'payment-gateway',
  state,
  version,
  since,
  reason,
});

describe('CircuitTimeline', () => {
  it("starts a span at each new version, at the store's own transition time, and closes the one before", () => {
    const timeline = new CircuitTimeline();
    timeline.record([reading('CLOSED', 0, 0)], 1_000);
    timeline.record([reading('CLOSED', 0, 0)], 2_000);
    timeline.record([reading('OPEN', 1, 2_500, 'failure rate 100%')], 3_000);
    timeline.record([reading('HALF_OPEN', 2, 32_500)], 33_000);
    timeline.record([reading('CLOSED', 3, 33_200, 'probes succeeded')], 34_000);
    const [history] = timeline.histories();
    expect(history?.spans).toEqual([
      { state: 'CLOSED', from: 1_000, to: 2_500, reason: '', version: 0 },
      { state: 'OPEN', from: 2_500, to: 32_500, reason: 'failure rate 100%', version: 1 },
      { state: 'HALF_OPEN', from: 32_500, to: 33_200, reason: '', version: 2 },
      { state: 'CLOSED', from: 33_200, reason: 'probes succeeded', version: 3 },
    ]);
    expect(history?.transitions).toBe(3);
    expect(history?.current.state).toBe('CLOSED');
  });

  it('shows a circuit first written after sampling began as CLOSED until then (never written is closed)', () => {
    const timeline = new CircuitTimeline();
    timeline.record([], 1_000);
    timeline.record([reading('OPEN', 1, 4_000, 'failure rate 100%')], 5_000);
    const [history] = timeline.histories();
    expect(history?.spans).toEqual([
      { state: 'CLOSED', from: 1_000, to: 4_000, reason: 'never written: closed', version: 0 },
      { state: 'OPEN', from: 4_000, reason: 'failure rate 100%', version: 1 },
    ]);
    expect(history?.transitions).toBe(1);
    expect(timeline.startedAt).toBe(1_000);
  });

  it('extends the closed span when the first item written holds only counters (still CLOSED, version 0)', () => {
    const timeline = new CircuitTimeline();
    timeline.record([], 1_000);
    timeline.record([reading('CLOSED', 0, 0, 'initial')], 2_000);
    timeline.record([reading('OPEN', 1, 2_500, 'failure rate 100%')], 3_000);
    expect(timeline.histories()[0]?.spans).toEqual([
      { state: 'CLOSED', from: 1_000, to: 2_500, reason: 'never written: closed', version: 0 },
      { state: 'OPEN', from: 2_500, reason: 'failure rate 100%', version: 1 },
    ]);
  });

  it('fills in the half-open round an OPEN circuit went through between two samples', () => {
    const timeline = new CircuitTimeline();
    timeline.record([{ ...reading('OPEN', 1, 1_000, 'failure rate 100%'), openUntil: 31_000 }], 1_500);
    timeline.record(
      [{ ...reading('OPEN', 3, 31_400, 'a half-open probe failed'), openUntil: 91_400 }],
      32_000,
    );
    expect(timeline.histories()[0]?.spans).toEqual([
      { state: 'OPEN', from: 1_000, to: 31_000, reason: 'failure rate 100%', version: 1 },
      { state: 'HALF_OPEN', from: 31_000, to: 31_400, reason: 'probing (between two samples)', version: 2 },
      { state: 'OPEN', from: 31_400, reason: 'a half-open probe failed', version: 3 },
    ]);
  });

  it('keeps at most the configured number of spans', () => {
    const timeline = new CircuitTimeline(3);
    for (let v = 0; v < 10; v++) timeline.record([reading(v % 2 ? 'OPEN' : 'CLOSED', v, v * 10)], v * 10 + 1);
    expect(timeline.histories()[0]?.spans.map((s) => s.version)).toEqual([7, 8, 9]);
  });
});

describe('findTracePath', () => {
  const line = (service: string, message: string, fields: Record<string, unknown>, time: string) =>
    parseFunctionLogLine(
      `fn-${service}`,
      JSON.stringify({ level: 'INFO', message, service, timestamp: time, ...fields }),
    );
  const entries = [
    line(
      'orders-api',
      'order created',
      { orderId: 'o-1', correlation_id: 'c-1' },
      '2026-12-02T07:00:00.000Z',
    ),
    line('outbox-publisher', 'outbox event published', { correlation_id: 'c-1' }, '2026-12-02T07:00:00.200Z'),
    line('billing', 'record failed', { correlation_id: 'c-1', level: 'WARN' }, '2026-12-02T07:00:01.000Z'),
    line(
      'billing',
      'payment succeeded',
      { orderId: 'o-1', correlation_id: 'c-1' },
      '2026-12-02T07:00:05.000Z',
    ),
    line(
      'billing',
      'payment succeeded',
      { orderId: 'o-2', correlation_id: 'c-2' },
      '2026-12-02T07:00:06.000Z',
    ),
    line(
      'order-status',
      'order status changed',
      { orderId: 'o-1', correlation_id: 'c-1' },
      '2026-12-02T07:00:06.000Z',
    ),
  ];

  it('follows an order id to its correlation id, and groups the steps by function in time order', () => {
    const path = findTracePath(entries, 'o-1', 'orderId');
    expect(path.keys).toEqual(['o-1']);
    expect(path.correlationIds).toEqual(['c-1']);
    expect(path.steps.map((s) => [s.function, s.entries.length, s.level])).toEqual([
      ['orders-api', 1, 'INFO'],
      ['outbox-publisher', 1, 'INFO'],
      ['billing', 2, 'WARN'],
      ['order-status', 1, 'INFO'],
    ]);
  });

  it('finds the same path from the correlation id, and nothing for an unknown id', () => {
    expect(findTracePath(entries, 'c-1', 'orderId').steps.map((s) => s.function)).toEqual([
      'orders-api',
      'outbox-publisher',
      'billing',
      'order-status',
    ]);
    expect(findTracePath(entries, 'o-404', 'orderId').steps).toEqual([]);
  });

  it('without a key field, follows correlation ids only (any app, no entity of its own)', () => {
    const byCorrelation = findTracePath(entries, 'c-1');
    expect(byCorrelation.keys).toEqual([]);
    expect(byCorrelation.steps.map((s) => s.function)).toEqual([
      'orders-api',
      'outbox-publisher',
      'billing',
      'order-status',
    ]);
    expect(findTracePath(entries, 'o-1').steps).toEqual([]);
  });
});

describe('StatusPage.state', () => {
  let page: StatusPage | undefined;
  afterEach(() => page?.stop());

  const sources = (extra: Partial<StatusSources> = {}): StatusSources => ({
    topology: async () => ({ rules: [], queues: [], functions: [] }),
    queues: async () => [{ name: 'q', visible: 2, inFlight: 1, delayed: 0 }],
    circuits: async () => [reading('OPEN', 1, Date.now() - 1_000, 'gateway down')],
    gateway: async () => ({ requests: 3, byOutcome: { outage: 3 }, outage: true, config: {} }),
    ...extra,
  });

  it('reports each part, keeps a depth history per queue, and says which optional sources are missing', async () => {
    page = new StatusPage(sources(), { sampleIntervalMs: 60_000 });
    await page.state();
    const state = await page.state();
    expect(state.queues).toEqual([{ name: 'q', visible: 2, inFlight: 1, delayed: 0, history: [2, 2] }]);
    expect(state.circuits[0]?.current.state).toBe('OPEN');
    expect(state.gateway?.outage).toBe(true);
    expect(state.alarms).toEqual({ available: false, why: expect.stringMatching(/not connected/) });
    expect(state.notifications.available).toBe(false);
    expect(state.logs.available).toBe(false);
    expect(state.errors).toEqual([]);
  });

  it('shows alarms and notifications when their sources exist, and a failing source as an error', async () => {
    page = new StatusPage(
      sources({
        alarms: async () => [{ name: 'breakwater-dev-billing-dlq-depth', state: 'ALARM' }],
        notifications: async () => {
          throw new Error('inbox unreachable');
        },
      }),
      { sampleIntervalMs: 60_000 },
    );
    const state = await page.state();
    expect(state.alarms).toEqual({
      available: true,
      items: [{ name: 'breakwater-dev-billing-dlq-depth', state: 'ALARM' }],
    });
    expect(state.notifications.available).toBe(false);
    expect(state.errors).toEqual(['notifications: inbox unreachable']);
  });
});
