import { type OrderItem, orderItemSchema } from '../contracts';
import * as z from '../contracts/zod';
import { ContractError } from '../errors';

/** Order statuses. `PENDING_PAYMENT` moves once, to `PAID` or `PAYMENT_FAILED`; neither ever changes again. */
export const OrderStatus = {
  pendingPayment: 'PENDING_PAYMENT',
  paid: 'PAID',
  paymentFailed: 'PAYMENT_FAILED',
} as const;

/** One of `OrderStatus`. */
export type OrderStatusValue = (typeof OrderStatus)[keyof typeof OrderStatus];

/** An order as stored in the orders table (keyed by `pk` = orderId) and as the API returns it. */
export const orderSchema = z.object({
  orderId: z.string().check(z.minLength(1)),
  customerId: z.string().check(z.minLength(1)),
  items: z.array(orderItemSchema).check(z.minLength(1)),
  totalCents: z.int().check(z.nonnegative()),
  // As stored: the API checks new orders against ISO 4217; a read never fails on what was once accepted.
  currency: z.string().check(z.length(3)),
  status: z.enum([OrderStatus.pendingPayment, OrderStatus.paid, OrderStatus.paymentFailed]),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  paymentId: z.optional(z.string().check(z.minLength(1))),
  /** Incremented by every status change: readers can tell which of two copies is newer. */
  statusVersion: z.int().check(z.nonnegative()),
  /**
   * The IAM principal that created the order (see `functions/orders-api/principal.ts`): only it, and the configured
   * reader, may read the order. Orders written before it was recorded have none and are readable by the reader only.
   */
  ownerPrincipal: z.optional(z.string().check(z.minLength(1))),
});

/** An order (see `orderSchema`). */
export type Order = z.infer<typeof orderSchema>;

/** The total of an order in cents. Throws `ContractError` when it cannot be represented exactly. */
export const computeTotalCents = (items: readonly OrderItem[]): number => {
  const total = items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);
  if (!Number.isSafeInteger(total)) {
    throw new ContractError('order total is too large');
  }
  return total;
};

/** The statuses an order may move to from `from` (none from a final status). */
export const allowedTransitions: Readonly<Record<OrderStatusValue, readonly OrderStatusValue[]>> = {
  [OrderStatus.pendingPayment]: [OrderStatus.paid, OrderStatus.paymentFailed],
  [OrderStatus.paid]: [],
  [OrderStatus.paymentFailed]: [],
};

/** True when an order in status `from` may move to `to`. */
export const canTransition = (from: OrderStatusValue, to: OrderStatusValue): boolean =>
  allowedTransitions[from].includes(to);
