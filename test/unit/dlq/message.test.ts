import { describe, expect, it } from 'vitest';
import { readEventFields, replayAttributes } from '../../../packages/dlq/src/message';
import { checkEventEnvelope } from '../../../shared/contracts';
import { dlqMessage, eventBody } from './factories';

describe('reading DLQ messages', () => {
  it('reads id, type, source and detail-type from an EventBridge event carrying our envelope', () => {
    const body = eventBody({ eventId: '0b6f8d2e-1c3a-4e5b-8f7d-9a0b1c2d3e4f' });
    const message = dlqMessage({
      body,
      messageId: 'm-1',
      system: { MessageGroupId: 'g', MessageDeduplicationId: 'd' },
    });
    expect(message).toMatchObject({
      messageId: 'm-1',
      eventId: '0b6f8d2e-1c3a-4e5b-8f7d-9a0b1c2d3e4f',
      eventType: 'order.created',
      eventSource: 'breakwater.orders',
      detailType: 'order.created',
      malformed: undefined,
      receiveCount: 3,
      sentAt: 1_700_000_000_000,
      messageGroupId: 'g',
      messageDeduplicationId: 'd',
    });
  });

  it('reads a bare envelope too', () => {
    const envelope = (JSON.parse(eventBody()) as { detail: unknown }).detail;
    const fields = readEventFields(envelope, true);
    expect(fields).toMatchObject({
      eventType: 'order.created',
      eventSource: 'breakwater.orders',
      malformed: undefined,
    });
  });

  it('marks malformed bodies with the reason the consumer would give, still naming what it can', () => {
    expect(readEventFields(undefined, false).malformed).toBe('body is not JSON');
    expect(readEventFields({ hello: 'world' }, true).malformed).toMatch(/neither an EventBridge event/);
    const wrongData = JSON.parse(eventBody()) as { detail: { id: string; data: { currency: string } } };
    wrongData.detail.data.currency = 'euro';
    const fields = readEventFields(wrongData, true, checkEventEnvelope);
    expect(fields.malformed).toMatch(/invalid data for order.created v1: currency/);
    expect(fields.eventId).toBe(wrongData.detail.id);
    const streamFailure = {
      requestContext: {},
      DDBStreamBatchInfo: { shardId: 's', startSequenceNumber: '1' },
    };
    expect(readEventFields(streamFailure, true).malformed).toMatch(/stream on-failure record/);
    const mismatched = { ...JSON.parse(eventBody()), 'detail-type': 'payment.failed' };
    expect(readEventFields(mismatched, true).malformed).toMatch(/does not match envelope type/);
  });

  it('reads the EventBridge failure attributes', () => {
    const message = dlqMessage({
      attributes: {
        ERROR_CODE: 'SQSClientException',
        ERROR_MESSAGE: 'denied',
        RULE_ARN: 'arn:r',
        TARGET_ARN: 'arn:t',
      },
    });
    expect(message).toMatchObject({
      errorCode: 'SQSClientException',
      errorMessage: 'denied',
      ruleArn: 'arn:r',
      targetArn: 'arn:t',
    });
  });

  it('keeps every attribute on an SQS redrive and drops the EventBridge failure attributes on a re-delivery', () => {
    const message = dlqMessage({
      attributes: {
        tenant: 't',
        ERROR_CODE: 'x',
        ERROR_MESSAGE: 'y',
        RULE_ARN: 'r',
        TARGET_ARN: 't',
        RETRY_ATTEMPTS: '3',
      },
    });
    expect(Object.keys(replayAttributes(message, false)).sort()).toEqual(
      ['ERROR_CODE', 'ERROR_MESSAGE', 'RETRY_ATTEMPTS', 'RULE_ARN', 'TARGET_ARN', 'tenant'].sort(),
    );
    expect(Object.keys(replayAttributes(message, true))).toEqual(['tenant']);
  });
});
