import { CircuitOpenError } from '@breakwater/circuit-breaker';
import { describe, expect, it } from 'vitest';
import { deferred } from './fakes';
import { fail, fleet, ok, options, settle } from './fleet';

describe('a closed circuit in steady state', () => {
  it('costs one store request per quiet interval per container, run beside the call', async () => {
    const { store, clock, containers } = fleet(1);
    const [breaker] = containers;
    await breaker!.execute(ok); // a cold container syncs first
    expect(store.total).toBe(1);
    for (let i = 0; i < 149; i += 1) {
      clock.advance(100);
      await breaker!.execute(ok);
    }
    // 150 calls over 14.9 s: the cold sync plus one quiet sync (at 10 s).
    expect(store.total).toBe(2);
    expect(store.requests.compareAndSet).toBe(0);
  });
});

describe('tripping', () => {
  it('opens on the fleet-wide failure rate, writes it once, and every failing container sees it', async () => {
    const { clock, transitions, containers } = fleet(
      3,
      {},
      { ...options, cooldownMs: 30_000, maxCooldownMs: 60_000 },
    );
    for (const breaker of containers) await breaker.execute(ok);
    // Each container sees two failures; no container alone reaches minimumCalls = 4.
    for (const breaker of containers) {
      await settle(breaker.execute(fail()));
      await settle(breaker.execute(fail()));
    }
    clock.advance(1_000);
    const results = await Promise.all(containers.map((breaker) => settle(breaker.execute(ok))));
    expect(transitions).toHaveLength(1);
    expect(transitions[0]).toMatchObject({ from: 'CLOSED', to: 'OPEN', version: 1, local: false });
    expect(transitions[0]?.window?.failureRate).toBeCloseTo(6 / 9);
    // Containers that synced after the trip reject at once, with the cooldown as retry-after.
    const rejections = results.filter((result) => result instanceof CircuitOpenError);
    expect(rejections.length).toBeGreaterThanOrEqual(2);
    expect(rejections[0]).toMatchObject({ state: 'OPEN', retryAfterMs: 30_000, circuitId: 'gateway:test' });
    // A container whose sync ran just before the trip, and that has seen only successes since, learns of it at
    // its next quiet sync at the latest.
    clock.advance(10_000);
    await Promise.all(containers.map((breaker) => settle(breaker.execute(ok))));
    for (const breaker of containers) expect(breaker.snapshot.state).toBe('OPEN');
    expect(transitions).toHaveLength(1);
  });

  it('lets no concurrent call slip through while the sync that trips the circuit runs', async () => {
    const { clock, transitions, containers } = fleet(1);
    const [breaker] = containers;
    for (let i = 0; i < 4; i += 1) await settle(breaker!.execute(fail()));
    clock.advance(1_000);
    let called = 0;
    const call = async () => {
      called += 1;
      return 'ok';
    };
    // Two records of one batch: the first starts the sync, the second arrives while it runs.
    const results = await Promise.all([settle(breaker!.execute(call)), settle(breaker!.execute(call))]);
    expect(transitions.map((event) => event.to)).toEqual(['OPEN']);
    expect(results.every((result) => result instanceof CircuitOpenError)).toBe(true);
    expect(called).toBe(0);
  });

  it('does not count declines and other 4xx answers', async () => {
    const { clock, transitions, containers } = fleet(1);
    for (let i = 0; i < 10; i += 1) {
      await settle(containers[0]!.execute(fail(402)));
      clock.advance(300);
    }
    expect(transitions).toHaveLength(0);
  });

  it('trips on slow calls when the slow-call rate reaches its threshold', async () => {
    const { clock, transitions, containers } = fleet(1);
    const slow = async () => {
      clock.advance(1_000);
      return 'late';
    };
    for (let i = 0; i < 4; i += 1) await containers[0]!.execute(slow);
    await expect(containers[0]!.execute(slow)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(transitions[0]).toMatchObject({ to: 'OPEN' });
    expect(transitions[0]?.reason).toMatch(/slow-call rate/);
  });
});

describe('open, half-open and recovery', () => {
  const tripped = async (size: number) => {
    const setup = fleet(size);
    await setup.containers[0]!.setState('OPEN', 'test');
    for (const breaker of setup.containers) await breaker.sync();
    return setup;
  };

  it('rejects without calling while open', async () => {
    const { store, clock, containers } = await tripped(1);
    const before = store.total;
    let called = 0;
    clock.advance(2_000);
    const error = await settle(containers[0]!.execute(async () => ++called));
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(error).toMatchObject({ retryAfterMs: 3_000 });
    expect(called).toBe(0);
    expect(store.total).toBe(before);
  });

  it('admits at most K probes across containers, and M successes close the circuit', async () => {
    const { clock, transitions, containers } = await tripped(4);
    clock.advance(5_000);
    const gates = containers.map(() => deferred<string>());
    let inFlight = 0;
    let maxInFlight = 0;
    const calls = containers.map((breaker, index) =>
      settle(
        breaker.execute(async ({ probe }) => {
          expect(probe).toBe(true);
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          const value = await gates[index]!.promise;
          inFlight -= 1;
          return value;
        }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(maxInFlight).toBe(2);
    for (const gate of gates) gate.resolve('ok');
    const results = await Promise.all(calls);
    expect(results.filter((result) => result === 'ok')).toHaveLength(2);
    expect(results.filter((result) => result instanceof CircuitOpenError)).toHaveLength(2);
    expect(transitions.map((event) => `${event.from}>${event.to}`)).toEqual([
      'CLOSED>OPEN',
      'OPEN>HALF_OPEN',
      'HALF_OPEN>CLOSED',
    ]);
    expect(containers[0]!.snapshot).toMatchObject({ state: 'CLOSED', reopens: 0 });
  });

  it('reopens on one failed probe with a grown cooldown, and a late success cannot close it', async () => {
    const { clock, transitions, containers } = await tripped(2);
    clock.advance(5_000);
    const slowSuccess = deferred<string>();
    const first = settle(containers[0]!.execute(() => slowSuccess.promise));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await settle(containers[1]!.execute(fail()))).toMatchObject({ status: 503 });
    slowSuccess.resolve('ok');
    expect(await first).toBe('ok');
    expect(transitions.map((event) => event.to)).toEqual(['OPEN', 'HALF_OPEN', 'OPEN']);
    expect(transitions[2]).toMatchObject({ openUntil: clock.now() + 10_000 });
    expect(containers[0]!.snapshot).toMatchObject({ state: 'OPEN', reopens: 1 });
  });

  it('gives the slot of a prober that outlived its lease to another, and ignores the late result', async () => {
    const { clock, containers } = await tripped(2);
    const [dying, healthy] = containers;
    clock.advance(5_000);
    const hung = deferred<string>();
    const late = settle(dying!.execute(() => hung.promise, { remainingTimeMs: 1_000 }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(Object.keys(dying!.snapshot.probes)).toEqual(['0']);
    expect(healthy!.snapshot.state).toBe('OPEN'); // it still has the OPEN of the trip in its cache
    clock.advance(1_001); // past the dying prober's lease (bounded by its 1 s of remaining time)
    const taken = deferred<string>();
    const takeover = settle(healthy!.execute(() => taken.promise));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const afterTakeover = healthy!.snapshot;
    expect(afterTakeover.state).toBe('HALF_OPEN');
    expect(Object.values(afterTakeover.probes).map((held) => held.until > clock.now())).toEqual([true]);
    hung.resolve('too late');
    expect(await late).toBe('ok'); // the caller still gets its answer
    expect(dying!.snapshot).toMatchObject({ state: 'HALF_OPEN', successes: 0 }); // its success did not count
    taken.resolve('ok');
    expect(await takeover).toBe('ok');
    expect(healthy!.snapshot).toMatchObject({ state: 'HALF_OPEN', successes: 1 });
  });

  it('treats a slow probe as a failure', async () => {
    const { clock, transitions, containers } = await tripped(1);
    clock.advance(5_000);
    await containers[0]!.execute(async () => {
      clock.advance(1_500);
      return 'slow';
    });
    expect(transitions.at(-1)).toMatchObject({ from: 'HALF_OPEN', to: 'OPEN' });
  });

  it('releases the slot of a probe the caller cancelled, without counting it', async () => {
    const { clock, containers } = await tripped(1);
    clock.advance(5_000);
    const controller = new AbortController();
    const call = containers[0]!.execute(
      ({ signal }) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      {
        signal: controller.signal,
      },
    );
    controller.abort(new Error('caller gave up'));
    await expect(call).rejects.toThrow('caller gave up');
    expect(containers[0]!.snapshot).toMatchObject({ state: 'HALF_OPEN', successes: 0, probes: {} });
  });
});
