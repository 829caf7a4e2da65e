import { describe, expect, it } from 'vitest';
import { OutboxPublishError, prepareOutboxBatch } from '../../../../functions/outbox-publisher/core';
import { createOutboxPublisherHandler } from '../../../../functions/outbox-publisher/handler';
import { ContractError } from '../../../../shared/errors';
import { EventPublisher } from '../../../../shared/events/publisher';
import type { OutboxDeleteOutcome, OutboxStore } from '../../../../shared/outbox';
import {
  dynamoDbStreamEvent,
  dynamoDbStreamRecord,
  orderCreatedEvent,
  outboxInsertRecord,
} from '../../../support/events';
import { FakeEventBridge } from '../../../support/fake-event-bridge';
import { lambdaContext } from '../../../support/lambda';
import { quietObservability } from '../../../support/observability';
import { RecordingLog } from '../../../support/recording-log';

/** The outbox table's keys in memory; `delete` answers like the conditional delete. */
class InMemoryOutbox implements OutboxStore {
  public readonly keys: Set<string>;
  public failWith: Error | undefined;

  public constructor(keys: string[]) {
    this.keys = new Set(keys);
  }

  public async delete(eventId: string): Promise<OutboxDeleteOutcome> {
    if (this.failWith !== undefined) throw this.failWith;
    return this.keys.delete(eventId) ? 'deleted' : 'already-gone';
  }
}

const setup = (eventIds: string[]) => {
  const bus = new FakeEventBridge();
  const outbox = new InMemoryOutbox(eventIds);
  const deps = {
    publisher: new EventPublisher({ client: bus, eventBusName: 'breakwater', sleep: async () => undefined }),
    outbox,
    log: new RecordingLog(),
  };
  const handler = createOutboxPublisherHandler(async () => deps, quietObservability());
  return { bus, outbox, deps, handler };
};

describe('outbox publisher', () => {
  it('publishes every inserted event in one PutEvents call and deletes the outbox items', async () => {
    const events = [orderCreatedEvent(), orderCreatedEvent(), orderCreatedEvent()];
    const { bus, outbox, handler } = setup(events.map((event) => event.id));

    const response = await handler(
      dynamoDbStreamEvent(events.map((event) => outboxInsertRecord(event))),
      lambdaContext(),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(bus.calls).toHaveLength(1);
    expect(bus.acceptedEventIds()).toEqual(events.map((event) => event.id));
    expect(bus.accepted[0]).toMatchObject({ Source: 'breakwater.orders', DetailType: 'order.created' });
    expect(outbox.keys.size).toBe(0);
  });

  it('fails only the malformed record, by its sequence number', async () => {
    const good = orderCreatedEvent();
    const { bus, outbox, handler } = setup([good.id, 'broken']);
    const malformed = dynamoDbStreamRecord(
      'INSERT',
      { pk: { S: 'broken' } },
      { pk: { S: 'broken' }, event: { S: '{"id":' } },
    );

    const response = await handler(
      dynamoDbStreamEvent([outboxInsertRecord(good), malformed]),
      lambdaContext(),
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: malformed.dynamodb?.SequenceNumber }] });
    expect(bus.acceptedEventIds()).toEqual([good.id]);
    expect([...outbox.keys]).toEqual(['broken']);
  });

  it('fails the record whose event EventBridge kept refusing, and keeps its outbox item', async () => {
    const [refused, accepted] = [orderCreatedEvent(), orderCreatedEvent()];
    const { bus, outbox, handler } = setup([refused.id, accepted.id]);
    bus.entryRule = (entry) => (entry.Detail?.includes(refused.id) ? 'InternalFailure' : undefined);
    const records = [outboxInsertRecord(refused), outboxInsertRecord(accepted)];

    const response = await handler(dynamoDbStreamEvent(records), lambdaContext());

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[0]?.dynamodb?.SequenceNumber }]);
    expect([...outbox.keys]).toEqual([refused.id]);
  });

  it('ignores records other than INSERT (its own deletes) and tolerates an item already gone', async () => {
    const event = orderCreatedEvent();
    const { bus, handler } = setup([]);
    const removal = dynamoDbStreamRecord('REMOVE', { pk: { S: event.id } }, undefined);

    const response = await handler(
      dynamoDbStreamEvent([removal, outboxInsertRecord(event)]),
      lambdaContext(),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    // A duplicate stream record republishes (consumers are idempotent) and finds nothing to delete.
    expect(bus.acceptedEventIds()).toEqual([event.id]);
  });

  it('answers every record as failed, without throwing, when deleting fails', async () => {
    const event = orderCreatedEvent();
    const { outbox, handler } = setup([event.id]);
    outbox.failWith = new Error('ProvisionedThroughputExceededException');
    const record = outboxInsertRecord(event);

    const response = await handler(dynamoDbStreamEvent([record]), lambdaContext());
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.dynamodb?.SequenceNumber }]);
  });
});

describe('prepareOutboxBatch', () => {
  it('settles with the reason of each failure', async () => {
    const event = orderCreatedEvent();
    const { deps, bus } = setup([event.id]);
    bus.entryRule = () => 'AccessDeniedException';
    const wrongKey = outboxInsertRecord(event, {});
    wrongKey.dynamodb = {
      ...wrongKey.dynamodb,
      NewImage: { ...wrongKey.dynamodb?.NewImage, pk: { S: 'other' } },
    };
    const record = outboxInsertRecord(orderCreatedEvent());

    const batch = await prepareOutboxBatch([wrongKey, record], deps);
    await expect(batch.settle(wrongKey)).rejects.toThrow(ContractError);
    await expect(batch.settle(wrongKey)).rejects.toThrow(/does not match event id/);
    await expect(batch.settle(record)).rejects.toThrow(OutboxPublishError);
    expect(batch.describe(record)).toMatchObject({ eventType: 'order.created', correlation_id: 'corr-1' });
  });
});
