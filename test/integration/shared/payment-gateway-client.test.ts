import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isGatewayFailure,
  PaymentGatewayClient,
  PaymentGatewayUnavailableError,
  PaymentRequestRejectedError,
} from '../../../shared/payment-gateway';
import { type LocalHttpServer, startLocalHttpServer } from '../../support/http-server';

const request = {
  amountCents: 2500,
  currency: 'EUR',
  reference: 'order-1',
  idempotencyKey: 'charge:order-1',
};

describe('PaymentGatewayClient (against a local HTTP server)', () => {
  let server: LocalHttpServer;
  let client: PaymentGatewayClient;

  beforeAll(async () => {
    server = await startLocalHttpServer();
    client = new PaymentGatewayClient({ baseUrl: `${server.url}/`, apiKey: 'sk_test', timeoutMs: 300 });
  });
  afterAll(async () => server.close());

  it('posts the charge with bearer key, Idempotency-Key and JSON body; 201 is a success', async () => {
    server.respondWith(() => ({ status: 201, body: { chargeId: 'ch_1', status: 'succeeded' } }));
    expect(await client.charge(request)).toEqual({ status: 'succeeded', chargeId: 'ch_1', replayed: false });

    const received = server.requests.at(-1);
    expect(received).toMatchObject({ method: 'POST', url: '/v1/charges' });
    expect(received?.headers.authorization).toBe('Bearer sk_test');
    expect(received?.headers['idempotency-key']).toBe('charge:order-1');
    expect(JSON.parse(received?.body ?? '')).toEqual({
      amountCents: 2500,
      currency: 'EUR',
      reference: 'order-1',
    });
  });

  it('reads 200 as the replay of an earlier charge with the same key', async () => {
    server.respondWith(() => ({ status: 200, body: { chargeId: 'ch_1', status: 'succeeded' } }));
    expect(await client.charge(request)).toEqual({ status: 'succeeded', chargeId: 'ch_1', replayed: true });
  });

  it('reads 402 as a decline, a business outcome', async () => {
    server.respondWith(() => ({
      status: 402,
      body: { error: 'card_declined', declineCode: 'insufficient_funds' },
    }));
    expect(await client.charge(request)).toEqual({
      status: 'declined',
      error: 'card_declined',
      declineCode: 'insufficient_funds',
    });
  });

  it.each([500, 502, 503, 429])(
    'classifies %i as unavailable: retryable, a breaker failure',
    async (status) => {
      server.respondWith(() => ({ status, body: { error: 'busy' }, headers: { 'retry-after': '2' } }));
      const error = await client.charge(request).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PaymentGatewayUnavailableError);
      expect(error).toMatchObject({ reason: 'status', status, retryAfterSeconds: 2 });
      expect(isGatewayFailure(error)).toBe(true);
    },
  );

  it.each([400, 401, 422])(
    'classifies %i as a rejected request: not retryable, not a breaker failure',
    async (status) => {
      server.respondWith(() => ({ status, body: { error: 'invalid_amount' } }));
      const error = await client.charge(request).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PaymentRequestRejectedError);
      expect(error).toMatchObject({ status, code: 'invalid_amount', isAuthorizationFailure: status === 401 });
      expect(isGatewayFailure(error)).toBe(false);
    },
  );

  it('times out a slow answer (AbortController) as unavailable', async () => {
    server.respondWith(() => ({
      status: 201,
      body: { chargeId: 'ch_1', status: 'succeeded' },
      delayMs: 2000,
    }));
    const error = await client.charge(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PaymentGatewayUnavailableError);
    expect(error).toMatchObject({ reason: 'timeout' });
  });

  it("stops at the caller's signal (a circuit breaker's timeout) before its own timeout", async () => {
    server.respondWith(() => ({
      status: 201,
      body: { chargeId: 'ch_1', status: 'succeeded' },
      delayMs: 2000,
    }));
    const error = await client
      .charge(request, { signal: AbortSignal.timeout(50) })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PaymentGatewayUnavailableError);
    // Not `timeout`: the caller's signal (50 ms) stopped it, not the client's own timeout (300 ms).
    expect(error).toMatchObject({ reason: 'aborted' });
  });

  it('tells the circuit breaker which errors count against the gateway', () => {
    expect(
      new PaymentGatewayUnavailableError('down', { reason: 'status', status: 200 }).countsAsFailure,
    ).toBe(true);
    expect(new PaymentRequestRejectedError('invalid', { status: 422 }).countsAsFailure).toBe(false);
  });

  it('classifies a dropped connection as unavailable', async () => {
    server.respondWith(() => ({ status: 0, hangUp: true }));
    const error = await client.charge(request).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'PaymentGatewayUnavailableError', reason: 'connection' });
  });

  it('classifies a success status with an unreadable body as unavailable (the retry is safe: same key)', async () => {
    server.respondWith(() => ({ status: 201, rawBody: '<html>' }));
    const error = await client.charge(request).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'PaymentGatewayUnavailableError', reason: 'malformed-response' });
  });

  it('classifies a refused connection as unavailable', async () => {
    const closed = await startLocalHttpServer();
    await closed.close();
    const offline = new PaymentGatewayClient({ baseUrl: closed.url, apiKey: 'k', timeoutMs: 300 });
    const error = await offline.charge(request).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'PaymentGatewayUnavailableError', reason: 'connection' });
  });
});
