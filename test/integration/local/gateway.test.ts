import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakePaymentGateway, GatewayAdminError, startFakePaymentGateway } from '../../../local/gateway';

/** The fake payment gateway over HTTP, driven through its admin API as the local cloud's tests will drive it. */
const API_KEY = 'sk_test_breakwater';
let gateway: FakePaymentGateway;

beforeAll(async () => {
  gateway = await startFakePaymentGateway({ apiKey: API_KEY, seed: 2026 });
});

afterAll(async () => {
  await gateway?.stop();
});

beforeEach(async () => {
  await gateway.admin.reset();
});

interface ChargeCall {
  readonly key?: string | null;
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly apiKey?: string;
  readonly timeoutMs?: number;
}

const postCharge = async ({
  key = randomUUID(),
  body,
  rawBody,
  apiKey = API_KEY,
  timeoutMs = 10_000,
}: ChargeCall) => {
  const headers: Record<string, string> = {
    authorization: `Bearer ${apiKey}`,
    'content-type': 'application/json',
  };
  if (key !== null) headers['idempotency-key'] = key;
  const response = await fetch(`${gateway.url}/v1/charges`, {
    method: 'POST',
    headers,
    body: rawBody ?? JSON.stringify(body ?? { amountCents: 4200, currency: 'EUR', reference: 'order-42' }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
};

describe('POST /v1/charges', () => {
  it('charges once per idempotency key, however often the request is repeated', async () => {
    const first = await postCharge({ key: 'order-42:charge' });
    expect(first.status).toBe(201);
    expect(first.json).toEqual({ chargeId: expect.stringMatching(/^ch_/), status: 'succeeded' });
    const again = await postCharge({ key: 'order-42:charge' });
    expect(again).toMatchObject({ status: 200, json: first.json });

    expect(await gateway.admin.ledger()).toEqual([
      expect.objectContaining({
        idempotencyKey: 'order-42:charge',
        attempts: 2,
        charge: expect.objectContaining({
          chargeId: first.json.chargeId,
          amountCents: 4200,
          reference: 'order-42',
        }),
      }),
    ]);
    expect((await gateway.admin.stats()).byOutcome).toMatchObject({ succeeded: 1, replayed: 1 });
  });

  it('charges once when the same key arrives concurrently', async () => {
    await gateway.admin.updateConfig({ latencyMs: 50 });
    const answers = await Promise.all(Array.from({ length: 5 }, () => postCharge({ key: 'concurrent' })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(answers.map((answer) => answer.json.chargeId)).size).toBe(1);
    expect(await gateway.admin.ledgerEntry('concurrent')).toMatchObject({ attempts: 5 });
  });

  it('answers 422 when a key comes back with a different body', async () => {
    await postCharge({ key: 'k-422' });
    const reused = await postCharge({
      key: 'k-422',
      body: { amountCents: 1, currency: 'EUR', reference: 'order-42' },
    });
    expect(reused).toMatchObject({ status: 422, json: { error: 'idempotency_key_reused' } });
  });

  it.each([
    ['without an Idempotency-Key', { key: null }, 400, 'missing_idempotency_key'],
    ['with a wrong API key', { apiKey: 'sk_wrong' }, 401, 'unauthorized'],
    ['with malformed JSON', { rawBody: '{"amountCents":' }, 400, 'invalid_request'],
    [
      'with an invalid body',
      { body: { amountCents: -5, currency: 'EUR', reference: 'x' } },
      400,
      'invalid_request',
    ],
    [
      'with an extra field',
      { body: { amountCents: 5, currency: 'EUR', reference: 'x', tip: 1 } },
      400,
      'invalid_request',
    ],
  ] as const)('refuses a request %s', async (_, call, status, error) => {
    const answer = await postCharge(call);
    expect(answer).toMatchObject({ status, json: { error } });
  });

  it('answers 404 to unknown routes and 405 to wrong methods', async () => {
    expect((await fetch(`${gateway.url}/v2/charges`, { method: 'POST' })).status).toBe(404);
    const wrongMethod = await fetch(`${gateway.url}/v1/charges`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });

  it('answers GET /__admin with the routes it serves', async () => {
    const index = await fetch(gateway.adminUrl);
    expect(index.status).toBe(200);
    const { routes } = (await index.json()) as { routes: { path: string; methods: string[] }[] };
    expect(routes).toContainEqual({ path: '/v1/charges', methods: ['POST'] });
    expect(routes).toContainEqual({ path: '/__admin/config', methods: ['GET', 'PUT'] });
    expect(routes.map((route) => route.path)).toEqual(
      expect.arrayContaining(['/__admin/ledger', '/__admin/stats', '/__admin/reset']),
    );
  });
});

describe('knobs over the admin API', () => {
  it('declines by reference and by rate, with the contract body', async () => {
    await gateway.admin.updateConfig({ declineForReferences: ['order-broke'] });
    const declined = await postCharge({
      body: { amountCents: 100, currency: 'EUR', reference: 'order-broke' },
    });
    expect(declined).toMatchObject({
      status: 402,
      json: { error: 'card_declined', declineCode: 'insufficient_funds' },
    });
    await gateway.admin.updateConfig({ declineRate: 1 });
    expect((await postCharge({})).status).toBe(402);
    expect((await gateway.admin.stats()).byOutcome.declined).toBe(2);
  });

  it('injects failures with the configured status', async () => {
    await gateway.admin.updateConfig({ failureRate: 1, failureStatus: 500 });
    expect(await postCharge({ key: 'k-fail' })).toMatchObject({
      status: 500,
      json: { error: 'gateway_error' },
    });
    await gateway.admin.updateConfig({ failureStatus: 429 });
    const limited = await postCharge({ key: 'k-fail' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    await gateway.admin.updateConfig({ failureRate: 0 });
    expect((await postCharge({ key: 'k-fail' })).status).toBe(201);
    expect(await gateway.admin.ledgerEntry('k-fail')).toMatchObject({
      attempts: 3,
      charge: { status: 'succeeded' },
    });
  });

  it('is in outage while switched on or inside the window, and recovers after', async () => {
    await gateway.admin.startOutage();
    expect(await postCharge({})).toMatchObject({ status: 503, json: { error: 'service_unavailable' } });
    await gateway.admin.endOutage();
    expect((await postCharge({})).status).toBe(201);
    await gateway.admin.startOutage(60_000);
    expect((await postCharge({})).status).toBe(503);
    await gateway.admin.updateConfig({ outageUntil: new Date(Date.now() - 1_000).toISOString() });
    expect((await postCharge({})).status).toBe(201);
  });

  it('holds timed-out requests without an answer, and drops the connection after hangMs', async () => {
    await gateway.admin.updateConfig({ timeoutRate: 1 });
    await expect(postCharge({ key: 'k-timeout', timeoutMs: 300 })).rejects.toThrow(/timeout|aborted/i);
    await gateway.admin.updateConfig({ hangMs: 0 });
    await expect(postCharge({ key: 'k-timeout' })).rejects.toThrow(/fetch failed/);
    expect(await gateway.admin.ledgerEntry('k-timeout')).toMatchObject({ attempts: 2, charge: null });
    expect((await gateway.admin.stats()).byOutcome.timeout).toBe(2);
  });

  it('with timeoutAfterCharge, a retry under the same key finds the charge made during the timeout', async () => {
    await gateway.admin.updateConfig({ timeoutRate: 1, timeoutAfterCharge: true });
    await expect(postCharge({ key: 'k-lost-answer', timeoutMs: 300 })).rejects.toThrow();
    await gateway.admin.updateConfig({ timeoutRate: 0 });
    const retry = await postCharge({ key: 'k-lost-answer' });
    expect(retry).toMatchObject({ status: 200, json: { status: 'succeeded' } });
    expect(await gateway.admin.ledgerEntry('k-lost-answer')).toMatchObject({
      attempts: 2,
      charge: { chargeId: retry.json.chargeId },
    });
  });

  it('answers slower than a client timeout when latencyMs exceeds it', async () => {
    await gateway.admin.updateConfig({ latencyMs: 1_000 });
    await expect(postCharge({ timeoutMs: 100 })).rejects.toThrow(/timeout|aborted/i);
  });

  it('refuses invalid knobs with 400 and the issues', async () => {
    const refused = gateway.admin.updateConfig({ failureRate: 2 });
    await expect(refused).rejects.toBeInstanceOf(GatewayAdminError);
    await expect(refused).rejects.toMatchObject({ status: 400 });
    const raw = await fetch(`${gateway.adminUrl}/config`, { method: 'PUT', body: '{"outage": "yes"' });
    expect(raw.status).toBe(400);
    expect(await gateway.admin.getConfig()).toMatchObject({ failureRate: 0, outage: false });
  });

  it('reports stats by outcome and resets them', async () => {
    await postCharge({});
    await postCharge({ key: null });
    expect(await gateway.admin.stats()).toMatchObject({
      requests: 2,
      byOutcome: { succeeded: 1, invalid: 1 },
    });
    await gateway.admin.reset();
    expect(await gateway.admin.stats()).toMatchObject({ requests: 0, byOutcome: { succeeded: 0 } });
    expect(await gateway.admin.ledger()).toEqual([]);
  });
});

describe('lifecycle', () => {
  it('starts with given knobs and stops while a request hangs', async () => {
    const other = await startFakePaymentGateway({ apiKey: 'k', config: { timeoutRate: 1 } });
    expect(Number.isInteger(other.seed)).toBe(true);
    expect(gateway.seed).toBe(2026);
    const hanging = fetch(`${other.url}/v1/charges`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'idempotency-key': 'x' },
      body: '{}',
    });
    await expect.poll(async () => (await other.admin.stats()).byOutcome.timeout).toBe(1);
    await other.stop();
    await expect(hanging).rejects.toThrow();
    await expect(startFakePaymentGateway({ apiKey: 'k', config: { failureRate: 3 } })).rejects.toThrow(
      /failureRate/,
    );
  });
});
