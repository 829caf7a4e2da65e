import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyAlreadyInProgressError } from '@aws-lambda-powertools/idempotency';
import type { FailureReason, ReasonPlacement } from '@breakwater/dlq/failure-reason';
import type {
  Context,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  SQSBatchResponse,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import { BreakwaterError, isNonRetryable } from '../errors';
import { describeError, type Log, type MetricsRecorder, MetricUnit } from '../middleware/observability';
import { isRefusedCall } from './refused-call';

/** Metric names of the batch layer (counts of records). */
export const BatchMetrics = {
  /** Records delivered to the function (one data point per invocation, so every invocation has a metric). */
  recordsReceived: 'RecordsReceived',
  /**
   * A record that can never succeed (contract violation, configuration problem, refused credentials) that could not
   * be sent to its DLQ at once: it fails, and walks its remaining receives into the DLQ at once.
   */
  recordsRejected: 'RecordsRejected',
  /** A record that can never succeed, sent to its DLQ at once with its reason (and dropped from its queue). */
  recordsDeadLettered: 'RecordsDeadLettered',
  /** A record that failed for a reason that may pass (gateway down, throttling): retried by the queue. */
  recordsFailed: 'RecordsFailed',
  /**
   * A record returned to the queue for later because a circuit breaker refused its call (nothing was called): not
   * a failure of its own, yet not a success either (it is still a batch item failure).
   */
  recordsDeferred: 'RecordsDeferred',
} as const;

/**
 * Logs why a record failed, at the level its cause deserves, and counts it. A record an open circuit refused is
 * information (deferred, counted apart); a failure waiting cannot fix (`classifyFailure`) is an error (it needs a
 * human); an expected transient failure is a warning; anything unexpected is an error with its stack.
 */
export const reportRecordFailure = (
  error: unknown,
  log: Log,
  metrics: MetricsRecorder,
  recordKeys: Record<string, unknown>,
): void => {
  if (isRefusedCall(error)) {
    metrics.addMetric(BatchMetrics.recordsDeferred, MetricUnit.Count, 1);
    log.info('record deferred: its circuit is open; the queue returns it when a call can be admitted', {
      ...recordKeys,
      circuitId: error.circuitId,
      circuitState: error.state,
      retryAfterMs: Math.ceil(error.retryAfterMs),
    });
    return;
  }
  if (isNonRetryable(error)) {
    metrics.addMetric(BatchMetrics.recordsRejected, MetricUnit.Count, 1);
    log.error('record rejected: retrying cannot fix it; it goes to the DLQ after its remaining receives', {
      ...recordKeys,
      ...describeError(error),
      reason: error instanceof Error ? error.message : String(error),
    });
    return;
  }
  metrics.addMetric(BatchMetrics.recordsFailed, MetricUnit.Count, 1);
  // Expected, transient: our own errors, an error that says it is retryable (a breaker's call timeout or store
  // failure) and a duplicate delivery racing its twin (it is retried after the twin).
  const transient =
    error instanceof BreakwaterError ||
    error instanceof IdempotencyAlreadyInProgressError ||
    (error as { retryable?: unknown } | null)?.retryable === true;
  if (transient) {
    log.warn('record failed; the queue will retry it', { ...recordKeys, ...describeError(error) });
  } else {
    log.error('record failed unexpectedly; the queue will retry it', { ...recordKeys, error });
  }
};

/** Logs and counts a record sent to its DLQ at once (see `consumeEvents`), with the reason it carries there. */
export const reportDeadLettered = (
  reason: FailureReason,
  placement: ReasonPlacement,
  log: Log,
  metrics: MetricsRecorder,
  recordKeys: Record<string, unknown>,
): void => {
  metrics.addMetric(BatchMetrics.recordsDeadLettered, MetricUnit.Count, 1);
  log.error('record sent to its DLQ at once: retrying cannot fix it', {
    ...recordKeys,
    errorName: reason.errorName,
    errorMessage: reason.errorMessage,
    firstFailedAt: reason.firstFailedAt,
    // `none`: the original message already had ten attributes; this line is then the only place of the reason.
    reasonAttributes: placement,
  });
};

const runBatch = async <TRecord extends SQSRecord | DynamoDBRecord>(
  eventType: (typeof EventType)[keyof typeof EventType],
  event: { Records: TRecord[] },
  context: Context,
  handleRecord: (record: TRecord) => Promise<unknown>,
  metrics: MetricsRecorder,
): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> => {
  metrics.addMetric(BatchMetrics.recordsReceived, MetricUnit.Count, event.Records.length);
  // A processor per invocation: it holds the state of one batch, and records run in parallel.
  return processPartialResponse(event, handleRecord, new BatchProcessor(eventType), {
    context,
    // Every record failing is still a partial-batch answer: the handler never throws because of its records.
    throwOnFullBatchFailure: false,
  });
};

/**
 * Runs `handleRecord` over every message of an SQS batch (in parallel) and answers `batchItemFailures` with the
 * messages that threw. `handleRecord` is expected to log its own failures (see `reportRecordFailure`).
 */
export const processSqsBatch = (
  event: SQSEvent,
  context: Context,
  handleRecord: (record: SQSRecord) => Promise<unknown>,
  metrics: MetricsRecorder,
): Promise<SQSBatchResponse> => runBatch(EventType.SQS, event, context, handleRecord, metrics);

/** Like `processSqsBatch`, for a DynamoDB stream batch (failures are reported by sequence number). */
export const processDynamoDbStreamBatch = (
  event: DynamoDBStreamEvent,
  context: Context,
  handleRecord: (record: DynamoDBRecord) => Promise<unknown>,
  metrics: MetricsRecorder,
): Promise<DynamoDBBatchResponse> =>
  runBatch(EventType.DynamoDBStreams, event, context, handleRecord, metrics);
