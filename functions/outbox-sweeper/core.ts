import type { EventEnvelope } from '../../shared/contracts';
import type { EventPublisher } from '../../shared/events/publisher';
import { describeError, type Log } from '../../shared/middleware/observability';
import { type OutboxScanCursor, parseOutboxItem, type SweepableOutboxStore } from '../../shared/outbox';

/** What the sweeper needs. */
export interface OutboxSweeperDependencies {
  readonly outbox: SweepableOutboxStore;
  readonly publisher: Pick<EventPublisher, 'publishAll'>;
  readonly log: Log;
  /** Default: the clock. */
  readonly now?: () => Date;
}

/** Bounds of one run. */
export interface OutboxSweepSettings {
  /** Seconds an item must have waited (by its `createdAt`) before it is swept. */
  readonly graceSeconds: number;
  /** Stranded items handled per run at most; the rest waits for the next run. */
  readonly maxItems: number;
  /** A run starts no new page when fewer milliseconds than this remain. */
  readonly safetyMarginMs: number;
  /** Items a Scan page reads (before filtering). Default 100. */
  readonly pageSize?: number;
}

/** Why a run stopped. */
export type OutboxSweepStop = 'table-read' | 'max-items' | 'time';

/** What one run did. */
export interface OutboxSweepReport {
  /** Items older than the grace period: the stream publisher did not publish them. */
  readonly stranded: number;
  /** Their events that EventBridge accepted. */
  readonly published: number;
  /** Items deleted by the sweeper; `alreadyGone` ones had been deleted meanwhile (by the stream publisher). */
  readonly deleted: number;
  readonly alreadyGone: number;
  /** Items left in the table: rejected by EventBridge, unreadable, or whose delete failed. */
  readonly failed: number;
  readonly stoppedBy: OutboxSweepStop;
}

interface Tally {
  stranded: number;
  published: number;
  deleted: number;
  alreadyGone: number;
  failed: number;
}

/**
 * Finds outbox items older than the grace period, publishes their events in PutEvents batches (through the shared
 * publisher, which also retries rejected entries) and deletes each item only once its event was accepted. Work is
 * bounded: at most `maxItems` items, and no new page when the remaining time falls under the safety margin.
 *
 * Publishing an event the stream publisher also published (it was merely slow, or it published and failed before
 * its delete) is harmless: the event keeps its id, every consumer is idempotent on that id, so the duplicate is
 * dropped. The delete is conditional on the item existing, so a concurrent delete by the publisher is no error.
 * An item that stays unpublished is simply found again by the next run: nothing is removed before it is on the bus.
 */
export const sweepOutbox = async (
  { outbox, publisher, log, now = () => new Date() }: OutboxSweeperDependencies,
  settings: OutboxSweepSettings,
  remainingMs: () => number,
): Promise<OutboxSweepReport> => {
  const cutoff = new Date(now().getTime() - settings.graceSeconds * 1000);
  const tally: Tally = { stranded: 0, published: 0, deleted: 0, alreadyGone: 0, failed: 0 };
  let cursor: OutboxScanCursor | undefined;
  for (;;) {
    if (remainingMs() < settings.safetyMarginMs) return { ...tally, stoppedBy: 'time' };
    const room = settings.maxItems - tally.stranded;
    if (room <= 0) return { ...tally, stoppedBy: 'max-items' };
    const page = await outbox.scanOlderThan(cutoff.toISOString(), {
      pageSize: settings.pageSize ?? 100,
      cursor,
    });
    // The scan filters already; the check here keeps the grace period a property of the core, whatever the store.
    const old = page.items.filter(
      (item) => typeof item.createdAt === 'string' && Date.parse(item.createdAt) < cutoff.getTime(),
    );
    const taken = old.slice(0, room);
    tally.stranded += taken.length;
    const events: EventEnvelope[] = [];
    for (const item of taken) {
      try {
        events.push(parseOutboxItem(item.pk, item.event));
      } catch (error) {
        tally.failed += 1;
        log.error('stranded outbox item is unreadable', {
          outboxKey: String(item.pk),
          ...describeError(error),
        });
      }
    }
    await publishAndDelete(events, { outbox, publisher, log }, tally);
    if (taken.length < old.length) return { ...tally, stoppedBy: 'max-items' };
    cursor = page.next;
    if (cursor === undefined) return { ...tally, stoppedBy: 'table-read' };
  }
};

const publishAndDelete = async (
  events: readonly EventEnvelope[],
  { outbox, publisher, log }: Pick<OutboxSweeperDependencies, 'outbox' | 'publisher' | 'log'>,
  tally: Tally,
): Promise<void> => {
  if (events.length === 0) return;
  const report = await publisher.publishAll(events);
  for (const failure of report.failed) {
    tally.failed += 1;
    log.warn('stranded outbox event not published; kept for the next run', {
      eventId: failure.eventId,
      eventType: failure.eventType,
      errorCode: failure.errorCode,
      attempts: failure.attempts,
    });
  }
  tally.published += report.published.length;
  // Only accepted events reach this point: an item is never deleted before its event is on the bus.
  await Promise.all(
    report.published.map(async (eventId) => {
      try {
        const outcome = await outbox.delete(eventId);
        if (outcome === 'deleted') tally.deleted += 1;
        else tally.alreadyGone += 1;
      } catch (error) {
        // Published but still in the table: the next run publishes it again, which consumers absorb.
        tally.failed += 1;
        log.warn('published outbox item not deleted; the next run repeats it', {
          eventId,
          ...describeError(error),
        });
      }
    }),
  );
};
