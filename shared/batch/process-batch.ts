import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyAlreadyInProgressError } from '@aws-lambda-powertools/idempotency';
import type {
  Context,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  SQSBatchResponse,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import { CircuitOpenError } from '../circuit-breaker/errors';
import { BreakwaterError, ConfigurationError, ContractError } from '../errors';
import { describeError, type Log, type MetricsRecorder, MetricUnit } from '../middleware/observability';

/** Metric names of the batch layer (counts of records). */
export const BatchMetrics = {
  /** Records delivered to the function (one data point per invocation, so every invocation has a metric). */
  recordsReceived: 'RecordsReceived',
  /** A record that can never succeed (contract violation): it reaches the DLQ after its retries. */
  recordsRejected: 'RecordsRejected',
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
 * information (deferred, counted apart); a contract violation is an error (it needs a human); an expected transient
 * failure is a warning; anything unexpected is an error with its stack.
 */
export const reportRecordFailure = (
  error: unknown,
  log: Log,
  metrics: MetricsRecorder,
  recordKeys: Record<string, unknown>,
): void => {
  if (error instanceof CircuitOpenError) {
    metrics.addMetric(BatchMetrics.recordsDeferred, MetricUnit.Count, 1);
    log.info('record deferred: its circuit is open; the queue returns it when a call can be admitted', {
      ...recordKeys,
      circuitId: error.circuitId,
      circuitState: error.state,
      retryAfterMs: Math.ceil(error.retryAfterMs),
    });
    return;
  }
  if (error instanceof ContractError) {
    metrics.addMetric(BatchMetrics.recordsRejected, MetricUnit.Count, 1);
    log.error('record rejected: it breaks the event contract and will be dead-lettered after its retries', {
      ...recordKeys,
      reason: error.message,
    });
    return;
  }
  metrics.addMetric(BatchMetrics.recordsFailed, MetricUnit.Count, 1);
  // Expected, transient: our own errors (but a configuration problem needs a human) and a duplicate delivery racing
  // its twin (it is retried after the twin).
  const transient =
    (error instanceof BreakwaterError && !(error instanceof ConfigurationError)) ||
    error instanceof IdempotencyAlreadyInProgressError;
  if (transient) {
    log.warn('record failed; the queue will retry it', { ...recordKeys, ...describeError(error) });
  } else {
    log.error('record failed unexpectedly; the queue will retry it', { ...recordKeys, error });
  }
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
