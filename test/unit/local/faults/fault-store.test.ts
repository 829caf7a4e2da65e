import { describe, expect, it } from 'vitest';
import { statusOfCode } from '../../../../packages/local-cloud/src/faults/aws-fault-errors';
import { FaultSpecError, FaultStore } from '../../../../packages/local-cloud/src/faults/fault-store';

const quiet = { log: () => {} };

describe('the fault matcher', () => {
  it('hits a request of the named service and action, and counts it', async () => {
    const store = new FaultStore(quiet);
    const rule = await store.add({ service: 'dynamodb', action: 'TransactWriteItems', kind: 'error' });
    expect(store.take({ service: 'dynamodb', action: 'PutItem' }, ['error'])).toBeUndefined();
    expect(store.take({ service: 'sqs', action: 'TransactWriteItems' }, ['error'])).toBeUndefined();
    expect(store.take({ service: 'dynamodb', action: 'TransactWriteItems' }, ['error'])?.id).toBe(rule.id);
    expect(store.list()[0]?.hits).toBe(1);
  });

  it('matches actions by glob and requests by the resource they name', async () => {
    const store = new FaultStore(quiet);
    await store.add({ service: 'dynamodb', action: '*Item*', resource: 'orders', kind: 'latency', ms: 5 });
    expect(store.needsResource('dynamodb', 'UpdateItem', ['latency'])).toBe(true);
    expect(
      store.take({ service: 'dynamodb', action: 'UpdateItem', resource: '{"TableName":"idem"}' }, [
        'latency',
      ]),
    ).toBeUndefined();
    expect(
      store.take({ service: 'dynamodb', action: 'UpdateItem', resource: '{"TableName":"orders-1"}' }, [
        'latency',
      ])?.kind,
    ).toBe('latency');
  });

  it('fires for the share of requests its rate says, by the random draw', async () => {
    const draws = [0.1, 0.9, 0.29, 0.3];
    const store = new FaultStore({ ...quiet, random: () => draws.shift() ?? 1 });
    await store.add({ service: 'sqs', kind: 'reset', rate: 0.3 });
    const fired = [1, 2, 3, 4].map(() => store.take({ service: 'sqs', action: 'SendMessage' }, ['reset']));
    expect(fired.map((fault) => fault !== undefined)).toEqual([true, false, true, false]);
  });

  it('stops after its count and after its window', async () => {
    let now = 1_000;
    const store = new FaultStore({ ...quiet, now: () => now });
    await store.add({ service: 'events', kind: 'error', count: 2 });
    await store.add({ service: 'sqs', kind: 'error', durationMs: 500 });
    const events = () => store.take({ service: 'events', action: 'PutEvents' }, ['error']);
    expect([events(), events(), events()].map((fault) => fault !== undefined)).toEqual([true, true, false]);
    expect(store.take({ service: 'sqs', action: 'SendMessage' }, ['error'])).toBeDefined();
    now = 1_500;
    expect(store.take({ service: 'sqs', action: 'SendMessage' }, ['error'])).toBeUndefined();
    expect(store.list().map((rule) => rule.active)).toEqual([false, false]);
  });

  it('only offers the kinds the caller handles', async () => {
    const store = new FaultStore(quiet);
    await store.add({ service: 'events', kind: 'partial-failure' });
    expect(
      store.take({ service: 'events', action: 'PutEvents' }, ['error', 'latency', 'reset']),
    ).toBeUndefined();
    expect(store.take({ service: 'events', action: 'PutEvents' }, ['partial-failure'])).toMatchObject({
      code: 'ThrottlingException',
      entryRate: 0.5,
    });
  });

  it('refuses rules that could never fire, with the reason', async () => {
    const store = new FaultStore(quiet);
    await expect(store.add({ service: 'sqs', kind: 'partial-failure' })).rejects.toThrow(/sqs takes error/);
    await expect(store.add({ service: 'dynamodb', kind: 'error', rate: 2 })).rejects.toBeInstanceOf(
      FaultSpecError,
    );
    await expect(store.add({ service: 'lambda', kind: 'kill', phase: 'idle' })).rejects.toThrow(
      /no lambda to act on/,
    );
    await expect(store.add({ kind: 'latency' })).rejects.toThrow(/service/);
  });

  it('acts at once for immediate kinds and undoes them on clear or when the window ends', async () => {
    const store = new FaultStore(quiet);
    const calls: string[] = [];
    store.registerActuator('redis', {
      apply: async () => {
        calls.push('stop');
        return 1;
      },
      undo: async () => {
        calls.push('start');
      },
    });
    await store.add({ service: 'redis', kind: 'outage' });
    expect(calls).toEqual(['stop']);
    expect(store.list()[0]).toMatchObject({ hits: 1, active: true });
    expect(await store.clear()).toBe(1);
    expect(calls).toEqual(['stop', 'start']);
    await store.add({ service: 'redis', kind: 'outage', durationMs: 10 });
    await expect.poll(() => calls.length).toBe(4);
  });

  it('gives each error code the status AWS sends it with', () => {
    expect(statusOfCode('ProvisionedThroughputExceededException')).toBe(400);
    expect(statusOfCode('ThrottlingException')).toBe(400);
    expect(statusOfCode('InternalServerError')).toBe(500);
    expect(statusOfCode('ServiceUnavailable')).toBe(503);
    expect(statusOfCode('SomethingElse', 429)).toBe(429);
  });
});
