import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { assertEventType, type EventOfType, type EventType, parseEventBridgeMessageBody } from '../contracts';
import { isNonRetryable } from '../errors';
import { describeError, type Log, type Observability } from '../middleware/observability';
import { type PlainHandler, withStack } from '../middleware/stack';
import { type DeadLetterSender, failureReasonOf, productionDeadLetterSender } from './dead-letter';
import { processSqsBatch, reportDeadLettered, reportRecordFailure } from './process-batch';
import { type FailedRecord, productionRetryScheduler, type RetryScheduler } from './retry-schedule';

/**
 * What a queue consumer does with one domain event. `log` already carries the event's correlation id, id and type.
 * Throw to fail the record (a retryable failure is retried, a non-retryable one goes to the DLQ at once, see
 * `classifyFailure`); return to acknowledge it.
 */
export type EventProcessor<T extends EventType> = (
  event: EventOfType<T>,
  context: Context,
  log: Log,
) => Promise<unknown>;

/** What a consumer does with its failed records. Production: {@link productionFailureHandling}. */
export interface QueueFailureHandling {
  /**
   * When each failed message comes back (see `retry-schedule.ts`). Without one, failed messages return after the
   * queue's visibility timeout.
   */
  readonly retryScheduler?: RetryScheduler | undefined;
  /**
   * Where a record that can never succeed goes at once, with its reason (its consumer's DLQ). Without one, such a
   * record walks its remaining receives into the DLQ like any other failure.
   */
  readonly deadLetters?: DeadLetterSender | undefined;
}

/**
 * The failure handling of every queue consumer in Lambda: back-off from `RETRY_BASE_DELAY_SECONDS` /
 * `RETRY_MAX_DELAY_SECONDS`, and the DLQ fast path to `DEAD_LETTER_QUEUE_URL`, both through `sqs` (pass the
 * function's client, captured by its tracer).
 */
export const productionFailureHandling = (
  sqs: SQSClient,
  env: NodeJS.ProcessEnv = process.env,
): QueueFailureHandling => ({
  retryScheduler: productionRetryScheduler(env, sqs),
  deadLetters: productionDeadLetterSender(env, sqs),
});

/** Options of `consumeEvents`. */
export interface EventConsumerOptions<T extends EventType> extends QueueFailureHandling {
  /** The event types this consumer subscribes to; any other type is a contract violation. */
  readonly types: readonly T[];
  /** The per-event use-case (usually wrapped by `makeEventIdempotent`). */
  readonly process: EventProcessor<T>;
  readonly observability: Observability;
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
 *
 * A record that fails for a reason waiting cannot fix (`classifyFailure`: a contract violation, a configuration
 * problem, refused credentials) is sent to the DLQ at once with the reason as message attributes, and then counts
 * as handled, so its queue drops it: one receive instead of the queue's maxReceiveCount. If that send fails, the
 * record fails the ordinary way and nothing is lost.
 */
export const consumeEvents = <T extends EventType>({
  types,
  process,
  observability,
  retryScheduler,
  deadLetters,
}: EventConsumerOptions<T>): PlainHandler<SQSEvent, SQSBatchResponse> => {
  const { logger, metrics } = observability;
  return async (batch, context) => {
    const failures: FailedRecord[] = [];
    const response = await processSqsBatch(
      batch,
      context,
      async (record) => {
        let log = logger;
        let eventId: string | undefined;
        try {
          const event = assertEventType(parseEventBridgeMessageBody(record.body), types);
          eventId = event.id;
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
          if (deadLetters !== undefined && isNonRetryable(error)) {
            const reason = failureReasonOf(error, record, context.functionName, eventId);
            try {
              const { placement } = await deadLetters.send(record, reason);
              reportDeadLettered(reason, placement, log, metrics, messageKeys(record));
              return undefined;
            } catch (sendError) {
              log.error('could not send the record to its DLQ; it fails the ordinary way', {
                ...messageKeys(record),
                sendError: describeError(sendError),
              });
            }
          }
          reportRecordFailure(error, log, metrics, messageKeys(record));
          failures.push({ record, error });
          throw error;
        }
      },
      metrics,
    );
    if (retryScheduler !== undefined && failures.length > 0) await retryScheduler.schedule(failures, logger);
    return response;
  };
};

/** Options of {@link eventConsumerHandler}. */
export interface EventConsumerHandlerOptions<T extends EventType> extends QueueFailureHandling {
  readonly types: readonly T[];
  /** Builds the per-event processor; called on every batch, so pass a `once`-wrapped factory. */
  readonly processor: () => Promise<EventProcessor<T>>;
  readonly observability: Observability;
}

/**
 * The Lambda handler of an EventBridge → SQS consumer: the shared middleware stack around `consumeEvents`. Every
 * consumer function is this call with its own types, processor and failure handling.
 */
export const eventConsumerHandler = <T extends EventType>({
  types,
  processor,
  observability,
  retryScheduler,
  deadLetters,
}: EventConsumerHandlerOptions<T>) =>
  withStack(
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
      consumeEvents({
        types,
        process: await processor(),
        observability,
        retryScheduler,
        deadLetters,
      })(event, context),
    observability,
  );
