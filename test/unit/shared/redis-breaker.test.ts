import { CallTimeoutError, CircuitOpenError } from '@breakwater/circuit-breaker';
import { ManualClock } from '@breakwater/circuit-breaker/testing';
import { describe, expect, it } from 'vitest';
import { createOrder, getOrder } from '../../../functions/orders-api/core';
import { RedisOrderCache } from '../../../shared/orders';
import {
  GuardedRedis,
  isRedisSkipped,
  REDIS_CIRCUIT_ID,
  RedisBreakerMetrics,
  redisCircuitBreaker,
} from '../../../shared/redis/breaker';
import type { RedisCommands } from '../../../shared/redis/client';
import { InMemoryOrderRepository } from '../../support/in-memory-orders';
import { InMemoryRedis } from '../../support/in-memory-redis';
import { RecordingLog, RecordingMetrics } from '../../support/recording-log';

const setup = (redis: RedisCommands = new InMemoryRedis(), timeoutMs = 1_000) => {
  const clock = new ManualClock();
  const log = new RecordingLog();
  const metrics = new RecordingMetrics();
  const breaker = redisCircuitBreaker({ timeoutMs, log, metrics, clock });
  return { clock, log, metrics, breaker, guarded: new GuardedRedis(redis, breaker) };
};

/** Runs a command and returns what it threw (or undefined). */
const failureOf = async (command: Promise<unknown>): Promise<unknown> =>
  command.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('the Redis circuit breaker', () => {
  it('skips Redis after three failed calls, without calling it, and logs and counts the opening', async () => {
    const redis = new InMemoryRedis();
    redis.failWith = new Error('ECONNREFUSED');
    const { clock, log, metrics, guarded } = setup(redis);

    for (let call = 0; call < 3; call += 1) {
      expect(await failureOf(guarded.get('order:1'))).toBe(redis.failWith);
      clock.advance(200);
    }
    const skipped = await failureOf(guarded.get('order:1'));

    expect(skipped).toBeInstanceOf(CircuitOpenError);
    expect(isRedisSkipped(skipped)).toBe(true);
    expect(redis.calls).toHaveLength(3);
    expect(metrics.total(RedisBreakerMetrics.circuitOpened)).toBe(1);
    expect(log.at('warn')).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('redis circuit opened'),
        attributes: expect.objectContaining({ circuitId: REDIS_CIRCUIT_ID, to: 'OPEN' }),
      }),
    ]);
  });

  it('keeps skipping while open, then lets one probe through after the cooldown and closes on its success', async () => {
    const redis = new InMemoryRedis();
    redis.failWith = new Error('ECONNREFUSED');
    const { clock, guarded } = setup(redis);
    for (let call = 0; call < 4; call += 1) {
      await failureOf(guarded.set('k', 'v', { ex: 60 }));
      clock.advance(200);
    }
    const callsWhenOpen = redis.calls.length;
    clock.advance(2_000);
    expect(await failureOf(guarded.get('k'))).toBeInstanceOf(CircuitOpenError);
    expect(redis.calls).toHaveLength(callsWhenOpen);

    redis.failWith = undefined;
    clock.advance(5_000);
    expect(await guarded.set('k', 'v', { ex: 60 })).toBe('OK');
    expect(await guarded.get('k')).toBe('v');
    expect(await guarded.del('k')).toBe(1);
    expect(redis.calls).toHaveLength(callsWhenOpen + 3);
  });

  it('counts a call that outlasts the Redis timeout as a failure (a hung Redis opens the circuit too)', async () => {
    const hung: RedisCommands = {
      get: () => new Promise(() => undefined),
      set: () => new Promise(() => undefined),
      del: () => new Promise(() => undefined),
    };
    const { clock, guarded } = setup(hung, 20);
    for (let call = 0; call < 3; call += 1) {
      expect(await failureOf(guarded.get('k'))).toBeInstanceOf(CallTimeoutError);
      clock.advance(200);
    }
    expect(await failureOf(guarded.get('k'))).toBeInstanceOf(CircuitOpenError);
  });

  it('lets GET /orders/{id} read the table at once while Redis is down, after the first few failures', async () => {
    const redis = new InMemoryRedis();
    const { clock, guarded } = setup(redis);
    const orders = new InMemoryOrderRepository();
    const log = new RecordingLog();
    const deps = { orders, cache: new RedisOrderCache(async () => guarded, 60), log };
    const order = await createOrder(
      {
        request: {
          customerId: 'c-1',
          currency: 'EUR',
          items: [{ sku: 's', quantity: 1, unitPriceCents: 100 }],
        },
        correlationId: 'corr',
        ownerPrincipal: 'arn:aws:iam::123456789012:user/alice',
      },
      deps,
    );
    redis.failWith = new Error('ECONNREFUSED');
    for (let read = 0; read < 10; read += 1) {
      expect(await getOrder(order.orderId, deps)).toEqual({ order, cache: 'miss' });
      clock.advance(100);
    }
    // Three reads met the failing Redis; the other seven skipped it (logged at debug, not as warnings).
    expect(redis.calls).toHaveLength(3);
    expect(log.at('warn').filter((line) => line.message.includes('order cache unavailable'))).toHaveLength(3);
    expect(log.at('debug').filter((line) => line.message.includes('skipped'))).toHaveLength(7);
  });
});
