import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DeleteCommandInput,
  type DynamoDBDocumentClient,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';

/** What deleting an outbox item did: deleted it, or found it already gone (a duplicate stream record). */
export type OutboxDeleteOutcome = 'deleted' | 'already-gone';

/** The outbox table, as the publisher sees it. */
export interface OutboxStore {
  /** Deletes the item of a published event. */
  delete(eventId: string): Promise<OutboxDeleteOutcome>;
}

/** An outbox item as a scan returns it: attributes unchecked (the sweeper parses the event itself). */
export interface ScannedOutboxItem {
  readonly pk: unknown;
  readonly event: unknown;
  readonly createdAt: unknown;
}

/** Where a scan stopped; pass it back to continue. Opaque to callers. */
export type OutboxScanCursor = Readonly<Record<string, unknown>>;

/** One page of a scan for old outbox items. */
export interface OutboxScanPage {
  readonly items: readonly ScannedOutboxItem[];
  /** Undefined when the table has been read to its end. */
  readonly next: OutboxScanCursor | undefined;
}

/** The outbox table, as the sweeper sees it: it finds items older than a cutoff, then deletes them like the publisher. */
export interface SweepableOutboxStore extends OutboxStore {
  /**
   * Reads up to `pageSize` items of the table (before filtering) from `cursor` on, returning those created before
   * `createdBefore` (UTC ISO-8601).
   */
  scanOlderThan(
    createdBefore: string,
    page: { readonly pageSize: number; readonly cursor?: OutboxScanCursor | undefined },
  ): Promise<OutboxScanPage>;
}

/** The conditional delete of a published event's item: only an item that exists, so a repeat is visible. */
export const buildOutboxDelete = (eventId: string, outboxTableName: string): DeleteCommandInput => ({
  TableName: outboxTableName,
  Key: { pk: eventId },
  ConditionExpression: 'attribute_exists(pk)',
});

/**
 * The sweeper's scan: items whose `createdAt` (fixed-width UTC ISO-8601, so string order is time order) is before
 * the cutoff. A Scan rather than a query on an index: items live seconds, so the table holds a handful of items
 * unless the publisher is failing, and then nearly every item is one to sweep. A sparse GSI would need a constant
 * partition key (one hot partition taking every outbox write) and a second write per order for no fewer reads.
 */
export const buildOutboxSweepScan = (
  outboxTableName: string,
  createdBefore: string,
  pageSize: number,
  cursor?: OutboxScanCursor,
): ScanCommandInput => ({
  TableName: outboxTableName,
  FilterExpression: '#createdAt < :cutoff',
  ExpressionAttributeNames: { '#createdAt': 'createdAt' },
  ExpressionAttributeValues: { ':cutoff': createdBefore },
  Limit: pageSize,
  ...(cursor === undefined ? {} : { ExclusiveStartKey: { ...cursor } }),
});

/** `OutboxStore` (and the sweeper's scan) over DynamoDB (document client). */
export class DynamoDbOutboxStore implements SweepableOutboxStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  public constructor(client: DynamoDBDocumentClient, outboxTableName: string) {
    this.#client = client;
    this.#tableName = outboxTableName;
  }

  public async delete(eventId: string): Promise<OutboxDeleteOutcome> {
    try {
      await this.#client.send(new DeleteCommand(buildOutboxDelete(eventId, this.#tableName)));
      return 'deleted';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'already-gone';
      throw error;
    }
  }

  public async scanOlderThan(
    createdBefore: string,
    { pageSize, cursor }: { readonly pageSize: number; readonly cursor?: OutboxScanCursor | undefined },
  ): Promise<OutboxScanPage> {
    const output = await this.#client.send(
      new ScanCommand(buildOutboxSweepScan(this.#tableName, createdBefore, pageSize, cursor)),
    );
    const items = (output.Items ?? []).map((item) => ({
      pk: item.pk,
      event: item.event,
      createdAt: item.createdAt,
    }));
    return { items, next: output.LastEvaluatedKey };
  }
}
