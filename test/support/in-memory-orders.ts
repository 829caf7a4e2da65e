import type { EventEnvelope } from '../../shared/contracts';
import {
  canTransition,
  type Order,
  OrderAlreadyExistsError,
  type OrderRepository,
  OrderStatus,
  type StatusChange,
  type StatusChangeResult,
} from '../../shared/orders';

/**
 * `OrderRepository` over Maps, with the DynamoDB repository's semantics: create writes the order and its outbox
 * event together (or neither), status changes only leave `PENDING_PAYMENT`. The DynamoDB version runs against a real
 * engine in the integration tests.
 */
export class InMemoryOrderRepository implements OrderRepository {
  public readonly orders = new Map<string, Order>();
  public readonly outbox = new Map<string, EventEnvelope>();
  /** When set, every call rejects with this error. */
  public failWith: Error | undefined;
  public reads = 0;

  public async create(order: Order, event: EventEnvelope): Promise<void> {
    this.#check();
    if (this.orders.has(order.orderId)) throw new OrderAlreadyExistsError(order.orderId);
    if (this.outbox.has(event.id)) {
      throw new Error('TransactionCanceledException: ConditionalCheckFailed');
    }
    this.orders.set(order.orderId, structuredClone(order));
    this.outbox.set(event.id, structuredClone(event));
  }

  public async get(orderId: string): Promise<Order | undefined> {
    this.#check();
    this.reads += 1;
    const order = this.orders.get(orderId);
    return order === undefined ? undefined : structuredClone(order);
  }

  public async changeStatus(change: StatusChange): Promise<StatusChangeResult> {
    this.#check();
    const order = this.orders.get(change.orderId);
    if (order === undefined) return { outcome: 'not-found' };
    if (order.status !== OrderStatus.pendingPayment || !canTransition(order.status, change.to)) {
      return { outcome: 'unchanged', currentStatus: order.status };
    }
    const updated: Order = {
      ...order,
      status: change.to,
      updatedAt: change.at.toISOString(),
      statusVersion: order.statusVersion + 1,
      ...(change.paymentId === undefined ? {} : { paymentId: change.paymentId }),
    };
    this.orders.set(order.orderId, updated);
    return { outcome: 'applied', order: structuredClone(updated) };
  }

  #check(): void {
    if (this.failWith !== undefined) throw this.failWith;
  }
}
