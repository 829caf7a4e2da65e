import { describe, expect, it } from 'vitest';
import { type ChargeDecision, FakeGatewayCore } from '../../../local/gateway';

const API_KEY = 'sk_test_local';
const AUTH = `Bearer ${API_KEY}`;
const body = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ amountCents: 1250, currency: 'EUR', reference: 'order-1', ...overrides });

const clockAt = (iso: string) => {
  let now = new Date(iso);
  return { now: () => now, set: (next: string) => (now = new Date(next)) };
};

const core = (seed = 7, now?: () => Date) =>
  new FakeGatewayCore({ apiKey: API_KEY, seed, ...(now ? { now } : {}) });

const charge = (gateway: FakeGatewayCore, key: string | undefined, text = body(), authorization = AUTH) =>
  gateway.charge({ authorization, idempotencyKey: key, body: text });

const answered = (decision: ChargeDecision) => {
  if (decision.kind !== 'respond') throw new Error(`expected an answer, got ${decision.kind}`);
  return decision;
};

describe('FakeGatewayCore: charges and idempotency', () => {
  it('charges once per idempotency key: 201 first, then 200 with the same chargeId', () => {
    const gateway = core();
    const first = answered(charge(gateway, 'key-1'));
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ chargeId: expect.stringMatching(/^ch_[0-9a-f]{24}$/), status: 'succeeded' });
    const again = answered(charge(gateway, 'key-1'));
    expect(again).toMatchObject({ status: 200, body: first.body, outcome: 'replayed' });
    const [entry] = gateway.ledger();
    expect(entry).toMatchObject({
      idempotencyKey: 'key-1',
      attempts: 2,
      charge: { status: 'succeeded', amountCents: 1250 },
    });
    expect(gateway.ledger()).toHaveLength(1);
  });

  it('answers 422 when a key is reused with another body, and keeps the first charge', () => {
    const gateway = core();
    const first = answered(charge(gateway, 'key-1'));
    const reused = answered(charge(gateway, 'key-1', body({ amountCents: 999 })));
    expect(reused).toMatchObject({
      status: 422,
      body: { error: 'idempotency_key_reused' },
      outcome: 'conflict',
    });
    expect(gateway.ledger()[0]?.charge?.chargeId).toBe((first.body as { chargeId: string }).chargeId);
  });

  it('refuses a wrong API key (401) and a missing Idempotency-Key (400) before touching the ledger', () => {
    const gateway = core();
    expect(answered(charge(gateway, 'key-1', body(), 'Bearer wrong'))).toMatchObject({ status: 401 });
    expect(answered(charge(gateway, 'key-1', body(), ''))).toMatchObject({ status: 401 });
    expect(answered(charge(gateway, undefined))).toMatchObject({
      status: 400,
      body: { error: 'missing_idempotency_key' },
    });
    expect(answered(charge(gateway, '   '))).toMatchObject({ status: 400 });
    expect(answered(charge(gateway, 'k'.repeat(256)))).toMatchObject({ status: 400 });
    expect(gateway.ledger()).toEqual([]);
  });

  it.each([
    ['not JSON', '{"amountCents": '],
    ['a float amount', body({ amountCents: 12.5 })],
    ['a zero amount', body({ amountCents: 0 })],
    ['a lower-case currency', body({ currency: 'eur' })],
    ['an empty reference', body({ reference: '' })],
    ['an unknown field', body({ description: 'x' })],
    ['an array', '[]'],
  ])('answers 400 invalid_request with issues to %s, and records the attempt only', (_, text) => {
    const gateway = core();
    const decision = answered(charge(gateway, 'key-1', text));
    expect(decision).toMatchObject({ status: 400, body: { error: 'invalid_request' }, outcome: 'invalid' });
    expect((decision.body as { issues: string[] }).issues.length).toBeGreaterThan(0);
    expect(gateway.ledger()).toMatchObject([{ attempts: 1, charge: null }]);
  });
});

