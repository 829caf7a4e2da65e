import { describe, expect, it } from 'vitest';
import {
  CallTimeoutError,
  CircuitBreaker,
  type CircuitBreakerListeners,
  type CircuitBreakerOptions,
  CircuitBreakers,
  CircuitOpenError,
  type TransitionEvent,
} from '../../../shared/circuit-breaker';
import { CountingStore, deferred, httpError, ManualClock } from './fakes';

const options: CircuitBreakerOptions = {
  minimumCalls: 4,
  failureRateThreshold: 0.5,
  slowCallRateThreshold: 1,
  slowCallDurationMs: 1_000,
  windowMs: 10_000,
  bucketMs: 1_000,
  cooldownMs: 5_000,
  cooldownMultiplier: 2,
  maxCooldownMs: 20_000,
  halfOpenMaxProbes: 2,
  halfOpenSuccessesToClose: 2,
  callTimeoutMs: 2_000,
  syncIntervalMs: 1_000,
  quietSyncIntervalMs: 10_000,
  maxStaleMs: 30_000,
};

/** A fleet of containers sharing one store and one clock, each with its own breaker (its own cache). */
const fleet = (
  size: number,
  listeners: CircuitBreakerListeners = {},
  config: CircuitBreakerOptions = options,
) => {
  const store = new CountingStore();
  const clock = new ManualClock();
  const transitions: TransitionEvent[] = [];
  const containers = Array.from(
    { length: size },
    () =>
      new CircuitBreaker('gateway:test', {
        stateStore: store,
        counterStore: store,
        clock,
        config,
        listeners: { onTransition: (event) => void transitions.push(event), ...listeners },
      }),
  );
  return { store, clock, transitions, containers };
};

const ok = async () => 'ok';
const fail =
  (status = 503) =>
  async () => {
    throw httpError(status);
  };
const settle = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => error,
  );

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
