import type { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import { consumeEvents } from '../../../shared/batch/event-consumer';
import { BatchMetrics, reportRecordFailure } from '../../../shared/batch/process-batch';
import { EventTypes } from '../../../shared/contracts';
import { BreakwaterError, ConfigurationError, ContractError } from '../../../shared/errors';
import { orderCreatedEvent, sqsEvent, sqsRecord, sqsRecordOf } from '../../support/events';
import { lambdaContext } from '../../support/lambda';
import { quietObservability } from '../../support/observability';
import { RecordingLog, RecordingMetrics } from '../../support/recording-log';

describe('reportRecordFailure', () => {
  it('logs a contract violation as an error with its reason and counts it as rejected', () => {
    const log = new RecordingLog();
    const metrics = new RecordingMetrics();
    reportRecordFailure(new ContractError('unknown event type', ['x']), log, metrics, { messageId: 'm-1' });

    expect(log.lines).toEqual([
      {
        level: 'error',
        message: expect.stringContaining('record rejected'),
        attributes: {
          messageId: 'm-1',
          errorName: 'ContractError',
          errorMessage: 'unknown event type: x',
          reason: 'unknown event type: x',
        },
      },
    ]);
    expect(metrics.total(BatchMetrics.recordsRejected)).toBe(1);
  });

  it('logs our retryable errors as warnings, anything unexpected as an error with the error attached, and counts a configuration problem as rejected', () => {
    const log = new RecordingLog();
    const metrics = new RecordingMetrics();
    reportRecordFailure(new BreakwaterError('gateway down'), log, metrics, {});
    const bug = new TypeError('undefined is not a function');
    reportRecordFailure(bug, log, metrics, {});
    reportRecordFailure(new ConfigurationError("secret 'gw' is not JSON"), log, metrics, {});

    expect(log.lines.map((line) => line.level)).toEqual(['warn', 'error', 'error']);
    expect(log.lines[1]?.attributes.error).toBe(bug);
    expect(log.lines[2]?.message).toContain('record rejected');
    expect(metrics.total(BatchMetrics.recordsFailed)).toBe(2);
    expect(metrics.total(BatchMetrics.recordsRejected)).toBe(1);
  });
});

describe('consumeEvents', () => {
  it('gives each record a logger carrying its own correlation id, event id and type', async () => {
    const seen: Record<string, unknown>[] = [];
    const handler = consumeEvents({
      types: [EventTypes.orderCreated],
      observability: quietObservability(),
      process: async (_event, _context, log) => {
        seen.push((log as Logger).getPersistentLogAttributes());
      },
    });
    const [a, b] = [
      orderCreatedEvent({ correlationId: 'corr-a' }),
      orderCreatedEvent({ correlationId: 'corr-b' }),
    ];

    expect(await handler(sqsEvent([sqsRecordOf(a), sqsRecordOf(b)]), lambdaContext())).toEqual({
      batchItemFailures: [],
    });
    expect(seen).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ correlation_id: 'corr-a', eventId: a.id, eventType: 'order.created' }),
        expect.objectContaining({ correlation_id: 'corr-b', eventId: b.id }),
      ]),
    );
  });

  it('answers every record as failed, without throwing, when all of them fail', async () => {
    const handler = consumeEvents({
      types: [EventTypes.orderCreated],
      observability: quietObservability(),
      process: async () => {
        throw new BreakwaterError('downstream unavailable');
      },
    });
    const records = [sqsRecord('garbage'), sqsRecordOf(orderCreatedEvent())];

    const response = await handler(sqsEvent(records), lambdaContext());
    expect(response.batchItemFailures).toEqual(
      records.map((record) => ({ itemIdentifier: record.messageId })),
    );
  });
});
