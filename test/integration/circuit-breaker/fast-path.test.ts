import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type BreakerErrorEvent,
  CircuitBreaker,
  type CircuitBreakerOptions,
  CircuitOpenError,
  type TransitionEvent,
} from '@breakwater/circuit-breaker';
import { DynamoDbCircuitStore } from '@breakwater/circuit-breaker/dynamodb';
import { RedisStateSignal } from '@breakwater/circuit-breaker/redis';
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DynamoDbLocal,
  startDynamoDbLocal,
} from '../../../packages/local-cloud/src/dynamodb/dynamodb-local';
import { freePort } from '../../../packages/local-cloud/src/support/ports';
import { startUpstashEndpoint, type UpstashEndpoint } from '../../../packages/local-cloud/src/upstash';
import { createRedisClient } from '../../../shared/redis/client';
import { eventually } from '../../support/eventually';
import { charge, createBreakerTable, FlippingGateway, localDynamoDb } from './support';

/**
 * The fast path end to end: DynamoDB Local holds the truth, the local Upstash endpoint (over redis-server) carries
 * the signal, 10 containers trip the circuit against a failing gateway while 10 others only ever see successes.
 */
process.env.UPSTASH_DISABLE_TELEMETRY = '1';
const TOKEN = 'breaker-fast-path';
const FAILING = 10;
const QUIET = 10;
const config = {
  windowMs: 3_000,
  bucketMs: 250,
  minimumCalls: 20,
  syncIntervalMs: 200,
  quietSyncIntervalMs: 8_000,
  maxStaleMs: 16_000,
  signalIntervalMs: 1_000,
  // Long enough that no probe runs during the test: after the trip, only rejections are expected.
  cooldownMs: 60_000,
  maxCooldownMs: 60_000,
  callTimeoutMs: 1_500,
} as const satisfies CircuitBreakerOptions;
/** The fast path's promise: the read interval, plus one state-store read and one call in flight on a busy machine. */
const FAST_BOUND_MS = config.signalIntervalMs + 1_000;

let dynamo: DynamoDbLocal;
let admin: DynamoDBClient;
let upstash: UpstashEndpoint;

beforeAll(async () => {
  [dynamo, upstash] = await Promise.all([startDynamoDbLocal(), startUpstashEndpoint({ token: TOKEN })]);
  admin = localDynamoDb(dynamo.endpoint);
});

afterAll(async () => {
  admin?.destroy();
  await Promise.all([dynamo?.stop(), upstash?.stop()]);
});

interface QuietContainer {
  lastCallAt: number;
  firstRejectionAt: number | undefined;
}

/**
 * Runs the fleet until the circuit trips and `observeMs` after; returns when each quiet container last reached the
 * gateway and first rejected, the trip, and what the breakers reported.
 */
const outage = async (tableName: string, redisUrl: string, observeMs: number) => {
  await createBreakerTable(admin, tableName);
  const [healthy, failing] = await Promise.all([
    FlippingGateway.start({ healthyMs: 10, failingMs: 50, slowMs: 0 }),
    FlippingGateway.start({ healthyMs: 10, failingMs: 50, slowMs: 0 }),
  ]);
  const clients = Array.from({ length: FAILING + QUIET }, () => localDynamoDb(dynamo.endpoint));
  const transitions: TransitionEvent[] = [];
  const errors: BreakerErrorEvent[] = [];
  const breakers = clients.map((client) => {
    const store = new DynamoDbCircuitStore({ client, tableName });
    return new CircuitBreaker('gateway:fast-path', {
      stateStore: store,
      counterStore: store,
      config,
      // One Redis client per container, as each Lambda container has its own.
      signal: new RedisStateSignal({ redis: createRedisClient({ url: redisUrl, token: TOKEN }) }),
      listeners: {
        onTransition: (event) => void transitions.push(event),
        onError: (event) => void errors.push(event),
      },
    });
  });
  const quiet: QuietContainer[] = Array.from({ length: QUIET }, () => ({
    lastCallAt: 0,
    firstRejectionAt: undefined,
  }));
  let running = true;
  const startedAt = Date.now();
  const loops = breakers.map(async (breaker, index) => {
    const seen = index >= FAILING ? quiet[index - FAILING] : undefined;
    const gateway = seen === undefined ? failing : healthy;
    while (running) {
      try {
        await breaker.execute(({ signal, probe }) => {
          if (seen !== undefined) seen.lastCallAt = Date.now();
          return charge(gateway.url, { signal, probe });
        });
      } catch (error) {
        if (seen !== undefined) {
          // A container that only calls a healthy gateway fails only by rejection.
          expect(error).toBeInstanceOf(CircuitOpenError);
          seen.firstRejectionAt ??= Date.now();
        }
      }
      await sleep(20 + Math.random() * 30);
    }
  });
  try {
    await sleep(1_500);
    failing.mode = 'failing';
    // No trip within the bound is reported below, with what was observed.
    await eventually(
      'the trip',
      () => (transitions.some((event) => event.to === 'OPEN') ? true : undefined),
      {
        timeoutMs: config.windowMs + 5_000,
        intervalMs: 20,
      },
    ).catch(() => undefined);
    await sleep(observeMs);
  } finally {
    running = false;
    await Promise.all(loops);
    await Promise.all([healthy.stop(), failing.stop()]);
    for (const client of clients) client.destroy();
  }
  const trip = transitions.find((event) => event.to === 'OPEN');
  if (trip === undefined) throw new Error('the circuit never tripped');
  const healthyAfterTrip = healthy.requests.filter((request) => request.at > trip.at + FAST_BOUND_MS);
  return { startedAt, trip, transitions, errors, quiet, healthyAfterTrip };
};

