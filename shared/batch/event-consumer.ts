import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { assertEventType, type EventOfType, type EventType, parseEventBridgeMessageBody } from '../contracts';
import { describeError, type Log, MetricUnit, type Observability } from '../middleware/observability';
import type { PlainHandler } from '../middleware/stack';
import { BatchMetrics, processSqsBatch, reportRecordFailure } from './process-batch';

/**
 * What a queue consumer does with one domain event. `log` already carries the event's correlation id, id and type.
 * Throw to fail the record (it is retried, then dead-lettered); return to acknowledge it.
 */
export type EventProcessor<T extends EventType> = (
  event: EventOfType<T>,
  context: Context,
  log: Log,
) => Promise<unknown>;

/**
 * What a failure hook did with a failed message. `deferred`: it scheduled the message's return (e.g. extended its
 * visibility until a circuit lets calls through again); `unchanged`: nothing. Either way the record stays a batch
 * item failure: a hook can never acknowledge a message.
 */
export type FailureDisposition = 'deferred' | 'unchanged';

/** Called for every record that failed, before it is reported to the queue as a batch item failure. */
export type RecordFailureHook = (error: unknown, record: SQSRecord, log: Log) => Promise<FailureDisposition>;

/** Options of `consumeEvents`. */
export interface EventConsumerOptions<T extends EventType> {
  /** The event types this consumer subscribes to; any other type is a contract violation. */
  readonly types: readonly T[];
  /** The per-event use-case (usually wrapped by `makeEventIdempotent`). */
  readonly process: EventProcessor<T>;
  readonly observability: Observability;
  /** E.g. the queue-aware fallback of a circuit breaker (`deferWhileCircuitOpen`). Default: none. */
  readonly onFailure?: RecordFailureHook;
}

/** Keys that identify a message in logs without logging its body. */
const messageKeys = (record: SQSRecord): Record<string, unknown> => ({
  messageId: record.messageId,
  receiveCount: record.attributes?.ApproximateReceiveCount,
});

/**
 * The handler of every EventBridge → SQS consumer: parses each message into a domain event of the subscribed
 * types, gives it a logger carrying its correlation id, runs the processor, and answers `batchItemFailures` with
 * the messages that failed (a malformed one fails alone, with its reason logged). Never throws because of a record.
 * A deferred record (see `onFailure`) is logged at info level and counted as `RecordsDeferred`, not as a failure.
 */
export const consumeEvents = <T extends EventType>({
  types,
  process,
  observability,
  onFailure,
}: EventConsumerOptions<T>): PlainHandler<SQSEvent, SQSBatchResponse> => {
  const { logger } = observability;
  return (batch, context) =>
    processSqsBatch(
      batch,
      context,
      async (record) => {
        let log = logger;
        try {
          const event = assertEventType(parseEventBridgeMessageBody(record.body), types);
          // A child logger per record: records run in parallel, so shared keys would mix their correlation ids.
          log = logger.createChild({
            persistentKeys: {
              correlation_id: event.correlationId,
              eventId: event.id,
              eventType: event.type,
              ...messageKeys(record),
            },
          });
          return await process(event, context, log);
        } catch (error) {
          const disposition = await dispose(onFailure, error, record, log);
          if (disposition === 'deferred') {
            observability.metrics.addMetric(BatchMetrics.recordsDeferred, MetricUnit.Count, 1);
          } else {
            reportRecordFailure(error, log, observability.metrics, messageKeys(record));
          }
          throw error;
        }
      },
      observability.metrics,
    );
};

/** Runs the failure hook; a hook that throws changes nothing (the record still fails, as it would without it). */
const dispose = async (
  onFailure: RecordFailureHook | undefined,
  error: unknown,
  record: SQSRecord,
  log: Log,
): Promise<FailureDisposition> => {
  if (onFailure === undefined) return 'unchanged';
  try {
    return await onFailure(error, record, log);
  } catch (hookError) {
    log.warn('failure hook failed; the record is retried as usual', {
      ...messageKeys(record),
      ...describeError(hookError),
    });
    return 'unchanged';
  }
};
