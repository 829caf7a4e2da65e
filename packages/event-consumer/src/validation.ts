import { Duration } from 'aws-cdk-lib';
import type { EventPattern } from 'aws-cdk-lib/aws-events';
import { EventConsumerConfigurationError } from './errors.js';
import { QueueDefaults } from './queues.js';

/** The settings of an event consumer after defaults are applied: what the validation rules check. */
export interface ResolvedConsumerSettings {
  readonly consumerName: string;
  readonly eventPattern: EventPattern;
  readonly timeout: Duration;
  readonly batchSize: number;
  readonly maxBatchingWindow: Duration;
  readonly maxConcurrency: number;
  readonly maxReceiveCount: number;
  readonly queueRetention: Duration;
  readonly visibilityTimeout: Duration;
  readonly deadLetterAlarmAge: Duration;
  readonly targetMaxEventAge: Duration;
  readonly targetRetryAttempts: number;
}

/** Limits of the Lambda SQS event source mapping. */
const EsmLimits = {
  maxBatchSizeWithoutWindow: 10,
  maxBatchSize: 10_000,
  maxBatchingWindow: Duration.minutes(5),
  minConcurrency: 2,
  maxConcurrency: 1000,
} as const;

/** Limits of an EventBridge target retry policy. */
const RetryLimits = {
  minEventAge: Duration.minutes(1),
  maxEventAge: Duration.hours(24),
  maxRetryAttempts: 185,
} as const;

const consumerNamePattern = /^[a-z][a-z0-9-]{1,30}$/;

/**
 * The smallest visibility timeout that honours Lambda's rule for a function timeout: 6× the timeout (room for the
 * invocation and its retries by the poller) plus the batching window (messages are already in flight while the
 * batch fills).
 *
 * @example
 * ```ts
 * minimumVisibilityTimeout(Duration.seconds(30), Duration.seconds(5)).toSeconds(); // 185
 * ```
 */
export function minimumVisibilityTimeout(timeout: Duration, maxBatchingWindow: Duration): Duration {
  return Duration.seconds(
    QueueDefaults.visibilityTimeoutFactor * timeout.toSeconds() +
      Math.ceil(maxBatchingWindow.toMilliseconds() / 1000),
  );
}

/**
 * Checks every promise the EventConsumer makes and throws {@link EventConsumerConfigurationError} naming the prop, the
 * rule and the value. One check per rule, so that each has its own `toThrow` test.
 */
export function validateConsumerSettings(subject: string, s: ResolvedConsumerSettings): void {
  const fail = (message: string): never => {
    throw new EventConsumerConfigurationError(subject, message);
  };

  if (!consumerNamePattern.test(s.consumerName)) {
    fail(`consumerName "${s.consumerName}" must be kebab-case, 2-31 characters, starting with a letter`);
  }

  if (!s.eventPattern.source?.length || !s.eventPattern.detailType?.length) {
    fail(
      'eventPattern must list at least one source and one detailType: a consumer of "everything" is a mistake',
    );
  }

  if (
    !Number.isInteger(s.maxReceiveCount) ||
    s.maxReceiveCount < QueueDefaults.minMaxReceiveCount ||
    s.maxReceiveCount > QueueDefaults.maxMaxReceiveCount
  ) {
    fail(
      `maxReceiveCount must be an integer from ${QueueDefaults.minMaxReceiveCount} to ` +
        `${QueueDefaults.maxMaxReceiveCount} (got ${s.maxReceiveCount})`,
    );
  }

  const minimum = minimumVisibilityTimeout(s.timeout, s.maxBatchingWindow);
  if (s.visibilityTimeout.toSeconds() < minimum.toSeconds()) {
    fail(
      `visibilityTimeout ${s.visibilityTimeout.toSeconds()} s is shorter than ${QueueDefaults.visibilityTimeoutFactor}× ` +
        `the function timeout plus the batching window (${minimum.toSeconds()} s); messages would be received ` +
        'again while still being processed',
    );
  }
  if (s.visibilityTimeout.toSeconds() > QueueDefaults.maxVisibilityTimeout.toSeconds()) {
    fail(`visibilityTimeout ${s.visibilityTimeout.toSeconds()} s exceeds the SQS maximum of 12 hours`);
  }

  const retention = s.queueRetention.toSeconds();
  const dlqRetention = QueueDefaults.deadLetterRetention.toSeconds();
  if (retention < QueueDefaults.minRetention.toSeconds() || retention >= dlqRetention) {
    fail(
      `queueRetention must be at least 60 s and shorter than the DLQ retention (${dlqRetention} s), because a DLQ ` +
        `keeps the original enqueue time (got ${retention} s)`,
    );
  }

  if (!Number.isInteger(s.batchSize) || s.batchSize < 1 || s.batchSize > EsmLimits.maxBatchSize) {
    fail(`batchSize must be an integer from 1 to ${EsmLimits.maxBatchSize} (got ${s.batchSize})`);
  }
  if (s.batchSize > EsmLimits.maxBatchSizeWithoutWindow && s.maxBatchingWindow.toSeconds() < 1) {
    fail(`batchSize above ${EsmLimits.maxBatchSizeWithoutWindow} needs a maxBatchingWindow of at least 1 s`);
  }
  if (s.maxBatchingWindow.toSeconds() > EsmLimits.maxBatchingWindow.toSeconds()) {
    fail(`maxBatchingWindow must be at most 300 s (got ${s.maxBatchingWindow.toSeconds()} s)`);
  }

  if (
    !Number.isInteger(s.maxConcurrency) ||
    s.maxConcurrency < EsmLimits.minConcurrency ||
    s.maxConcurrency > EsmLimits.maxConcurrency
  ) {
    fail(
      `maxConcurrency must be an integer from ${EsmLimits.minConcurrency} to ${EsmLimits.maxConcurrency} ` +
        `(got ${s.maxConcurrency})`,
    );
  }

  const eventAge = s.targetMaxEventAge.toSeconds();
  if (eventAge < RetryLimits.minEventAge.toSeconds() || eventAge > RetryLimits.maxEventAge.toSeconds()) {
    fail(`targetMaxEventAge must be from 60 s to 24 hours (got ${eventAge} s)`);
  }
  if (
    !Number.isInteger(s.targetRetryAttempts) ||
    s.targetRetryAttempts < 0 ||
    s.targetRetryAttempts > RetryLimits.maxRetryAttempts
  ) {
    fail(`targetRetryAttempts must be an integer from 0 to 185 (got ${s.targetRetryAttempts})`);
  }

  const alarmAge = s.deadLetterAlarmAge.toSeconds();
  if (alarmAge <= 0 || alarmAge >= dlqRetention) {
    fail(
      `deadLetterAlarmAge must be positive and shorter than the DLQ retention (${dlqRetention} s), or the alarm ` +
        `would fire only after the messages expired (got ${alarmAge} s)`,
    );
  }
}
