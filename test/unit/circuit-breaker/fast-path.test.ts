import {
  type BreakerErrorEvent,
  type CircuitBreakerOptions,
  CircuitOpenError,
} from '@breakwater/circuit-breaker';
import { MemoryStateSignal } from '@breakwater/circuit-breaker/testing';
import { describe, expect, it } from 'vitest';
import { fail, fleet, ok, options, settle } from './fleet';

/** Two containers sharing a store and a fast path: `failing` trips the circuit, `quiet` only sees successes. */
const setup = (config: CircuitBreakerOptions = options) => {
  const signal = new MemoryStateSignal();
  const errors: BreakerErrorEvent[] = [];
  const fleetOf = fleet(2, { onError: (event) => void errors.push(event) }, config, signal);
  const [failing, quiet] = fleetOf.containers as [
    (typeof fleetOf.containers)[number],
    (typeof fleetOf.containers)[number],
  ];
  return { ...fleetOf, signal, errors, failing, quiet };
};

/** Warms both containers up, then trips the circuit from `failing` (4 failures, then its next sync). */
const trip = async ({ failing, quiet, clock }: ReturnType<typeof setup>) => {
  await failing.execute(ok);
  await quiet.execute(ok);
  for (let i = 0; i < 4; i += 1) await settle(failing.execute(fail()));
  clock.advance(options.syncIntervalMs!);
  await expect(failing.execute(ok)).rejects.toBeInstanceOf(CircuitOpenError);
};

describe('the fast path (a state signal beside the state store)', () => {
  it('publishes the transition the state store applied: {state, version, openUntil, snapshot}', async () => {
    const context = setup();
    await trip(context);
    expect(context.transitions).toMatchObject([{ to: 'OPEN', version: 1 }]);
    const stored = (await context.store.inner.read('gateway:test')).snapshot;
    expect(await context.signal.read('gateway:test')).toEqual({
      state: 'OPEN',
      version: 1,
      openUntil: context.transitions[0]?.openUntil,
      snapshot: stored,
    });
  });

  it('stops a container that only sees successes within signalIntervalMs of a trip elsewhere', async () => {
    const context = setup();
    const { quiet, clock, store } = context;
    await trip(context);
    const before = store.total;
    // The next call is decided on the cached CLOSED; the read beside it finds version 1 with the snapshot the fenced
    // write applied, and adopts it without a state-store request (a fleet learning of a trip costs Redis reads only).
    expect(await quiet.execute(ok)).toBe('ok');
    expect(store.total).toBe(before);
    clock.advance(100);
    await expect(quiet.execute(ok)).rejects.toMatchObject({ state: 'OPEN', retryAfterMs: 4_900 });
    expect(quiet.snapshot.version).toBe(1);
    // Without the signal it would have learned of it at its next quiet sync, 10 s after its last one.
  });

  it('reads at most once per signalIntervalMs, and an unchanged signal costs no state-store request', async () => {
    const { quiet, clock, store, signal } = setup();
    await quiet.execute(ok);
    const [requests, reads] = [store.total, signal.requests.read];
    for (let i = 0; i < 50; i += 1) {
      clock.advance(100);
      await quiet.execute(ok);
    }
    // 5 s of calls every 100 ms: one read per second, and no sync (the quiet interval is 10 s).
    expect(signal.requests.read - reads).toBe(5);
    expect(store.total).toBe(requests);
  });

  it('makes no request while the circuit is open: rejections stay local', async () => {
    const context = setup();
    await trip(context);
    const { failing, clock, signal, store } = context;
    const [reads, requests] = [signal.requests.read, store.total];
    for (let i = 0; i < 20; i += 1) {
      clock.advance(200);
      await settle(failing.execute(ok));
    }
    expect(signal.requests.read).toBe(reads);
    expect(store.total).toBe(requests);
  });

  it('falls back to the state-store sync policy when the signal is down: reported, backed off, never blocking', async () => {
    // A cooldown longer than the test, so that the circuit stays OPEN once the quiet container has seen it.
    const context = setup({ ...options, cooldownMs: 30_000, maxCooldownMs: 60_000 });
    const { quiet, clock, signal, errors } = context;
    signal.down = true;
    await trip(context);
    // The trip stands in the state store although it could not be published.
    expect(context.transitions).toMatchObject([{ to: 'OPEN' }]);
    expect(errors.map((event) => event.operation)).toEqual(['signal']);
    const results: unknown[] = [];
    for (let i = 0; i < 100; i += 1) {
      results.push(await settle(quiet.execute(ok)));
      clock.advance(100);
    }
    // One failed read, then a wait of quietSyncIntervalMs: the quiet sync (10 s after the last one) finds the trip.
    expect(signal.requests.read).toBe(1);
    expect(errors.map((event) => event.operation)).toEqual(['signal', 'signal']);
    const firstRejection = results.findIndex((result) => result instanceof CircuitOpenError);
    expect(firstRejection).toBeGreaterThan(80);
    expect(results.slice(0, firstRejection).every((result) => result === 'ok')).toBe(true);
  });

  it('syncs once for a hint the state store cannot confirm (e.g. after the item was deleted)', async () => {
    const { quiet, clock, store, signal } = setup();
    await quiet.execute(ok);
    await signal.publish('gateway:test', { state: 'OPEN', version: 9 });
    const requests = store.total;
    for (let i = 0; i < 30; i += 1) {
      clock.advance(100);
      await quiet.execute(ok);
    }
    expect(store.total).toBe(requests + 1);
    expect(quiet.snapshot.state).toBe('CLOSED');
  });

  it('publishes operator transitions, and a container sees them within signalIntervalMs', async () => {
    const { failing, quiet, clock } = setup();
    await quiet.execute(ok);
    await failing.setState('FORCED_OPEN', 'maintenance of the gateway');
    clock.advance(options.signalIntervalMs ?? 1_000);
    await quiet.execute(ok);
    await expect(quiet.execute(ok)).rejects.toMatchObject({ state: 'FORCED_OPEN' });
  });

  it('does not read the signal while the shared store is unreachable (the local fallback decides)', async () => {
    const { quiet, clock, store, signal } = setup();
    await quiet.execute(ok);
    store.down = true;
    clock.advance(options.maxStaleMs!);
    const reads = signal.requests.read;
    for (let i = 0; i < 10; i += 1) {
      await quiet.execute(ok);
      clock.advance(1_000);
    }
    expect(quiet.degraded).toBe(true);
    expect(signal.requests.read).toBe(reads);
  });
});
