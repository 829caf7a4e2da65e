import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import {
  deadLetterAttributes,
  type FailureReason,
  FailureReasonAttributes,
  readFailureReason,
  withoutFailureReason,
} from '@breakwater/dlq/failure-reason';
import { describe, expect, it } from 'vitest';
import { deadLetterMessage, failureReasonOf } from '../../../shared/batch/dead-letter';
import { consumeEvents } from '../../../shared/batch/event-consumer';
import { EventTypes } from '../../../shared/contracts';
import { BreakwaterError, ConfigurationError } from '../../../shared/errors';
import { orderCreatedEvent, sqsEvent, sqsRecord, sqsRecordOf } from '../../support/events';
import { lambdaContext } from '../../support/lambda';
import { quietObservability } from '../../support/observability';
import { RecordingDeadLetters } from '../../support/recording-dead-letters';
import { RecordingRetryScheduler } from '../../support/recording-retry-scheduler';

const reason: FailureReason = {
  errorName: 'PaymentGatewayAuthorizationError',
  errorMessage: 'payment gateway refused our API key with 401 (unauthorized)',
  functionName: 'breakwater-dev-billing',
  eventId: 'evt-1',
  firstFailedAt: '2026-12-02T03:00:00.000Z',
};

const attributes = (count: number, prefix = 'a'): Record<string, MessageAttributeValue> =>
  Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`${prefix}${i}`, { DataType: 'String', StringValue: `v${i}` }]),
  );

describe('the reason attributes of a DLQ copy', () => {
  it('add one attribute per field next to the original attributes, and read back the same reason', () => {
    const { attributes: result, placement } = deadLetterAttributes(attributes(2), reason);
    expect(placement).toBe('attributes');
    expect(Object.keys(result)).toHaveLength(7);
    expect(result.a0).toEqual({ DataType: 'String', StringValue: 'v0' });
    expect(result[FailureReasonAttributes.errorName]).toEqual({
      DataType: 'String',
      StringValue: 'PaymentGatewayAuthorizationError',
    });
    expect(result[FailureReasonAttributes.functionName]?.StringValue).toBe('breakwater-dev-billing');
    expect(result[FailureReasonAttributes.eventId]?.StringValue).toBe('evt-1');
    expect(result[FailureReasonAttributes.firstFailedAt]?.StringValue).toBe('2026-12-02T03:00:00.000Z');
    expect(readFailureReason(result)).toEqual(reason);
  });

  it('pack the reason into one attribute when fewer than five of the ten slots are free', () => {
    const { attributes: result, placement } = deadLetterAttributes(attributes(8), reason);
    expect(placement).toBe('packed');
    expect(Object.keys(result)).toHaveLength(9);
    expect(Object.keys(result).filter((name) => name.startsWith('a'))).toHaveLength(8);
    expect(readFailureReason(result)).toEqual(reason);
  });

  it('keep all ten original attributes and carry no reason when no slot is free', () => {
    const original = attributes(10);
    expect(deadLetterAttributes(original, reason)).toEqual({ attributes: original, placement: 'none' });
  });

  it('never exceed ten attributes, replace a reason from an earlier failure and leave out an unknown event id', () => {
    const earlier = deadLetterAttributes(attributes(3), { ...reason, errorName: 'ContractError' }).attributes;
    const { attributes: result } = deadLetterAttributes(earlier, { ...reason, eventId: undefined });
    expect(Object.keys(result).length).toBeLessThanOrEqual(10);
    expect(result[FailureReasonAttributes.errorName]?.StringValue).toBe('PaymentGatewayAuthorizationError');
    expect(result[FailureReasonAttributes.eventId]).toBeUndefined();
    for (let count = 0; count <= 10; count += 1) {
      expect(
        Object.keys(deadLetterAttributes(attributes(count), reason).attributes).length,
      ).toBeLessThanOrEqual(10);
    }
  });

  it('replace characters SQS refuses and bound a long message', () => {
    const { attributes: result } = deadLetterAttributes(
      {},
      { ...reason, errorMessage: `bad\u0000${'x'.repeat(5_000)}` },
    );
    const message = result[FailureReasonAttributes.errorMessage]?.StringValue ?? '';
    expect(message.startsWith('bad\uFFFDx')).toBe(true);
    expect(message.length).toBeLessThanOrEqual(1_001);
  });

  it('can be stripped, leaving the original attributes exactly', () => {
    const original = attributes(4);
    expect(withoutFailureReason(deadLetterAttributes(original, reason).attributes)).toEqual(original);
    expect(withoutFailureReason(deadLetterAttributes(attributes(8), reason).attributes)).toEqual(
      attributes(8),
    );
  });
});

