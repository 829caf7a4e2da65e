import { setTimeout as sleep } from 'node:timers/promises';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CircuitBreaker,
  type CircuitBreakerOptions,
  CircuitOpenError,
  resolveConfig,
  type TransitionEvent,
} from '@breakwater/circuit-breaker';
import { DynamoDbCircuitStore } from '@breakwater/circuit-breaker/dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialSnapshot } from '../../../packages/circuit-breaker/src/state';
import { planManual } from '../../../packages/circuit-breaker/src/state-machine';
import {
  type DynamoDbLocal,
  startDynamoDbLocal,
} from '../../../packages/local-cloud/src/dynamodb/dynamodb-local';
import { eventually } from '../../support/eventually';
import { charge, createBreakerTable, FlippingGateway, localDynamoDb, readStream } from './support';

const CONTAINERS = 20;
const K = 2;
const M = 3;
const config = {
  windowMs: 3_000,
  bucketMs: 250,
  minimumCalls: 20,
  failureRateThreshold: 0.5,
  slowCallRateThreshold: 0.5,
  // Far above the healthy latency (20 ms): a loaded machine's event-loop stalls must not make a healthy probe slow.
  slowCallDurationMs: 1_000,
  cooldownMs: 2_000,
  cooldownMultiplier: 2,
  maxCooldownMs: 4_000,
  halfOpenMaxProbes: K,
  halfOpenSuccessesToClose: M,
  // Well above every latency of the fake gateway (≤ 1 s with a held probe): on a loaded machine a healthy probe
  // that merely waited for the event loop must not time out and reopen the circuit.
  callTimeoutMs: 3_000,
  leaseSlackMs: 200,
  deadlineMarginMs: 100,
  minProbeTimeMs: 100,
  syncIntervalMs: 200,
  quietSyncIntervalMs: 1_000,
  maxStaleMs: 3_000,
  halfOpenRetryAfterMs: 500,
} as const satisfies CircuitBreakerOptions;
/** How long after a trip a container still calling with a stale CLOSED may reach the gateway (sync + one call). */
const PROPAGATION_BOUND_MS = 1_000;
/**
 * What a container's view can lag beyond that: a sync that read the item just before the trip and answered late.
 * On a loaded machine DynamoDB Local's round trips stretch, so the bound adds the slowest one measured in the run.
 */
const storeRoundTrip = { maxMs: 0 };
/** The slow gateway's latency: above slowCallDurationMs, below callTimeoutMs. */
const SLOW_MS = 1_600;
const CIRCUIT = 'gateway:stripe-eu';

type Observed = TransitionEvent & { readonly container: number; readonly observedAt: number };

const num = (value: AttributeValue | undefined) => Number(value?.N ?? 0);
const stateOf = (image: Record<string, AttributeValue> | undefined) => image?.state?.S ?? 'CLOSED';

