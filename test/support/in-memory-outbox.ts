import type { EventEnvelope } from '../../shared/contracts';
import {
  type OutboxDeleteOutcome,
  type OutboxItem,
  type OutboxScanCursor,
  type OutboxScanPage,
  type SweepableOutboxStore,
  toOutboxItem,
} from '../../shared/outbox';

/**
 * The outbox table in memory, with the DynamoDB store's semantics: the scan reads `pageSize` items in key order
 * and then filters on `createdAt` (so a page may come back empty with a cursor), the delete is conditional.
 */
export class InMemoryOutboxTable implements SweepableOutboxStore {
  public readonly items = new Map<string, OutboxItem>();
  public readonly scans: { createdBefore: string; pageSize: number }[] = [];
  public readonly deletes: string[] = [];
  /** When set, `delete` of that event id throws it. */
  public deleteFailure: (eventId: string) => Error | undefined = () => undefined;

  /** Stores the item of `envelope` (its `createdAt` is the envelope's `occurredAt`). */
  public add(envelope: EventEnvelope): this {
    const item = toOutboxItem(envelope);
    this.items.set(item.pk, item);
    return this;
  }

  /** Stores a raw item (for unreadable ones). */
  public addRaw(item: OutboxItem): this {
    this.items.set(item.pk, item);
    return this;
  }

  public async delete(eventId: string): Promise<OutboxDeleteOutcome> {
    this.deletes.push(eventId);
    const failure = this.deleteFailure(eventId);
    if (failure !== undefined) throw failure;
    return this.items.delete(eventId) ? 'deleted' : 'already-gone';
  }

  public async scanOlderThan(
    createdBefore: string,
    { pageSize, cursor }: { readonly pageSize: number; readonly cursor?: OutboxScanCursor | undefined },
  ): Promise<OutboxScanPage> {
    this.scans.push({ createdBefore, pageSize });
    const keys = [...this.items.keys()].sort();
    const after = typeof cursor?.pk === 'string' ? cursor.pk : undefined;
    const read = keys.filter((key) => after === undefined || key > after).slice(0, pageSize);
    const last = read.at(-1);
    const more = last !== undefined && keys.some((key) => key > last);
    return {
      items: read
        .map((key) => this.items.get(key))
        .filter((item): item is OutboxItem => item !== undefined && item.createdAt < createdBefore),
      next: more ? { pk: last } : undefined,
    };
  }
}