describe('the DLQ copy of a record', () => {
  it('keeps the body, the attributes (binary ones too) and the trace header, and adds the reason', () => {
    const record = sqsRecord('{"detail":{"id":"evt-1"}}', {
      messageAttributes: {
        tenant: { dataType: 'String', stringValue: 't-1' },
        blob: { dataType: 'Binary', binaryValue: Buffer.from([1, 2, 3]).toString('base64') },
      },
    });
    record.attributes.AWSTraceHeader = 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1';
    const { input } = deadLetterMessage(
      'https://sqs.us-east-1.amazonaws.com/000000000000/billing-dlq',
      record,
      reason,
    );
    expect(input.MessageBody).toBe(record.body);
    expect(input.MessageAttributes?.tenant).toEqual({ DataType: 'String', StringValue: 't-1' });
    expect(Buffer.from(input.MessageAttributes?.blob?.BinaryValue ?? []).toJSON().data).toEqual([1, 2, 3]);
    expect(readFailureReason(input.MessageAttributes ?? {})).toEqual(reason);
    expect(input.MessageSystemAttributes?.AWSTraceHeader?.StringValue).toBe(record.attributes.AWSTraceHeader);
    expect(input.MessageGroupId).toBeUndefined();
  });

  it('carries the group and deduplication ids to a FIFO DLQ', () => {
    const record = sqsRecord('body');
    record.attributes.MessageGroupId = 'order-1';
    const { input } = deadLetterMessage('https://sqs/000000000000/billing-dlq.fifo', record, reason);
    expect(input).toMatchObject({ MessageGroupId: 'order-1', MessageDeduplicationId: record.messageId });
  });

  it('dates the first failure at the first receive and reads the event id from the body when unparsed', () => {
    const record = sqsRecord('{"detail":{"id":"evt-9"}}');
    record.attributes.ApproximateFirstReceiveTimestamp = String(Date.parse('2026-12-02T01:02:03.000Z'));
    expect(failureReasonOf(new ConfigurationError('no'), record, 'fn', undefined)).toEqual({
      errorName: 'ConfigurationError',
      errorMessage: 'no',
      functionName: 'fn',
      eventId: 'evt-9',
      firstFailedAt: '2026-12-02T01:02:03.000Z',
    });
  });
});

describe('consumeEvents with a DLQ fast path', () => {
  const setup = (error: unknown) => {
    const deadLetters = new RecordingDeadLetters();
    const retries = new RecordingRetryScheduler();
    const handler = consumeEvents({
      types: [EventTypes.orderCreated],
      observability: quietObservability(),
      process: async () => {
        throw error;
      },
      deadLetters,
      retryScheduler: retries,
    });
    return { deadLetters, retries, handler };
  };

  it('sends a non-retryable record to its DLQ at once with its reason and acknowledges it', async () => {
    const { deadLetters, retries, handler } = setup(
      new ConfigurationError("secret 'gw' still holds its placeholder"),
    );
    const event = orderCreatedEvent();
    const record = sqsRecordOf(event);

    const response = await handler(
      sqsEvent([record]),
      lambdaContext({ functionName: 'breakwater-dev-billing' }),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(retries.scheduled).toEqual([]);
    expect(deadLetters.sent).toEqual([
      {
        record,
        reason: {
          errorName: 'ConfigurationError',
          errorMessage: "secret 'gw' still holds its placeholder",
          functionName: 'breakwater-dev-billing',
          eventId: event.id,
          firstFailedAt: new Date(Number(record.attributes.ApproximateFirstReceiveTimestamp)).toISOString(),
        },
      },
    ]);
  });

  it('sends a malformed record to the DLQ at once, beside valid records that fail and are retried', async () => {
    const { deadLetters, handler } = setup(new BreakwaterError('gateway down'));
    const [garbage, valid] = [sqsRecord('not json'), sqsRecordOf(orderCreatedEvent())];

    const response = await handler(sqsEvent([garbage, valid]), lambdaContext());

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: valid.messageId }]);
    expect(deadLetters.sent.map((sent) => [sent.record.messageId, sent.reason.errorName])).toEqual([
      [garbage.messageId, 'ContractError'],
    ]);
  });

  it('fails the record the ordinary way, with no back-off, when the DLQ send fails: nothing is lost', async () => {
    const { deadLetters, retries, handler } = setup(new ConfigurationError('placeholder'));
    deadLetters.failWith = new Error('AccessDenied');
    const record = sqsRecordOf(orderCreatedEvent());

    const response = await handler(sqsEvent([record]), lambdaContext());

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(retries.scheduled).toEqual([
      { messageId: record.messageId, queueArn: record.eventSourceARN, seconds: 0 },
    ]);
  });

  it('never dead-letters a retryable failure', async () => {
    const { deadLetters, handler } = setup(new BreakwaterError('gateway down'));
    const record = sqsRecordOf(orderCreatedEvent());
    expect((await handler(sqsEvent([record]), lambdaContext())).batchItemFailures).toHaveLength(1);
    expect(deadLetters.sent).toEqual([]);
  });
});