describe('the distributed breaker under concurrency (DynamoDB Local, 20 containers)', () => {
  let local: DynamoDbLocal;
  let admin: DynamoDBClient;

  beforeAll(async () => {
    local = await startDynamoDbLocal();
    admin = localDynamoDb(local.endpoint);
    await createBreakerTable(admin, 'breaker-race', { stream: true });
    await createBreakerTable(admin, 'breaker-store');
  });

  afterAll(async () => {
    admin?.destroy();
    await local?.stop();
  });

  it('fences writes: a stale writer is refused and told the current state; counters never move the version', async () => {
    const store = new DynamoDbCircuitStore({ client: admin, tableName: 'breaker-store' });
    const settings = resolveConfig();
    const context = { now: 1_000, expiresAt: 2_000, staleBefore: 0 };
    await store.flush('c', [{ index: 1, calls: 3, failures: 1, slow: 0 }], context);
    const opened = planManual(initialSnapshot, 'OPEN', settings, 1_000, 'trip');
    expect(await store.compareAndSet('c', 0, opened, context)).toEqual({ applied: true });
    // A slow success planned from version 0 tries to close: refused, with the OPEN it would have overwritten.
    const stale = planManual(initialSnapshot, 'CLOSED', settings, 1_001, 'late success');
    const refused = await store.compareAndSet('c', 0, stale, context);
    expect(refused).toMatchObject({ applied: false, current: { state: 'OPEN', version: 1 } });
    const flushed = await store.flush('c', [{ index: 9, calls: 2, failures: 0, slow: 2 }], {
      ...context,
      staleBefore: 5,
    });
    expect(flushed.snapshot).toMatchObject({ state: 'OPEN', version: 1 });
    expect(flushed.buckets).toEqual([{ index: 9, calls: 2, failures: 0, slow: 2 }]); // bucket 1 left the window
    expect((await store.read('c')).snapshot).toEqual(opened);
  });

  it('trips, rejects, probes at most K at a time, reopens, recovers, and never loses an OPEN', async () => {
    // Failing probes are held until K are in flight (at most 1 s, within the call timeout): on a loaded machine a
    // round still reaches its K concurrent probes, so the test can assert the limit is reached and never exceeded.
    const gateway = await FlippingGateway.start({
      healthyMs: 20,
      failingMs: 150,
      slowMs: SLOW_MS,
      probeCompany: K,
      probeHoldMs: 1_000,
    });
    const clients = Array.from({ length: CONTAINERS }, () => {
      const client = localDynamoDb(local.endpoint);
      client.middlewareStack.add(
        (next) => async (args) => {
          const started = Date.now();
          try {
            return await next(args);
          } finally {
            storeRoundTrip.maxMs = Math.max(storeRoundTrip.maxMs, Date.now() - started);
          }
        },
        { step: 'initialize', name: 'measureRoundTrip' },
      );
      return client;
    });
    const observed: Observed[] = [];
    const storeErrors: unknown[] = [];
    const containers = clients.map(
      (client, container) =>
        new CircuitBreaker(CIRCUIT, {
          stateStore: new DynamoDbCircuitStore({ client, tableName: 'breaker-race' }),
          counterStore: new DynamoDbCircuitStore({ client, tableName: 'breaker-race' }),
          config,
          listeners: {
            onTransition: (event) => void observed.push({ ...event, container, observedAt: Date.now() }),
            onError: (event) => void storeErrors.push(event.error),
          },
        }),
    );
    const tally = { ok: 0, failed: 0, rejected: 0 };
    let running = true;
    const loops = containers.map(async (breaker) => {
      while (running) {
        try {
          await breaker.execute(({ signal, probe }) => charge(gateway.url, { signal, probe }), {
            remainingTimeMs: 10_000,
          });
          tally.ok += 1;
        } catch (error) {
          if (error instanceof CircuitOpenError) tally.rejected += 1;
          else tally.failed += 1;
        }
        await sleep(30 + Math.random() * 30);
      }
    });
    const history = () =>
      observed
        .map((e) => `${e.from}>${e.to}@${e.at - (observed[0]?.at ?? 0)}ms (${e.reason}, c${e.container})`)
        .join(' | ');
    const waitFor = (what: string, found: () => Observed | undefined, timeoutMs: number) =>
      eventually(what, found, { timeoutMs, intervalMs: 20 }).catch((error: unknown) => {
        throw new Error(`no ${what} within ${timeoutMs} ms; transitions: ${history()}`, { cause: error });
      });
    const transitionSince = (since: number, from: string, to: string) => () =>
      observed.find((event) => event.at >= since && event.from === from && event.to === to);

    try {
      await sleep(1_500);
      expect(history()).toBe('');

      // Outage: the window fills with failures and the circuit trips within the window bound.
      const outageAt = Date.now();
      gateway.mode = 'failing';
      const trip = await waitFor(
        'trip',
        transitionSince(outageAt, 'CLOSED', 'OPEN'),
        config.windowMs + 3_000,
      );
      expect(trip.at - outageAt).toBeLessThanOrEqual(config.windowMs + config.syncIntervalMs * 2);
      expect(trip.reason).toMatch(/failure rate/);

      // Still failing: the probes fail and the circuit reopens with a doubled cooldown.
      const reopen = await waitFor(
        'reopen',
        transitionSince(trip.at, 'HALF_OPEN', 'OPEN'),
        config.cooldownMs + 3_000,
      );
      expect((reopen.openUntil ?? 0) - reopen.at).toBe(config.cooldownMs * config.cooldownMultiplier);

      // Recovery: probes succeed after the cooldown and M of them close the circuit.
      const healedAt = Date.now();
      gateway.mode = 'healthy';
      // A starved machine may make a healthy probe slow (≥ slowCallDurationMs), which rightly reopens the circuit
      // (a slow probe is no evidence of recovery): allow two such rounds, and time the close from the last reopen.
      const closed = await waitFor(
        'close',
        transitionSince(healedAt, 'HALF_OPEN', 'CLOSED'),
        3 * config.maxCooldownMs + 5_000,
      );
      const lastReopen = observed
        .filter((event) => event.to === 'OPEN' && event.version < closed.version)
        .sort((a, b) => b.version - a.version)[0];
      const reopenedUntil = Math.max(healedAt, lastReopen?.openUntil ?? reopen.openUntil ?? 0);
      // Each of the M probe rounds is a sync, a call and the store's writes: on a starved machine the store's slowest
      // round trip (measured in this run, as for the propagation bound below) is part of every round.
      expect(
        closed.at - reopenedUntil,
        `slowest store round trip=${storeRoundTrip.maxMs} ms; transitions: ${history()}`,
      ).toBeLessThanOrEqual(
        M * (config.syncIntervalMs + config.slowCallDurationMs + storeRoundTrip.maxMs) + 1_000,
      );

      // Slowness alone trips it too.
      await sleep(1_500);
      const slowAt = Date.now();
      gateway.mode = 'slow';
      const slowTrip = await waitFor(
        'slow trip',
        transitionSince(slowAt, 'CLOSED', 'OPEN'),
        config.windowMs + 3_000,
      );
      expect(slowTrip.reason).toMatch(/slow-call rate/);
      expect(slowTrip.at - slowAt).toBeLessThanOrEqual(config.windowMs + config.syncIntervalMs * 2 + SLOW_MS);
      gateway.mode = 'healthy';
      // As for the first close: a probe round may still fail on a loaded machine (a probe slower than the slow-call
      // duration counts against it), and each failed round doubles the cooldown up to its maximum.
      await waitFor(
        'second close',
        transitionSince(slowTrip.at, 'HALF_OPEN', 'CLOSED'),
        3 * config.maxCooldownMs + 5_000,
      );
    } finally {
      running = false;
      await Promise.all(loops);
    }
    await sleep(300);
    const changes = await readStream(local.endpoint, admin, 'breaker-race');
    await gateway.stop();
    for (const client of clients) client.destroy();

    // 1. Never more than K probes in flight at the gateway, at any instant.
    expect(gateway.maxProbesInFlight).toBeLessThanOrEqual(K);
    expect(gateway.maxProbesInFlight).toBe(K); // the limit was actually reached, not merely never tested

    // 2. The engine's history: each state write advances the version by exactly one from the version it replaced,
    //    along the machine's edges only; counter flushes never touch the version.
    const edges = new Set([
      'CLOSED>OPEN',
      'OPEN>HALF_OPEN',
      'HALF_OPEN>HALF_OPEN',
      'HALF_OPEN>OPEN',
      'HALF_OPEN>CLOSED',
    ]);
    const writes = changes.filter(
      (change) => num(change.newImage?.version) !== num(change.oldImage?.version),
    );
    const versions = writes.map((change) => num(change.newImage?.version));
    expect(versions).toEqual(versions.map((_, index) => index + 1));
    for (const change of writes) {
      expect(num(change.newImage?.version)).toBe(num(change.oldImage?.version) + 1);
      expect(edges).toContain(`${stateOf(change.oldImage)}>${stateOf(change.newImage)}`);
    }
    // Never CLOSED over an OPEN: the only way to CLOSED is from the HALF_OPEN it replaced.
    for (const change of writes.filter((write) => stateOf(write.newImage) === 'CLOSED')) {
      expect(stateOf(change.oldImage)).toBe('HALF_OPEN');
    }

    // 3. No OPEN lost, none reported twice: the listeners saw exactly the state changes the engine recorded.
    const engineTransitions = writes
      .filter((change) => stateOf(change.oldImage) !== stateOf(change.newImage))
      .map(
        (change) =>
          `${num(change.newImage?.version)}:${stateOf(change.oldImage)}>${stateOf(change.newImage)}`,
      );
    const reported = [...observed]
      .sort((a, b) => a.version - b.version)
      .map((event) => `${event.version}:${event.from}>${event.to}`);
    expect(reported).toEqual(engineTransitions);
    expect(observed.every((event) => !event.local)).toBe(true);

    // 4. While an episode lasts (trip to close), only probes reach the gateway once the trip has propagated.
    const trips = observed.filter((event) => event.from === 'CLOSED' && event.to === 'OPEN');
    for (const tripEvent of trips) {
      const closing = observed.find((event) => event.to === 'CLOSED' && event.version > tripEvent.version);
      const end = closing?.at ?? Number.POSITIVE_INFINITY;
      const leaked = gateway.requests.filter(
        (request) =>
          !request.probe &&
          request.at >= tripEvent.at + PROPAGATION_BOUND_MS + storeRoundTrip.maxMs &&
          request.at < end,
      );
      expect(leaked).toEqual([]);
    }
    expect(tally.rejected).toBeGreaterThan(0);
    expect(storeErrors).toEqual([]);
    console.info(
      `calls ok=${tally.ok} failed=${tally.failed} rejected=${tally.rejected}; gateway requests=${gateway.requests.length} ` +
        `(probes ${gateway.requests.filter((request) => request.probe).length}); state writes=${writes.length}; ` +
        `stream records=${changes.length}; max probes in flight=${gateway.maxProbesInFlight}; ` +
        `slowest store round trip=${storeRoundTrip.maxMs} ms; transitions: ` +
        observed.map((event) => `${event.from}>${event.to}@v${event.version}`).join(' '),
    );
  });
});
