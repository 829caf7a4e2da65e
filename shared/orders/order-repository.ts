import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { EventEnvelope } from '../contracts';
import { BreakwaterError, ConfigurationError } from '../errors';
import { toOutboxItem } from '../outbox/outbox-item';
import { type Order, OrderStatus, type OrderStatusValue, orderSchema } from './order';

/** A requested status change, caused by event `eventId`. */
export interface StatusChange {
  readonly orderId: string;
  readonly to: OrderStatusValue;
  readonly paymentId?: string;
  readonly eventId: string;
  readonly at: Date;
}

/** What a status change did: applied, or not because the order was already past `PENDING_PAYMENT`, or missing. */
export type StatusChangeResult =
  | { readonly outcome: 'applied'; readonly order: Order }
  | { readonly outcome: 'unchanged'; readonly currentStatus: OrderStatusValue }
  | { readonly outcome: 'not-found' };

/** `create` found an order with this id in the table already (nothing was written). */
export class OrderAlreadyExistsError extends BreakwaterError {
  public constructor(public readonly orderId: string) {
    super(`order ${orderId} already exists`);
    this.name = 'OrderAlreadyExistsError';
  }
}

/** The orders store, as use-cases see it. */
export interface OrderRepository {
  /**
   * Writes a new order and the outbox item holding its event, atomically; throws `OrderAlreadyExistsError` (and
   * writes neither) when an order with its id exists.
   */
  create(order: Order, event: EventEnvelope): Promise<void>;
  /** Reads an order (strongly consistent: this is the source of truth). */
  get(orderId: string): Promise<Order | undefined>;
  /** Moves an order out of `PENDING_PAYMENT`; never touches an order in any other status. */
  changeStatus(change: StatusChange): Promise<StatusChangeResult>;
}

/** Table names of the repository. */
export interface OrderTables {
  readonly ordersTableName: string;
  /** Needed by `create` only (the orders API); consumers that only change statuses leave it out. */
  readonly outboxTableName?: string;
}

/**
 * The single transaction of the transactional outbox: the order and the outbox item holding its event are written
 * together or not at all, each only if its key is new.
 */
export const buildCreateOrderTransaction = (
  order: Order,
  event: EventEnvelope,
  { ordersTableName, outboxTableName }: Required<OrderTables>,
): TransactWriteCommandInput => ({
  TransactItems: [
    {
      Put: {
        TableName: ordersTableName,
        Item: { pk: order.orderId, ...order },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: outboxTableName,
        Item: { ...toOutboxItem(event) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ],
});

/**
 * The conditional update of a status change: only from `PENDING_PAYMENT` (so a final status never regresses and a
 * duplicate or late event changes nothing), bumping `statusVersion`.
 */
export const buildStatusChangeUpdate = (
  change: StatusChange,
  ordersTableName: string,
): UpdateCommandInput => {
  const setPayment = change.paymentId === undefined ? '' : ', paymentId = :paymentId';
  return {
    TableName: ordersTableName,
    Key: { pk: change.orderId },
    UpdateExpression: `SET #status = :to, updatedAt = :at, lastStatusEventId = :eventId${setPayment} ADD statusVersion :one`,
    ConditionExpression: 'attribute_exists(pk) AND #status = :from',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':to': change.to,
      ':from': OrderStatus.pendingPayment,
      ':at': change.at.toISOString(),
      ':eventId': change.eventId,
      ':one': 1,
      ...(change.paymentId === undefined ? {} : { ':paymentId': change.paymentId }),
    },
    ReturnValues: 'ALL_NEW',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
};

const toOrder = (item: Record<string, unknown>): Order => orderSchema.parse(item);

/** `OrderRepository` over DynamoDB (document client). */
export class DynamoDbOrderRepository implements OrderRepository {
  readonly #client: DynamoDBDocumentClient;
  readonly #tables: OrderTables;

  public constructor(client: DynamoDBDocumentClient, tables: OrderTables) {
    this.#client = client;
    this.#tables = tables;
  }

  public async create(order: Order, event: EventEnvelope): Promise<void> {
    const { ordersTableName, outboxTableName } = this.#tables;
    if (outboxTableName === undefined) {
      throw new ConfigurationError('this order repository has no outbox table: it cannot create orders');
    }
    try {
      await this.#client.send(
        new TransactWriteCommand(
          buildCreateOrderTransaction(order, event, { ordersTableName, outboxTableName }),
        ),
      );
    } catch (error) {
      // The order's Put comes first in the transaction: its reason says whether the order was there already.
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      ) {
        throw new OrderAlreadyExistsError(order.orderId);
      }
      throw error;
    }
  }

  public async get(orderId: string): Promise<Order | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({ TableName: this.#tables.ordersTableName, Key: { pk: orderId }, ConsistentRead: true }),
    );
    return Item === undefined ? undefined : toOrder(Item);
  }

  public async changeStatus(change: StatusChange): Promise<StatusChangeResult> {
    try {
      const { Attributes } = await this.#client.send(
        new UpdateCommand(buildStatusChangeUpdate(change, this.#tables.ordersTableName)),
      );
      return { outcome: 'applied', order: toOrder(Attributes ?? {}) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // The document client does not unmarshall the old item carried by the error: read the one attribute we need.
      const currentStatus = error.Item?.status?.S as OrderStatusValue | undefined;
      return currentStatus === undefined ? { outcome: 'not-found' } : { outcome: 'unchanged', currentStatus };
    }
  }
}
