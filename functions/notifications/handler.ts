import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  type EventProcessor,
  eventConsumerHandler,
  productionFailureHandling,
  type QueueFailureHandling,
} from '../../shared/batch/event-consumer';
import {
  dynamoDbPersistence,
  makeEventIdempotent,
  type PersistenceStoreFactory,
} from '../../shared/idempotency';
import {
  createObservability,
  type Log,
  type MetricsRecorder,
  MetricUnit,
  type Observability,
} from '../../shared/middleware/observability';
import { once } from '../../shared/runtime/once';
import { loadNotificationsConfig } from './config';
import { type NotificationSender, notificationEventTypes, notify } from './core';

const observability = createObservability('notifications');
const { tracer } = observability;

type NotifyingType = (typeof notificationEventTypes)[number];

/**
 * The "sender" of this reference system: one structured log line per notification (no body: it may hold personal
 * data) and a `NotificationsSent` metric. A real channel (SES, SNS) replaces it behind the same type.
 */
export const logSender =
  (log: Log, metrics: MetricsRecorder): NotificationSender =>
  async (notification) => {
    log.info('notification sent', {
      notificationKind: notification.kind,
      orderId: notification.orderId,
      eventId: notification.eventId,
      subject: notification.subject,
    });
    metrics.addMetric('NotificationsSent', MetricUnit.Count, 1);
  };

/** What the processor needs: the metrics of the log sender, or another channel. */
export interface NotificationsProcessorDependencies {
  readonly metrics: MetricsRecorder;
  /** Default: `logSender` over the record's logger. */
  readonly send?: NotificationSender;
}

/**
 * The notifications per-event processor, idempotent on the event id in the idempotency table (DynamoDB), like
 * every other consumer: a Redis outage changes nothing for it, and a repeat never sends twice.
 */
export const notificationsProcessor = (
  { send, metrics }: NotificationsProcessorDependencies,
  {
    persistenceStore,
    expiresAfterSeconds,
  }: { persistenceStore: PersistenceStoreFactory; expiresAfterSeconds: number },
): EventProcessor<NotifyingType> =>
  makeEventIdempotent((event, _context, log) => notify(event, { send: send ?? logSender(log, metrics) }), {
    keyPrefix: 'notifications.send',
    persistenceStore,
    expiresAfterSeconds,
  });

const productionProcessor = once(async () => {
  const config = loadNotificationsConfig();
  return notificationsProcessor(
    { metrics: observability.metrics },
    {
      persistenceStore: dynamoDbPersistence(
        config.idempotencyTableName,
        tracer.captureAWSv3Client(new DynamoDBClient({})),
      ),
      expiresAfterSeconds: config.idempotencyTtlSeconds,
    },
  );
});

/** Builds the notifications handler around its processor (tests pass one over in-memory ports). */
export const createNotificationsHandler = (
  processor: () => Promise<EventProcessor<NotifyingType>>,
  obs: Observability = observability,
  failures: QueueFailureHandling = {},
) => eventConsumerHandler({ types: notificationEventTypes, processor, observability: obs, ...failures });

/** Lambda entry point: SQS (EventBridge `order.created`, `payment.*`) → one notification per event. */
export const handler = createNotificationsHandler(
  productionProcessor,
  observability,
  productionFailureHandling(tracer.captureAWSv3Client(new SQSClient({}))),
);
