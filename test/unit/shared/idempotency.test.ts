import { IdempotencyAlreadyInProgressError } from '@aws-lambda-powertools/idempotency';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { makeEventIdempotent } from '../../../shared/idempotency';
import { inMemoryPersistence } from '../../support/in-memory-idempotency-store';
import { lambdaContext } from '../../support/lambda';

type Event = { id: string; data: { n: number } };

const counting = () => {
  const calls: Event[] = [];
  const processor = async (event: Event, _context: Context) => {
    calls.push(event);
    return { handled: event.data.n };
  };
  return { calls, processor };
};

describe('makeEventIdempotent', () => {
  it('runs once per event id and answers repeats with the stored result', async () => {
    const { calls, processor } = counting();
    const persistence = inMemoryPersistence();
    const once = makeEventIdempotent(processor, { keyPrefix: 'test.op', persistenceStore: persistence });

    expect(await once({ id: 'e-1', data: { n: 1 } }, lambdaContext())).toEqual({ handled: 1 });
    // Keyed on the id only: the same event seen through another message (or a transformed replay) is a repeat.
    expect(await once({ id: 'e-1', data: { n: 2 } }, lambdaContext())).toEqual({ handled: 1 });
    expect(await once({ id: 'e-2', data: { n: 3 } }, lambdaContext())).toEqual({ handled: 3 });
    expect(calls.map((call) => call.id)).toEqual(['e-1', 'e-2']);

    const keys = [...(persistence.stores[0]?.records.keys() ?? [])];
    expect(keys).toHaveLength(2);
    expect(keys.every((key) => key.startsWith('test.op#'))).toBe(true);
  });

  it('keeps a completed record for the TTL', async () => {
    const { processor } = counting();
    const persistence = inMemoryPersistence();
    const once = makeEventIdempotent(processor, {
      keyPrefix: 'test.ttl',
      persistenceStore: persistence,
      expiresAfterSeconds: 600,
    });
    const before = Date.now();
    await once({ id: 'e-1', data: { n: 1 } }, lambdaContext({ getRemainingTimeInMillis: () => 5000 }));

    const [record] = [...(persistence.stores[0]?.records.values() ?? [])];
    expect(record?.getStatus()).toBe('COMPLETED');
    expect(record?.expiryTimestamp).toBeGreaterThanOrEqual(Math.floor(before / 1000) + 599);
    expect(record?.expiryTimestamp).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 601);
  });

  it('leaves no record when the processor fails, so the retry runs it again', async () => {
    let attempts = 0;
    const once = makeEventIdempotent(
      async (_event: Event, _context: Context) => {
        attempts += 1;
        if (attempts === 1) throw new Error('downstream unavailable');
        return { ok: true };
      },
      { keyPrefix: 'test.retry', persistenceStore: inMemoryPersistence() },
    );

    await expect(once({ id: 'e-1', data: { n: 1 } }, lambdaContext())).rejects.toThrow(
      'downstream unavailable',
    );
    expect(await once({ id: 'e-1', data: { n: 1 } }, lambdaContext())).toEqual({ ok: true });
    expect(attempts).toBe(2);
  });

  it('refuses a concurrent run while the first is in flight; the lock lasts the remaining Lambda time', async () => {
    const persistence = inMemoryPersistence();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const once = makeEventIdempotent(
      async (_event: Event, _context: Context) => {
        await gate;
        return { ok: true };
      },
      { keyPrefix: 'test.concurrent', persistenceStore: persistence },
    );

    const before = Date.now();
    const first = once(
      { id: 'e-1', data: { n: 1 } },
      lambdaContext({ getRemainingTimeInMillis: () => 5000 }),
    );
    await expect(once({ id: 'e-1', data: { n: 1 } }, lambdaContext())).rejects.toBeInstanceOf(
      IdempotencyAlreadyInProgressError,
    );
    const [inFlight] = [...(persistence.stores[0]?.records.values() ?? [])];
    expect(inFlight?.getStatus()).toBe('INPROGRESS');
    expect(inFlight?.inProgressExpiryTimestamp).toBeGreaterThanOrEqual(before + 5000);
    expect(inFlight?.inProgressExpiryTimestamp).toBeLessThanOrEqual(Date.now() + 5000);
    release();
    expect(await first).toEqual({ ok: true });
  });

  it('keeps operations apart by key prefix', async () => {
    const a = counting();
    const b = counting();
    const persistence = inMemoryPersistence();
    const onceA = makeEventIdempotent(a.processor, {
      keyPrefix: 'billing.charge',
      persistenceStore: persistence,
    });
    const onceB = makeEventIdempotent(b.processor, {
      keyPrefix: 'order-status.apply',
      persistenceStore: persistence,
    });

    await onceA({ id: 'e-1', data: { n: 1 } }, lambdaContext());
    await onceB({ id: 'e-1', data: { n: 1 } }, lambdaContext());
    expect([a.calls.length, b.calls.length]).toEqual([1, 1]);
    expect(persistence.stores).toHaveLength(2);
  });
});
