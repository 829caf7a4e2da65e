import { CircuitBreaker, CircuitOpenError } from '@breakwater/circuit-breaker';
import { circuitBreakerMiddleware } from '@breakwater/circuit-breaker/middy';
import { ManualClock, MemoryCircuitStore } from '@breakwater/circuit-breaker/testing';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';

const context = { getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

const breakerOnMemory = () => {
  const store = new MemoryCircuitStore();
  return new CircuitBreaker('gateway', { stateStore: store, counterStore: store, clock: new ManualClock() });
};

describe('circuitBreakerMiddleware (middy)', () => {
  it('runs the handler as one call through a closed circuit and answers its response', async () => {
    const breaker = breakerOnMemory();
    const calls: string[] = [];
    const handler = middy(async (event: { id: string }) => {
      calls.push(event.id);
      return { ok: event.id };
    }).use(circuitBreakerMiddleware({ breaker }));

    await expect(handler({ id: 'a' }, context)).resolves.toEqual({ ok: 'a' });
    expect(calls).toEqual(['a']);
  });

  it('answers with the fallback, without calling the handler, when the circuit refuses the invocation', async () => {
    const breaker = breakerOnMemory();
    await breaker.setState('FORCED_OPEN', 'maintenance');
    let called = false;
    const handler = middy(async () => {
      called = true;
      return 'charged';
    }).use(
      circuitBreakerMiddleware({
        breaker,
        fallback: (error) => `refused: ${error.state}`,
      }),
    );

    await expect(handler({}, context)).resolves.toBe('refused: FORCED_OPEN');
    expect(called).toBe(false);
  });

  it('throws CircuitOpenError when refused without a fallback, so a queue brings the message back later', async () => {
    const breaker = breakerOnMemory();
    await breaker.setState('FORCED_OPEN', 'maintenance');
    const handler = middy(async () => 'charged').use(circuitBreakerMiddleware({ breaker }));

    await expect(handler({}, context)).rejects.toBeInstanceOf(CircuitOpenError);
  });

  it("passes the handler's own error through unchanged, and picks the circuit per request", async () => {
    const breakers = new Map([['eu', breakerOnMemory()]]);
    const picked: string[] = [];
    const handler = middy(async () => {
      throw new TypeError('gateway said no');
    }).use(
      circuitBreakerMiddleware<{ region: string }>({
        breaker: (request) => {
          picked.push(request.event.region);
          return breakers.get(request.event.region)!;
        },
      }),
    );

    await expect(handler({ region: 'eu' }, context)).rejects.toThrow(new TypeError('gateway said no'));
    expect(picked).toEqual(['eu']);
  });
});
