import { type EventOfType, EventTypes } from '../../shared/contracts';

/** The events that notify a customer. */
export const notificationEventTypes = [
  EventTypes.orderCreated,
  EventTypes.paymentSucceeded,
  EventTypes.paymentFailed,
] as const;
/** An event that notifies a customer, with its typed data. */
export type NotifyingEvent = EventOfType<(typeof notificationEventTypes)[number]>;

/** A message to a customer, ready to send. */
export interface Notification {
  readonly kind: 'order-confirmation' | 'payment-receipt' | 'payment-problem';
  readonly orderId: string;
  /** Known for `order.created`; payment events name the order only (the sender resolves the customer). */
  readonly customerId?: string;
  readonly subject: string;
  readonly body: string;
  /** The event that caused it: the dedupe key and the trace back. */
  readonly eventId: string;
}

const money = (cents: number, currency: string): string => `${(cents / 100).toFixed(2)} ${currency}`;

/** Builds the notification an event calls for. Pure. */
export const buildNotification = (event: NotifyingEvent): Notification => {
  switch (event.type) {
    case EventTypes.orderCreated: {
      const { orderId, customerId, items, totalCents, currency } = event.data;
      const count = items.reduce((sum, item) => sum + item.quantity, 0);
      return {
        kind: 'order-confirmation',
        orderId,
        customerId,
        subject: `We received your order ${orderId}`,
        body: `${count} item(s), ${money(totalCents, currency)}. We will let you know when the payment goes through.`,
        eventId: event.id,
      };
    }
    case EventTypes.paymentSucceeded:
      return {
        kind: 'payment-receipt',
        orderId: event.data.orderId,
        subject: `Payment received for order ${event.data.orderId}`,
        body: `We charged ${money(event.data.amountCents, event.data.currency)} (payment ${event.data.paymentId}).`,
        eventId: event.id,
      };
    case EventTypes.paymentFailed:
      return {
        kind: 'payment-problem',
        orderId: event.data.orderId,
        subject: `Payment for order ${event.data.orderId} did not go through`,
        body:
          event.data.reason === 'declined'
            ? 'Your card was declined. Please try another payment method.'
            : 'We could not process the payment. Please contact support.',
        eventId: event.id,
      };
  }
};

/** Delivers a notification (production: a structured log line and a metric). */
export type NotificationSender = (notification: Notification) => Promise<void>;

/** What the notifications use-case needs. */
export interface NotificationsDependencies {
  readonly send: NotificationSender;
}

/** What became of an event (stored by idempotency, returned for repeats). */
export interface NotifyOutcome {
  readonly outcome: 'sent';
  readonly kind: Notification['kind'];
}

/**
 * Sends the notification an event calls for. Run it through `makeEventIdempotent` (the handler does): the event id
 * is then claimed in the idempotency table (DynamoDB) before the send and marked done after it, so a duplicate
 * delivery, a redrive or a replay never sends twice, and nothing here depends on Redis.
 */
export const notify = async (
  event: NotifyingEvent,
  { send }: NotificationsDependencies,
): Promise<NotifyOutcome> => {
  const notification = buildNotification(event);
  await send(notification);
  return { outcome: 'sent', kind: notification.kind };
};
