import {
  CircuitBreaker,
  CircuitOpenError,
  MemoryCircuitStore,
  type TransitionEvent,
} from '@breakwater/circuit-breaker';
import { RedisOutcomeCounters } from '@breakwater/circuit-breaker/redis';
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstashEndpoint, type UpstashEndpoint } from '../../../packages/local-cloud/src/upstash';

/** The Redis counter store through the unmodified @upstash/redis client and the local Upstash endpoint. */
process.env.UPSTASH_DISABLE_TELEMETRY = '1';
const TOKEN = 'breaker-counters';
let endpoint: UpstashEndpoint;
let redis: Redis;

beforeAll(async () => {
  endpoint = await startUpstashEndpoint({ token: TOKEN });
  redis = new Redis({ url: endpoint.url, token: TOKEN });
});

afterAll(async () => {
  await endpoint?.stop();
});

describe('RedisOutcomeCounters', () => {
  it('adds concurrent flushes atomically, returns the whole window, and forgets buckets that left it', async () => {
    const counters = Array.from({ length: 5 }, () => new RedisOutcomeCounters({ redis, ttlSeconds: 60 }));
    const context = { now: 0, expiresAt: 0, staleBefore: 0 };
    await Promise.all(
      counters.map((store) =>
        store.flush('flushes', [{ index: 7, calls: 10, failures: 3, slow: 1 }], context),
      ),
    );
    const { buckets, snapshot } = await counters[0]!.flush(
      'flushes',
      [{ index: 8, calls: 1, failures: 0, slow: 0 }],
      {
        ...context,
        staleBefore: 7,
      },
    );
    expect(snapshot).toBeUndefined(); // the state lives elsewhere: the breaker reads it from the state store
    expect(buckets).toEqual(
      expect.arrayContaining([
        { index: 7, calls: 50, failures: 15, slow: 5 },
        { index: 8, calls: 1, failures: 0, slow: 0 },
      ]),
    );
    const later = await counters[0]!.flush('flushes', [], { ...context, staleBefore: 8 });
    expect(later.buckets).toEqual([{ index: 8, calls: 1, failures: 0, slow: 0 }]);
    expect(await redis.ttl('breaker:{flushes}:window')).toBeGreaterThan(0);
  });

  it('lets a fleet of breakers trip one circuit on the shared window', async () => {
    const state = new MemoryCircuitStore();
    const transitions: TransitionEvent[] = [];
    const fleet = Array.from(
      { length: 4 },
      () =>
        new CircuitBreaker('gateway:redis', {
          stateStore: state,
          counterStore: new RedisOutcomeCounters({ redis }),
          config: { minimumCalls: 8, syncIntervalMs: 1, quietSyncIntervalMs: 1, maxStaleMs: 1 },
          listeners: { onTransition: (event) => void transitions.push(event) },
        }),
    );
    const failing = async () => {
      throw Object.assign(new Error('unavailable'), { status: 503 });
    };
    for (let round = 0; round < 3; round += 1) {
      await Promise.all(fleet.map((breaker) => breaker.execute(failing).catch((error: unknown) => error)));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(transitions.map((event) => event.to)).toEqual(['OPEN']);
    await expect(fleet[3]!.execute(async () => 'ok')).rejects.toBeInstanceOf(CircuitOpenError);
  });
});