describe('FakeGatewayCore: knobs', () => {
  it('declines listed references with 402, and replays the decline under the same key', () => {
    const gateway = core();
    gateway.updateConfig({ declineForReferences: ['order-9'], declineCode: 'card_expired' });
    const declined = answered(charge(gateway, 'key-9', body({ reference: 'order-9' })));
    expect(declined).toMatchObject({
      status: 402,
      body: { error: 'card_declined', declineCode: 'card_expired' },
    });
    expect(answered(charge(gateway, 'key-9', body({ reference: 'order-9' })))).toMatchObject({
      status: 402,
      outcome: 'replayed',
    });
    expect(answered(charge(gateway, 'key-1'))).toMatchObject({ status: 201 });
  });

  it('fails with the configured status, and 429 with Retry-After', () => {
    const gateway = core();
    gateway.updateConfig({ failureRate: 1, failureStatus: 502 });
    expect(answered(charge(gateway, 'key-1'))).toMatchObject({ status: 502, outcome: 'failed' });
    gateway.updateConfig({ failureStatus: 429 });
    expect(answered(charge(gateway, 'key-1'))).toMatchObject({
      status: 429,
      headers: { 'retry-after': '1' },
    });
    gateway.updateConfig({ failureRate: 0 });
    expect(answered(charge(gateway, 'key-1'))).toMatchObject({ status: 201 });
    expect(gateway.ledger()).toMatchObject([{ attempts: 3, charge: { status: 'succeeded' } }]);
  });

  it('answers 503 during an outage window and recovers when the window closes', () => {
    const clock = clockAt('2026-05-01T10:00:00.000Z');
    const gateway = core(7, clock.now);
    gateway.updateConfig({ outageUntil: '2026-05-01T10:05:00.000Z' });
    expect(answered(charge(gateway, 'key-1'))).toMatchObject({ status: 503, outcome: 'outage' });
    clock.set('2026-05-01T10:05:00.000Z');
    expect(answered(charge(gateway, 'key-1'))).toMatchObject({ status: 201 });
    gateway.updateConfig({ outage: true });
    expect(answered(charge(gateway, 'key-2'))).toMatchObject({ status: 503 });
  });

  it('times out before the charge by default, or after it with timeoutAfterCharge', () => {
    const gateway = core();
    gateway.updateConfig({ timeoutRate: 1, hangMs: 1234 });
    expect(charge(gateway, 'key-1')).toEqual({ kind: 'hang', hangMs: 1234, outcome: 'timeout' });
    expect(gateway.ledger()[0]?.charge).toBeNull();

    gateway.updateConfig({ timeoutAfterCharge: true });
    expect(charge(gateway, 'key-1').kind).toBe('hang');
    expect(gateway.ledger()[0]?.charge?.status).toBe('succeeded');
    gateway.updateConfig({ timeoutRate: 0 });
    expect(answered(charge(gateway, 'key-1'))).toMatchObject({ status: 200, outcome: 'replayed' });
    expect(gateway.stats()).toMatchObject({
      requests: 3,
      byOutcome: { timeout: 2, replayed: 1, succeeded: 0 },
    });
  });

  it('refuses invalid knobs without changing anything', () => {
    const gateway = core();
    for (const update of [
      { failureRate: 1.5 },
      { failureStatus: 200 },
      { latencyMs: -1 },
      { outageUntil: 'tomorrow' },
      { declineForReferences: 'order-1' },
      { unknownKnob: true },
      'not an object',
    ]) {
      const result = gateway.updateConfig(update);
      expect(result.ok, JSON.stringify(update)).toBe(false);
    }
    expect(gateway.config()).toEqual(core().config());
  });
});

describe('FakeGatewayCore: determinism and reset', () => {
  const run = (gateway: FakeGatewayCore) => {
    gateway.updateConfig({ declineRate: 0.5, failureRate: 0.3 });
    return Array.from({ length: 40 }, (_, i) => {
      const decision = answered(charge(gateway, `key-${i}`, body({ reference: `order-${i}` })));
      return [decision.status, decision.body];
    });
  };

  it('makes the same decisions and ids for the same seed', () => {
    const first = run(core(42));
    expect(run(core(42))).toEqual(first);
    expect(new Set(first.map(([status]) => status))).toEqual(new Set([201, 402, 503]));
    expect(run(core(43))).not.toEqual(first);
  });

  it('reset restores defaults, clears ledger and counters, and restarts the draws', () => {
    const gateway = core(42);
    const first = run(gateway);
    gateway.reset();
    expect(gateway.ledger()).toEqual([]);
    expect(gateway.stats().requests).toBe(0);
    expect(gateway.config().declineRate).toBe(0);
    expect(run(gateway)).toEqual(first);
  });
});
