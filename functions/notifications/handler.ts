import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type EventProcessor, eventConsumerHandler } from '../../shared/batch/event-consumer';
import { productionRetryScheduler, type RetryScheduler } from '../../shared/batch/retry-schedule';
import {
  createObservability,
  type Log,
  type MetricsRecorder,
  MetricUnit,
  type Observability,
} from '../../shared/middleware/observability';
import { redisClientFromSecret } from '../../shared/redis/client';
import { RedisDedupeStore } from '../../shared/redis/dedupe';
import { once } from '../../shared/runtime/once';
import { redisSecretReader, secretsManagerSource } from '../../shared/secrets';
import { loadNotificationsConfig } from './config';
import {
  type NotificationSender,
  type NotificationsDependencies,
  notificationEventTypes,
  notify,
} from './core';

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

/** What the processor needs: the use-case's ports, with the log sender as the default channel. */
export interface NotificationsProcessorDependencies extends Omit<NotificationsDependencies, 'send'> {
  readonly metrics: MetricsRecorder;
  /** Default: `logSender` over the record's logger. */
  readonly send?: NotificationSender;
}

/** The notifications per-event processor (deduplicated in Redis by `notify`, not by Powertools idempotency). */
export const notificationsProcessor =
  ({ send, metrics, ...deps }: NotificationsProcessorDependencies): EventProcessor<NotifyingType> =>
  (event, context, log) =>
    notify(
      event,
      { ...deps, send: send ?? logSender(log, metrics) },
      Math.ceil(context.getRemainingTimeInMillis() / 1000),
      log,
    );

const productionProcessor = once(async () => {
  const config = loadNotificationsConfig();
  const secrets = secretsManagerSource(tracer.captureAWSv3Client(new SecretsManagerClient({})));
  const redis = redisClientFromSecret(config.redisSecretId, redisSecretReader({ source: secrets }), {
    timeoutMs: config.redisTimeoutMs,
  });
  return notificationsProcessor({
    dedupe: new RedisDedupeStore(redis),
    dedupeTtlSeconds: config.dedupeTtlSeconds,
    metrics: observability.metrics,
  });
});

/** Builds the notifications handler around its processor (tests pass one over in-memory ports). */
export const createNotificationsHandler = (
  processor: () => Promise<EventProcessor<NotifyingType>>,
  obs: Observability = observability,
  retryScheduler?: RetryScheduler,
) => eventConsumerHandler({ types: notificationEventTypes, processor, observability: obs, retryScheduler });

/** Lambda entry point: SQS (EventBridge `order.created`, `payment.*`) → one notification per event. */
export const handler = createNotificationsHandler(
  productionProcessor,
  observability,
  productionRetryScheduler(process.env, tracer.captureAWSv3Client(new SQSClient({}))),
);
