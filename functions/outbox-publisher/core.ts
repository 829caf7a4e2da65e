import type { DynamoDBRecord } from 'aws-lambda';
import type { EventEnvelope } from '../../shared/contracts';
import { BreakwaterError } from '../../shared/errors';
import type { EventPublisher, PublishFailure } from '../../shared/events/publisher';
import type { Log } from '../../shared/middleware/observability';
import { type OutboxDeleteOutcome, type OutboxStore, parseOutboxImage } from '../../shared/outbox';

/** An outbox event that EventBridge did not accept after every attempt; the stream record is retried. */
export class OutboxPublishError extends BreakwaterError {
  public readonly failure: PublishFailure;

  public constructor(failure: PublishFailure) {
    super(`event ${failure.eventId} was not published: ${failure.errorCode} ${failure.errorMessage}`);
    this.name = 'OutboxPublishError';
    this.failure = failure;
  }
}

/** What the outbox publisher needs. */
export interface OutboxPublisherDependencies {
  readonly publisher: Pick<EventPublisher, 'publishAll'>;
  readonly outbox: OutboxStore;
  readonly log: Log;
}

/** What became of one stream record. */
export type OutboxRecordOutcome =
  | { readonly kind: 'ignored'; readonly eventName: string | undefined }
  | { readonly kind: 'published'; readonly event: EventEnvelope; readonly item: OutboxDeleteOutcome };

/** A stream batch after its events were published together: settle each record to finish it. */
export interface PreparedOutboxBatch {
  /** Deletes the record's outbox item if its event was published; throws why it was not otherwise. */
  settle(record: DynamoDBRecord): Promise<OutboxRecordOutcome>;
  /** Log keys of a record (its event id and correlation id when it could be read). */
  describe(record: DynamoDBRecord): Record<string, unknown>;
}

type Plan =
  | { kind: 'ignored'; eventName: string | undefined }
  | { kind: 'invalid'; error: unknown }
  | { kind: 'event'; event: EventEnvelope };

const planRecord = (record: DynamoDBRecord): Plan => {
  // The event source mapping filters on INSERT; anything else (our own deletes) is not an event to publish.
  if (record.eventName !== 'INSERT') return { kind: 'ignored', eventName: record.eventName };
  try {
    return { kind: 'event', event: parseOutboxImage(record.dynamodb?.NewImage) };
  } catch (error) {
    return { kind: 'invalid', error };
  }
};

/**
 * Publishes the events of a whole stream batch in as few PutEvents calls as the limits allow, then lets each record
 * be settled on its own: a published event's outbox item is deleted (conditionally), an unpublished or malformed one
 * fails only its record. Deleting after publishing means a crash in between publishes the event again: consumers
 * are idempotent on the event id, so at-least-once is the contract.
 */
export const prepareOutboxBatch = async (
  records: readonly DynamoDBRecord[],
  { publisher, outbox }: OutboxPublisherDependencies,
): Promise<PreparedOutboxBatch> => {
  const plans = new Map(records.map((record) => [record, planRecord(record)] as const));
  const events = new Map<string, EventEnvelope>();
  for (const plan of plans.values()) if (plan.kind === 'event') events.set(plan.event.id, plan.event);

  let failures = new Map<string, PublishFailure>();
  let publishError: unknown;
  try {
    const report = await publisher.publishAll([...events.values()]);
    failures = new Map(report.failed.map((failure) => [failure.eventId, failure]));
  } catch (error) {
    publishError = error;
  }

  const planOf = (record: DynamoDBRecord): Plan =>
    plans.get(record) ?? { kind: 'invalid', error: new BreakwaterError('record is not part of this batch') };

  return {
    settle: async (record) => {
      const plan = planOf(record);
      if (plan.kind === 'ignored') return plan;
      if (plan.kind === 'invalid') throw plan.error;
      if (publishError !== undefined) throw publishError;
      const failure = failures.get(plan.event.id);
      if (failure !== undefined) throw new OutboxPublishError(failure);
      return { kind: 'published', event: plan.event, item: await outbox.delete(plan.event.id) };
    },
    describe: (record) => {
      const plan = planOf(record);
      const base = { sequenceNumber: record.dynamodb?.SequenceNumber, eventName: record.eventName };
      return plan.kind === 'event'
        ? {
            ...base,
            eventId: plan.event.id,
            eventType: plan.event.type,
            correlation_id: plan.event.correlationId,
          }
        : { ...base, outboxKey: record.dynamodb?.Keys?.pk?.S };
    },
  };
};
