import { BatchGetItemCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type DlqSummary, listDlqs, peekMessages, type ReplayClients } from '@breakwater/dlq';
import { GatewayAdminClient } from '../gateway/admin-client';
import type { LedgerEntry } from '../gateway/gateway-model';

/** Where the chaos suite finds the system: the local cloud's endpoints and the app's stack outputs. */
export interface ChaosTarget {
  readonly apiUrl: string;
  readonly edgeUrl: string;
  readonly region: string;
  readonly faultsUrl: string;
  readonly gatewayAdminUrl: string;
  readonly outputs: Readonly<Record<string, string>>;
}

/** The final statuses of an order. */
export const FINAL_STATUSES: ReadonlySet<string> = new Set(['PAID', 'PAYMENT_FAILED']);

const credentials = { accessKeyId: 'chaos', secretAccessKey: 'chaos' };

/** Order ids named in a text: an event (`"orderId":"…"`), or an event inside a JSON string (`\"orderId\":\"…\"`). */
export const orderIdsIn = (text: string): string[] =>
  [...text.matchAll(/orderId\\*"\s*:\s*\\*"([^"\\]+)/g)].map((match) => match[1] ?? '');

/**
 * Reads the sources of truth of a run: the orders table, the gateway's ledger, every DLQ, the outbox table and the
 * idempotency records of notifications sent; and the queues' depths for settling.
 */
export class SourcesOfTruth {
  public readonly dynamodb: DynamoDBClient;
  public readonly sqs: SQSClient;
  public readonly replayClients: ReplayClients;
  public readonly gateway: GatewayAdminClient;
  private readonly eventBridge: EventBridgeClient;

  public constructor(private readonly target: ChaosTarget) {
    const config = { endpoint: target.edgeUrl, region: target.region, credentials };
    this.dynamodb = new DynamoDBClient(config);
    this.sqs = new SQSClient({ ...config, useQueueUrlAsEndpoint: false });
    this.eventBridge = new EventBridgeClient(config);
    this.replayClients = { sqs: this.sqs, eventBridge: this.eventBridge };
    this.gateway = new GatewayAdminClient(target.gatewayAdminUrl);
  }

  public output(key: string): string {
    const value = this.target.outputs[key];
    if (value === undefined) throw new Error(`stack output ${key} not found`);
    return value;
  }

  /** Current status of each order (absent: not in the table), read consistently in batches of 100. */
  public async statuses(
    orderIds: readonly string[],
  ): Promise<Map<string, { status: string; customerId: string }>> {
    const table = this.output('OrdersTableName');
    const found = new Map<string, { status: string; customerId: string }>();
    const batches: string[][] = [];
    for (let i = 0; i < orderIds.length; i += 100) batches.push(orderIds.slice(i, i + 100));
    await Promise.all(
      batches.map(async (batch) => {
        let keys: Record<string, { S: string }>[] | undefined = batch.map((id) => ({ pk: { S: id } }));
        while (keys !== undefined && keys.length > 0) {
          const out = await this.dynamodb.send(
            new BatchGetItemCommand({
              RequestItems: {
                [table]: {
                  Keys: keys,
                  ConsistentRead: true,
                  ProjectionExpression: 'pk, #s, customerId',
                  ExpressionAttributeNames: { '#s': 'status' },
                },
              },
            }),
          );
          for (const item of out.Responses?.[table] ?? []) {
            found.set(item.pk?.S ?? '', {
              status: item.status?.S ?? '',
              customerId: item.customerId?.S ?? '',
            });
          }
          keys = out.UnprocessedKeys?.[table]?.Keys as Record<string, { S: string }>[] | undefined;
        }
      }),
    );
    return found;
  }

  /** Every item of a table (projected; only those whose `filter.attribute` contains its text), page by page. */
  private async scan(
    tableName: string,
    attributes: readonly string[],
    filter?: { readonly attribute: string; readonly prefix: string },
  ): Promise<Record<string, { S?: string }>[]> {
    const names: Record<string, string> = Object.fromEntries(
      attributes.map((name, index) => [`#a${index}`, name]),
    );
    if (filter !== undefined) names['#f'] = filter.attribute;
    const items: Record<string, { S?: string }>[] = [];
    let start: Record<string, never> | undefined;
    do {
      const out = await this.dynamodb.send(
        new ScanCommand({
          TableName: tableName,
          ProjectionExpression: attributes.map((_, index) => `#a${index}`).join(', '),
          ExpressionAttributeNames: names,
          ...(filter === undefined
            ? {}
            : {
                FilterExpression: 'contains(#f, :f)',
                ExpressionAttributeValues: { ':f': { S: filter.prefix } },
              }),
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      items.push(...((out.Items ?? []) as Record<string, { S?: string }>[]));
      start = out.LastEvaluatedKey as Record<string, never> | undefined;
    } while (start !== undefined);
    return items;
  }

  /** Orders in the table whose customer id starts with `prefix` (orders the driver never heard of included). */
  public async ordersWithCustomerPrefix(prefix: string): Promise<Map<string, string>> {
    const orders = new Map<string, string>();
    for (const item of await this.scan(this.output('OrdersTableName'), ['pk', 'customerId', 'status'])) {
      if ((item.customerId?.S ?? '').startsWith(prefix)) orders.set(item.pk?.S ?? '', item.status?.S ?? '');
    }
    return orders;
  }

  /** Order ids of the events still in the outbox table. */
  public async outboxOrderIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const item of await this.scan(this.output('OutboxTableName'), ['pk', 'event'])) {
      for (const id of orderIdsIn(item.event?.S ?? '')) ids.add(id);
    }
    return ids;
  }

  /** Notifications sent: completed idempotency records of the notifications consumer. */
  public async notificationsSent(): Promise<number> {
    const items = await this.scan(this.output('IdempotencyTableName'), ['id', 'status'], {
      attribute: 'id',
      prefix: 'notifications.send#',
    });
    return items.filter(
      (item) => (item.id?.S ?? '').includes('notifications.send#') && item.status?.S === 'COMPLETED',
    ).length;
  }

  public ledger(): Promise<LedgerEntry[]> {
    return this.gateway.ledger();
  }

  /** Every DLQ the DLQ tool finds, with its depth. */
  public dlqs(): Promise<DlqSummary[]> {
    return listDlqs(this.sqs, { peek: false });
  }

  /** Order ids named by the messages of every DLQ (peeked: left in place). */
  public async dlqOrderIds(dlqs: readonly DlqSummary[]): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const dlq of dlqs) {
      if (dlq.depth + dlq.inFlight === 0) continue;
      const messages = await peekMessages(this.sqs, dlq.queue, {
        max: dlq.depth + 10,
        receives: dlq.depth + 10,
        waitTimeSeconds: 0,
      });
      for (const message of messages) for (const id of orderIdsIn(message.body)) ids.add(id);
    }
    return ids;
  }

  /**
   * Messages of these DLQs the DLQ tool would replay: not the malformed ones it skips, nor those `planted` says the
   * suite put there on purpose.
   */
  public async replayableMessages(
    dlqs: readonly DlqSummary[],
    planted: (body: string) => boolean,
  ): Promise<number> {
    let count = 0;
    for (const dlq of dlqs) {
      const messages = await peekMessages(this.sqs, dlq.queue, {
        max: dlq.depth + 10,
        receives: dlq.depth + 10,
        waitTimeSeconds: 0,
      });
      count += messages.filter((message) => message.malformed === undefined && !planted(message.body)).length;
    }
    return count;
  }

  /** A line about each message left in the non-empty DLQs (queue, kind of message, reason), for the log. */
  public async describeDlqs(dlqs: readonly DlqSummary[]): Promise<string[]> {
    const lines: string[] = [];
    for (const dlq of dlqs) {
      if (dlq.depth + dlq.inFlight === 0) continue;
      const messages = await peekMessages(this.sqs, dlq.queue, { max: 5, receives: 5, waitTimeSeconds: 0 });
      for (const message of messages) {
        const reason = Object.entries(message.attributes)
          .filter(([name]) => name.startsWith('breakwater.failure'))
          .map(([name, value]) => `${name}=${value.StringValue ?? ''}`)
          .join(' ');
        lines.push(
          `${dlq.queue.name}: ${message.eventType ?? message.malformed ?? 'message'} ${message.errorCode ?? ''} ${reason} ${message.body.slice(0, 160)}`,
        );
      }
    }
    return lines;
  }

  /** URLs of the queues that are not DLQs (the consumers' sources). */
  public async sourceQueueUrls(dlqs: readonly DlqSummary[]): Promise<string[]> {
    const dlqUrls = new Set(dlqs.map((dlq) => dlq.queue.url));
    const urls: string[] = [];
    let next: string | undefined;
    do {
      const out = await this.sqs.send(
        new ListQueuesCommand({ ...(next === undefined ? {} : { NextToken: next }) }),
      );
      urls.push(...(out.QueueUrls ?? []));
      next = out.NextToken;
    } while (next !== undefined);
    return urls.filter((url) => !dlqUrls.has(url));
  }

  /** Visible plus in-flight messages over the given queues. */
  public async backlog(queueUrls: readonly string[]): Promise<number> {
    const depths = await Promise.all(
      queueUrls.map(async (url) => {
        const { Attributes = {} } = await this.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: [
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
              'ApproximateNumberOfMessagesDelayed',
            ],
          }),
        );
        return (
          Number(Attributes.ApproximateNumberOfMessages ?? 0) +
          Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
          Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
        );
      }),
    );
    return depths.reduce((sum, depth) => sum + depth, 0);
  }

  public close(): void {
    this.dynamodb.destroy();
    this.sqs.destroy();
    this.eventBridge.destroy();
  }
}
