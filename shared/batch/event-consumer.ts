import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { assertEventType, type EventOfType, type EventType, parseEventBridgeMessageBody } from '../contracts';
import type { Log, Observability } from '../middleware/observability';
import { type PlainHandler, withStack } from '../middleware/stack';
import { processSqsBatch, reportRecordFailure } from './process-batch';
import type { FailedRecord, RetryScheduler } from './retry-schedule';

/**
 * What a queue consumer does with one domain event. `log` already carries the event's correlation id, id and type.
 * Throw to fail the record (it is retried, then dead-lettered); return to acknowledge it.
 */
export type EventProcessor<T extends EventType> = (
  event: EventOfType<T>,
  context: Context,
  log: Log,
) => Promise<unknown>;

/** Options of `consumeEvents`. */
export interface EventConsumerOptions<T extends EventType> {
  /** The event types this consumer subscribes to; any other type is a contract violation. */
  readonly types: readonly T[];
  /** The per-event use-case (usually wrapped by `makeEventIdempotent`). */
  readonly process: EventProcessor<T>;
  readonly observability: Observability;
  /**
   * When each failed message comes back (see `retry-schedule.ts`). Production handlers pass `sqsRetryScheduler`;
   * without one, failed messages return after the queue's visibility timeout.
   */
  readonly retryScheduler?: RetryScheduler;
}

/** Keys that identify a message in logs without logging its body. */
const messageKeys = (record: SQSRecord): Record<string, unknown> => ({
  messageId: record.messageId,
  receiveCount: record.attributes?.ApproximateReceiveCount,
});

/**
 * The handler of every EventBridge → SQS consumer: parses each message into a domain event of the subscribed
 * types, gives it a logger carrying its correlation id, runs the processor, and answers `batchItemFailures` with
 * the messages that failed (a malformed one fails alone, with its reason logged), then lets the retry scheduler
 * set when each failed message comes back. Never throws because of a record.
 */
export const consumeEvents = <T extends EventType>({
  types,
  process,
  observability,
  retryScheduler,
}: EventConsumerOptions<T>): PlainHandler<SQSEvent, SQSBatchResponse> => {
  const { logger } = observability;
  return async (batch, context) => {
    const failures: FailedRecord[] = [];
    const response = await processSqsBatch(
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
          reportRecordFailure(error, log, observability.metrics, messageKeys(record));
          failures.push({ record, error });
          throw error;
        }
      },
      observability.metrics,
    );
    if (retryScheduler !== undefined && failures.length > 0) await retryScheduler.schedule(failures, logger);
    return response;
  };
};

/** Options of {@link eventConsumerHandler}. */
export interface EventConsumerHandlerOptions<T extends EventType> {
  readonly types: readonly T[];
  /** Builds the per-event processor; called on every batch, so pass a `once`-wrapped factory. */
  readonly processor: () => Promise<EventProcessor<T>>;
  readonly observability: Observability;
  readonly retryScheduler?: RetryScheduler | undefined;
}

/**
 * The Lambda handler of an EventBridge → SQS consumer: the shared middleware stack around `consumeEvents`. Every
 * consumer function is this call with its own types, processor and retry scheduler.
 */
export const eventConsumerHandler = <T extends EventType>({
  types,
  processor,
  observability,
  retryScheduler,
}: EventConsumerHandlerOptions<T>) =>
  withStack(
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
      consumeEvents({
        types,
        process: await processor(),
        observability,
        ...(retryScheduler === undefined ? {} : { retryScheduler }),
      })(event, context),
    observability,
  );
