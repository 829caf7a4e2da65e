import { type EventOfType, EventTypes } from '../../shared/contracts';
import { BreakwaterError } from '../../shared/errors';
import { describeError, type Log } from '../../shared/middleware/observability';
import { type DedupeStore, dedupeKey } from '../../shared/redis/dedupe';

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

/** Another run is sending this event's notification right now; the record is retried later. */
export class NotificationInFlightError extends BreakwaterError {
  public constructor(eventId: string) {
    super(`the notification of event ${eventId} is being sent by another run`);
    this.name = 'NotificationInFlightError';
  }
}

/** What the notifications use-case needs. */
export interface NotificationsDependencies {
  readonly dedupe: DedupeStore;
  readonly send: NotificationSender;
  /** How long a sent event is remembered. */
  readonly dedupeTtlSeconds: number;
}

/** What became of an event. */
export type NotifyOutcome =
  | { readonly outcome: 'sent'; readonly kind: Notification['kind'] }
  | { readonly outcome: 'duplicate' };

/**
 * Sends the notification of an event once across all containers (Redis `SET NX EX` on
 * `dedupe:notifications:<eventId>`): claimed for the run's remaining time, marked done for the TTL after sending.
 * Redis being unreachable fails the record (retried later) rather than risk sending twice.
 */
export const notify = async (
  event: NotifyingEvent,
  { dedupe, send, dedupeTtlSeconds }: NotificationsDependencies,
  remainingSeconds: number,
  log: Log,
): Promise<NotifyOutcome> => {
  const key = dedupeKey('notifications', event.id);
  const claim = await dedupe.claim(key, Math.max(1, remainingSeconds));
  if (claim === 'done') {
    log.info('notification already sent; duplicate event dropped', { eventId: event.id });
    return { outcome: 'duplicate' };
  }
  if (claim === 'in-flight') throw new NotificationInFlightError(event.id);

  const notification = buildNotification(event);
  try {
    await send(notification);
  } catch (error) {
    // Let the retry claim it again instead of waiting for the claim to lapse.
    await dedupe
      .release(key)
      .catch((releaseError: unknown) =>
        log.warn('could not release the dedupe claim', { key, ...describeError(releaseError) }),
      );
    throw error;
  }
  await dedupe.complete(key, dedupeTtlSeconds);
  return { outcome: 'sent', kind: notification.kind };
};
