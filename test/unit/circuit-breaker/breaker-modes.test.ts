import { CallTimeoutError, CircuitBreakers } from '@breakwater/circuit-breaker';
import { describe, expect, it } from 'vitest';
import { CountingStore } from './fakes';
import { fail, fleet, ok, options, settle } from './fleet';

describe('manual states', () => {
  it('FORCED_OPEN is seen by other containers and rejects; back to CLOSED resumes', async () => {
    const { clock, containers } = fleet(2);
    const [operator, worker] = containers;
    await worker!.execute(ok);
    await operator!.setState('FORCED_OPEN', 'maintenance');
    clock.advance(10_000);
    await worker!.execute(ok); // the quiet sync runs beside this call
    await expect(worker!.execute(ok)).rejects.toMatchObject({ state: 'FORCED_OPEN', retryAfterMs: 60_000 });
    await operator!.setState('CLOSED', 'done');
    clock.advance(10_000);
    expect(await worker!.execute(ok)).toBe('ok');
  });

  it('DISABLED calls and records nothing; METRICS_ONLY records but never trips', async () => {
    for (const mode of ['DISABLED', 'METRICS_ONLY'] as const) {
      const { store, clock, transitions, containers } = fleet(1);
      await containers[0]!.setState(mode, 'test');
      for (let i = 0; i < 10; i += 1) {
        await settle(containers[0]!.execute(fail()));
        clock.advance(1_000);
      }
      expect(transitions.map((event) => event.to)).toEqual([mode]);
      const { buckets } = await store.inner.read('gateway:test');
      const failures = (buckets ?? []).reduce((sum, bucket) => sum + bucket.failures, 0);
      expect(failures > 0).toBe(mode === 'METRICS_ONLY');
    }
  });
});

describe('time budget', () => {
  it('aborts a call at its timeout and counts it as a failure', async () => {
    const { containers } = fleet(1, {}, { ...options, callTimeoutMs: 20 });
    let reason: unknown;
    const error = await settle(
      containers[0]!.execute(
        ({ signal }) =>
          new Promise((_, reject) =>
            signal.addEventListener('abort', () => {
              reason = signal.reason;
              reject(signal.reason);
            }),
          ),
      ),
    );
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(reason).toBe(error);
  });

  it('cuts the call timeout to the remaining time minus the margin, and refuses when nothing is left', async () => {
    const { containers } = fleet(1);
    let given = 0;
    await containers[0]!.execute(async ({ timeoutMs }) => (given = timeoutMs), { remainingTimeMs: 1_000 });
    expect(given).toBe(500);
    let called = false;
    await expect(
      containers[0]!.execute(async () => (called = true), { remainingTimeMs: 400 }),
    ).rejects.toBeInstanceOf(CallTimeoutError);
    expect(called).toBe(false);
  });

  it('gives billing a guard that fits its seam', async () => {
    const breakers = new CircuitBreakers({
      ...(() => {
        const store = new CountingStore();
        return { stateStore: store, counterStore: store };
      })(),
    });
    const seam: <T>(call: () => Promise<T>) => Promise<T> = breakers
      .for('gateway:stripe-eu')
      .guard({ remainingTimeMs: 30_000 });
    expect(await seam(async () => 42)).toBe(42);
    expect(breakers.for('gateway:stripe-eu')).toBe(breakers.for('gateway:stripe-eu'));
    expect(breakers.for('gateway:other', { minimumCalls: 3 }).config.minimumCalls).toBe(3);
  });
});

describe('when the state store fails', () => {
  it('keeps calling on a local fallback, reports every error, trips locally, and returns to the shared state', async () => {
    const errors: string[] = [];
    const { store, clock, transitions, containers } = fleet(1, {
      onError: (event) => void errors.push(`${event.operation}:${event.degraded}`),
    });
    const [breaker] = containers;
    await breaker!.execute(ok);
    store.down = true;
    clock.advance(10_000);
    expect(await breaker!.execute(ok)).toBe('ok'); // fail open: the call is made
    expect(breaker!.degraded).toBe(true);
    expect(errors).toEqual(['sync:true']);
    for (let i = 0; i < 4; i += 1) await settle(breaker!.execute(fail()));
    clock.advance(1_000);
    await settle(breaker!.execute(ok));
    expect(transitions.at(-1)).toMatchObject({ to: 'OPEN', local: true });
    expect(errors.length).toBeGreaterThanOrEqual(2); // the shared store is retried and fails again
    store.down = false;
    clock.advance(1_000);
    await settle(breaker!.execute(ok));
    expect(breaker!.degraded).toBe(false);
    expect(breaker!.snapshot.state).toBe('CLOSED'); // the shared state wins; it never opened
  });

  it('starts on the fallback when the store is down at a cold start, and never throws a store error at callers', async () => {
    const { store, containers } = fleet(1);
    store.down = true;
    expect(await containers[0]!.execute(ok)).toBe('ok');
    expect(containers[0]!.degraded).toBe(true);
  });

  it('reports a throwing listener without failing the call', async () => {
    const errors: string[] = [];
    const { containers } = fleet(1, {
      onTransition: () => {
        throw new Error('bus down');
      },
      onError: (event) => void errors.push(event.operation),
    });
    await containers[0]!.setState('FORCED_OPEN', 'test');
    expect(errors).toEqual(['listener']);
  });
});
