import { describe, expect, it } from 'vitest';
import { loadOutboxSweeperConfig } from '../../../../functions/outbox-sweeper/config';
import { type OutboxSweepSettings, sweepOutbox } from '../../../../functions/outbox-sweeper/core';
import { createOutboxSweeperHandler } from '../../../../functions/outbox-sweeper/handler';
import { EnvNames } from '../../../../shared/config/env-names';
import { ConfigurationError } from '../../../../shared/errors';
import { EventPublisher } from '../../../../shared/events/publisher';
import { buildOutboxSweepScan, toOutboxItem } from '../../../../shared/outbox';
import { orderCreatedEvent } from '../../../support/events';
import { FakeEventBridge } from '../../../support/fake-event-bridge';
import { InMemoryOutboxTable } from '../../../support/in-memory-outbox';
import { lambdaContext } from '../../../support/lambda';
import { quietObservability } from '../../../support/observability';
import { RecordingLog } from '../../../support/recording-log';

const NOW = new Date('2026-11-27T12:00:00.000Z');
const minutesAgo = (minutes: number): Date => new Date(NOW.getTime() - minutes * 60_000);
const settings: OutboxSweepSettings = {
  graceSeconds: 300,
  maxItems: 500,
  safetyMarginMs: 10_000,
  pageSize: 25,
};
const plenty = (): number => 60_000;

const setup = () => {
  const bus = new FakeEventBridge();
  const outbox = new InMemoryOutboxTable();
  const log = new RecordingLog();
  const publisher = new EventPublisher({
    client: bus,
    eventBusName: 'breakwater',
    sleep: async () => undefined,
  });
  return { bus, outbox, log, deps: { outbox, publisher, log, now: () => NOW } };
};

const stale = (count: number, minutes = 10) =>
  Array.from({ length: count }, () => orderCreatedEvent({ occurredAt: minutesAgo(minutes) }));

describe('outbox sweeper core', () => {
  it('publishes and deletes items older than the grace period, and leaves fresh ones alone', async () => {
    const { bus, outbox, deps } = setup();
    const old = stale(2, 6);
    const fresh = orderCreatedEvent({ occurredAt: minutesAgo(4) });
    for (const event of [...old, fresh]) outbox.add(event);

    const report = await sweepOutbox(deps, settings, plenty);

    expect(report).toEqual({
      stranded: 2,
      published: 2,
      deleted: 2,
      alreadyGone: 0,
      failed: 0,
      stoppedBy: 'table-read',
    });
    expect(bus.acceptedEventIds().sort()).toEqual(old.map((event) => event.id).sort());
    expect([...outbox.items.keys()]).toEqual([fresh.id]);
    expect(outbox.scans[0]?.createdBefore).toBe(minutesAgo(5).toISOString());
  });

  it('publishes in PutEvents batches of at most 10 entries, page by page', async () => {
    const { bus, outbox, deps } = setup();
    for (const event of stale(60)) outbox.add(event);

    const report = await sweepOutbox(deps, settings, plenty);

    expect(report.published).toBe(60);
    expect(outbox.items.size).toBe(0);
    expect(outbox.scans).toHaveLength(3);
    expect(bus.calls.map((call) => call.length)).toEqual([10, 10, 5, 10, 10, 5, 10]);
    expect(bus.accepted[0]).toMatchObject({ Source: 'breakwater.orders', DetailType: 'order.created' });
  });

  it('deletes only items whose event was accepted: a rejected entry keeps its item for the next run', async () => {
    const { bus, outbox, log, deps } = setup();
    const [kept, sent] = stale(2);
    outbox.add(kept!).add(sent!);
    bus.entryRule = (entry) => (entry.Detail?.includes(kept!.id) ? 'InternalFailure' : undefined);

    const report = await sweepOutbox(deps, settings, plenty);

    expect(report).toMatchObject({ stranded: 2, published: 1, deleted: 1, failed: 1 });
    expect(outbox.deletes).toEqual([sent!.id]);
    expect([...outbox.items.keys()]).toEqual([kept!.id]);
    expect(log.at('warn')[0]?.attributes).toMatchObject({ eventId: kept!.id, errorCode: 'InternalFailure' });
  });

  it('deletes nothing when the bus refuses every call', async () => {
    const { bus, outbox, deps } = setup();
    for (const event of stale(3)) outbox.add(event);
    bus.callFailure = () => Object.assign(new Error('rate exceeded'), { name: 'ThrottlingException' });

    const report = await sweepOutbox(deps, settings, plenty);

    expect(report).toMatchObject({ stranded: 3, published: 0, deleted: 0, failed: 3 });
    expect(outbox.deletes).toEqual([]);
    expect(outbox.items.size).toBe(3);
  });

  it('counts an item the stream publisher deleted meanwhile as already gone, not as a failure', async () => {
    const { outbox, deps } = setup();
    const [event] = stale(1);
    outbox.add(event!);
    // The stream publisher deletes the item while the sweeper is publishing it.
    const publishAll = deps.publisher.publishAll.bind(deps.publisher);
    const racing = {
      ...deps,
      publisher: {
        publishAll: async (events: Parameters<typeof publishAll>[0]) => {
          outbox.items.delete(event!.id);
          return publishAll(events);
        },
      },
    };

    const report = await sweepOutbox(racing, settings, plenty);

    expect(report).toMatchObject({ published: 1, deleted: 0, alreadyGone: 1, failed: 0 });
  });

  it('keeps an item whose delete failed (it is published again next run) and an unreadable one', async () => {
    const { outbox, log, deps } = setup();
    const [event] = stale(1);
    outbox.add(event!).addRaw({ pk: 'broken', event: '{not json', createdAt: minutesAgo(30).toISOString() });
    outbox.deleteFailure = () => new Error('throttled');

    const report = await sweepOutbox(deps, settings, plenty);

    expect(report).toMatchObject({ stranded: 2, published: 1, deleted: 0, failed: 2 });
    expect(outbox.items.size).toBe(2);
    expect(log.at('error')[0]?.attributes).toMatchObject({ outboxKey: 'broken', errorName: 'ContractError' });
  });

  it('handles at most maxItems per run', async () => {
    const { bus, outbox, deps } = setup();
    for (const event of stale(30)) outbox.add(event);

    const report = await sweepOutbox(deps, { ...settings, maxItems: 12 }, plenty);

    expect(report).toMatchObject({ stranded: 12, published: 12, deleted: 12, stoppedBy: 'max-items' });
    expect(bus.accepted).toHaveLength(12);
    expect(outbox.items.size).toBe(18);
  });

  it('starts no page when the remaining time is under the safety margin', async () => {
    const { outbox, deps } = setup();
    for (const event of stale(60)) outbox.add(event);
    const remaining = [60_000, 9_000];

    const report = await sweepOutbox(deps, settings, () => remaining.shift() ?? 0);

    expect(report).toMatchObject({ stranded: 25, published: 25, stoppedBy: 'time' });
    expect(outbox.scans).toHaveLength(1);
    expect(outbox.items.size).toBe(35);
  });
});

