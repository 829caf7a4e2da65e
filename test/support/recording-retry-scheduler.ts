import {
  type FailedRecord,
  RetryDelayDefaults,
  type RetryScheduler,
  retryDelaySeconds,
} from '../../shared/batch/retry-schedule';

/** One failed message and the delay the production rule gives it. */
export interface ScheduledRetry {
  readonly messageId: string;
  readonly queueArn: string;
  readonly seconds: number;
}

/**
 * `RetryScheduler` that records, for each failed message, the delay `retryDelaySeconds` gives it (what
 * `sqsRetryScheduler` would set with ChangeMessageVisibility), with a fixed jitter draw.
 */
export class RecordingRetryScheduler implements RetryScheduler {
  public readonly scheduled: ScheduledRetry[] = [];

  public constructor(private readonly random = 0) {}

  public async schedule(failures: readonly FailedRecord[]): Promise<void> {
    for (const { record, error } of failures) {
      this.scheduled.push({
        messageId: record.messageId,
        queueArn: record.eventSourceARN,
        seconds: retryDelaySeconds(
          error,
          Number(record.attributes?.ApproximateReceiveCount ?? 1),
          RetryDelayDefaults,
          this.random,
        ),
      });
    }
  }
}