describe('the fast path across containers (DynamoDB Local + Upstash REST over redis-server)', () => {
  it('stops a container that only sees successes within about a second of a trip elsewhere', async () => {
    const { trip, transitions, errors, quiet, healthyAfterTrip } = await outage(
      'breaker-fast',
      upstash.url,
      3_000,
    );
    expect(transitions.map((event) => `${event.from}>${event.to}`)).toEqual(['CLOSED>OPEN']);
    expect(errors).toEqual([]);
    for (const container of quiet) {
      expect(container.firstRejectionAt).toBeDefined();
      expect(container.firstRejectionAt! - trip.at).toBeLessThanOrEqual(FAST_BOUND_MS);
      expect(container.lastCallAt - trip.at).toBeLessThanOrEqual(FAST_BOUND_MS);
    }
    expect(healthyAfterTrip).toEqual([]);
    console.info(
      `fast path: quiet containers first rejected ${quiet.map((c) => c.firstRejectionAt! - trip.at).join(', ')} ms after the trip`,
    );
  });

  it('without Redis, falls back to the state-store sync policy: reported, and the trip seen at the quiet sync', async () => {
    const unreachable = `http://127.0.0.1:${await freePort()}`;
    const { startedAt, trip, errors, quiet } = await outage(
      'breaker-no-redis',
      unreachable,
      config.quietSyncIntervalMs + 1_500,
    );
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((event) => event.operation === 'signal')).toBe(true);
    const learned = quiet.map(
      (container) => (container.firstRejectionAt ?? Number.POSITIVE_INFINITY) - trip.at,
    );
    // Each quiet container learns at its own quiet sync, and no sooner: their first syncs were at the start, so the
    // next ones come a whole quiet interval later, whenever the trip happened.
    for (const container of quiet) {
      expect(container.firstRejectionAt! - startedAt).toBeGreaterThanOrEqual(config.quietSyncIntervalMs);
    }
    for (const delay of learned) expect(delay).toBeLessThanOrEqual(config.quietSyncIntervalMs + 1_000);
    console.info(`no Redis: quiet containers first rejected ${learned.join(', ')} ms after the trip`);
  });
});

describe('RedisStateSignal', () => {
  it('never lets an older version replace a newer one, and expires', async () => {
    const redis = createRedisClient({ url: upstash.url, token: TOKEN });
    const signal = new RedisStateSignal({ redis, ttlSeconds: 30 });
    await signal.publish('ordering', { state: 'HALF_OPEN', version: 7 });
    await signal.publish('ordering', { state: 'OPEN', version: 6, openUntil: 123 });
    expect(await signal.read('ordering')).toEqual({ state: 'HALF_OPEN', version: 7 });
    await signal.publish('ordering', { state: 'CLOSED', version: 8 });
    expect(await signal.read('ordering')).toEqual({ state: 'CLOSED', version: 8 });
    expect(await redis.ttl(signal.keyOf('ordering'))).toBeGreaterThan(0);
    expect(signal.keyOf('ordering')).toBe('breaker:{ordering}:state');
    expect(await signal.read('never-published')).toBeUndefined();
  });

  it('reads hints through a client with automatic deserialization too', async () => {
    const publisher = new RedisStateSignal({ redis: createRedisClient({ url: upstash.url, token: TOKEN }) });
    await publisher.publish('parsed', { state: 'OPEN', version: 3, openUntil: 1_700_000_000_000 });
    const reader = new RedisStateSignal({ redis: new Redis({ url: upstash.url, token: TOKEN }) });
    expect(await reader.read('parsed')).toEqual({ state: 'OPEN', version: 3, openUntil: 1_700_000_000_000 });
  });
});