describe('outbox sweeper scan and settings', () => {
  it('filters on createdAt before the cutoff and continues from the cursor', () => {
    expect(buildOutboxSweepScan('outbox', '2026-11-27T11:55:00.000Z', 100, { pk: 'e1' })).toEqual({
      TableName: 'outbox',
      FilterExpression: '#createdAt < :cutoff',
      ExpressionAttributeNames: { '#createdAt': 'createdAt' },
      ExpressionAttributeValues: { ':cutoff': '2026-11-27T11:55:00.000Z' },
      Limit: 100,
      ExclusiveStartKey: { pk: 'e1' },
    });
  });

  it('stores createdAt as UTC ISO-8601 whatever offset the event time was written with', () => {
    const event = { ...orderCreatedEvent(), occurredAt: '2026-11-27T14:00:00+02:00' };
    expect(toOutboxItem(event).createdAt).toBe('2026-11-27T12:00:00.000Z');
  });

  it('reads its bounds with defaults, and refuses a malformed one', () => {
    const env = { [EnvNames.eventBusName]: 'bus', [EnvNames.outboxTableName]: 'outbox' };
    expect(loadOutboxSweeperConfig(env)).toEqual({
      eventBusName: 'bus',
      outboxTableName: 'outbox',
      graceSeconds: 300,
      maxItems: 500,
      safetyMarginMs: 10_000,
    });
    expect(() => loadOutboxSweeperConfig({ ...env, [EnvNames.outboxSweepGraceSeconds]: '-1' })).toThrow(
      ConfigurationError,
    );
  });
});

describe('outbox sweeper handler', () => {
  it('returns the report of the run', async () => {
    const { outbox, deps } = setup();
    for (const event of stale(2)) outbox.add(event);
    const handler = createOutboxSweeperHandler(
      async () => ({ dependencies: deps, settings }),
      quietObservability(),
    );

    const report = await handler(
      {} as Parameters<typeof handler>[0],
      lambdaContext({ getRemainingTimeInMillis: () => 50_000 }),
    );

    expect(report).toMatchObject({ stranded: 2, published: 2, deleted: 2 });
  });
});
