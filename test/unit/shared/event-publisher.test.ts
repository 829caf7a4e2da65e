import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../shared/contracts';
import {
  PUT_EVENTS_MAX_BYTES,
  planBatches,
  putEventsEntrySize,
  toPutEventsEntry,
} from '../../../shared/events/entries';
import { EventPublishError, EventPublisher } from '../../../shared/events/publisher';
import { orderCreatedEvent } from '../../support/events';
import { FakeEventBridge } from '../../support/fake-event-bridge';

const events = (count: number): EventEnvelope[] => Array.from({ length: count }, () => orderCreatedEvent());

/** An event whose entry is about `bytes` long (the padding goes into a SKU list). */
const eventOfSize = (bytes: number): EventEnvelope => {
  const base = orderCreatedEvent();
  const baseSize = putEventsEntrySize(toPutEventsEntry(base, 'bus'));
  const pad = 'x'.repeat(Math.max(0, bytes - baseSize));
  return { ...base, data: { ...(base.data as object), note: pad } } as EventEnvelope;
};

const publisherOver = (bus: FakeEventBridge, delays: number[] = []) =>
  new EventPublisher({
    client: bus,
    eventBusName: 'breakwater',
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 1,
  });

describe('PutEvents entries', () => {
  it('maps an envelope to Source, DetailType, Detail (the whole envelope), bus and Time', () => {
    const event = orderCreatedEvent();
    expect(toPutEventsEntry(event, 'breakwater')).toEqual({
      EventBusName: 'breakwater',
      Source: 'breakwater.orders',
      DetailType: 'order.created',
      Detail: JSON.stringify(event),
      Time: new Date(event.occurredAt),
    });
  });

  it('counts sizes like EventBridge: Time 14 bytes + UTF-8 of Source, DetailType, Detail, Resources', () => {
    const entry = {
      Source: 'src',
      DetailType: 'dt',
      Detail: '{"a":"é"}',
      Resources: ['arn:x'],
      Time: new Date(),
      EventBusName: 'not counted',
    };
    expect(putEventsEntrySize(entry)).toBe(14 + 3 + 2 + 10 + 5);
    expect(putEventsEntrySize({ Source: 'src' })).toBe(3);
  });

  it('plans batches by count and by size, keeping order', () => {
    const limits = { maxEntries: 3, maxBytes: 100 };
    expect(planBatches([1, 2, 3, 4, 5, 6, 7], () => 1, limits)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(planBatches([60, 30, 20, 100, 1], (n) => n, limits)).toEqual([[60, 30], [20], [100], [1]]);
    expect(planBatches([], () => 1, limits)).toEqual([]);
  });
});

describe('EventPublisher', () => {
  it('publishes 25 events in 3 calls of at most 10 entries', async () => {
    const bus = new FakeEventBridge();
    const batch = events(25);
    await publisherOver(bus).publish(batch);

    expect(bus.calls.map((call) => call.length)).toEqual([10, 10, 5]);
    expect(bus.acceptedEventIds()).toEqual(batch.map((event) => event.id));
  });

  it('splits by size so no call exceeds 256 KB', async () => {
    const bus = new FakeEventBridge();
    const batch = [eventOfSize(100_000), eventOfSize(100_000), eventOfSize(100_000), eventOfSize(1_000)];
    await publisherOver(bus).publish(batch);

    const callSizes = bus.calls.map((call) =>
      call.reduce((sum, entry) => sum + putEventsEntrySize(entry), 0),
    );
    expect(bus.calls.map((call) => call.length)).toEqual([2, 2]);
    for (const size of callSizes) expect(size).toBeLessThanOrEqual(PUT_EVENTS_MAX_BYTES);
  });

  it('retries only the entries that failed, with growing backoff', async () => {
    const bus = new FakeEventBridge();
    const batch = events(5);
    const flaky = new Set([batch[1]?.id, batch[3]?.id]);
    // Entries 1 and 3 are throttled on the first two calls that carry them.
    bus.entryRule = (entry, call) =>
      call <= 2 && flaky.has(JSON.parse(entry.Detail ?? '{}').id) ? 'ThrottlingException' : undefined;
    const delays: number[] = [];
    await publisherOver(bus, delays).publish(batch);

    expect(bus.calls.map((call) => call.length)).toEqual([5, 2, 2]);
    expect(new Set(bus.acceptedEventIds())).toEqual(new Set(batch.map((event) => event.id)));
    expect(bus.accepted).toHaveLength(5);
    expect(delays).toEqual([100, 200]);
  });

  it('retries a whole call that throws', async () => {
    const bus = new FakeEventBridge();
    bus.callFailure = (call) =>
      call === 1 ? Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }) : undefined;
    const batch = events(3);
    await publisherOver(bus).publish(batch);

    expect(bus.calls.map((call) => call.length)).toEqual([3, 3]);
    expect(bus.accepted).toHaveLength(3);
  });

  it('gives up after the bounded attempts and names what failed (typed error), publishing the rest', async () => {
    const bus = new FakeEventBridge();
    const batch = events(3);
    const doomed = batch[2]?.id;
    bus.entryRule = (entry) =>
      JSON.parse(entry.Detail ?? '{}').id === doomed ? 'InternalFailure' : undefined;
    const publisher = publisherOver(bus);

    const error = await publisher.publish(batch).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EventPublishError);
    expect((error as EventPublishError).failures).toEqual([
      expect.objectContaining({ eventId: doomed, errorCode: 'InternalFailure', attempts: 4 }),
    ]);
    expect((error as EventPublishError).published).toEqual([batch[0]?.id, batch[1]?.id]);
    expect(bus.calls).toHaveLength(4);
  });

  it('reports an entry larger than 256 KB at once, without sending it', async () => {
    const bus = new FakeEventBridge();
    const huge = eventOfSize(PUT_EVENTS_MAX_BYTES + 1);
    const small = orderCreatedEvent();
    const report = await publisherOver(bus).publishAll([huge, small]);

    expect(report.published).toEqual([small.id]);
    expect(report.failed).toEqual([
      expect.objectContaining({ eventId: huge.id, errorCode: 'EntryTooLarge', attempts: 0 }),
    ]);
    expect(bus.calls).toEqual([[expect.objectContaining({ DetailType: 'order.created' })]]);
  });

  it('does not call EventBridge for nothing', async () => {
    const bus = new FakeEventBridge();
    expect(await publisherOver(bus).publishAll([])).toEqual({ published: [], failed: [] });
    expect(bus.calls).toEqual([]);
  });
});
