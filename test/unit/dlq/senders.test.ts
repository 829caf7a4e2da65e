import { describe, expect, it } from 'vitest';
import type { Destination } from '../../../packages/dlq/src/destinations';
import { MAX_BATCH_BYTES, sendEntry, splitBatches } from '../../../packages/dlq/src/senders';
import type { QueueRef } from '../../../packages/dlq/src/types';
import { dlqMessage, eventBody } from './factories';

const destination = (name: string, redelivery = false): Extract<Destination, { kind: 'sqs' }> => {
  const queue: QueueRef = {
    url: `http://q/${name}`,
    arn: `arn:aws:sqs:us-east-1:0:${name}`,
    name,
    fifo: name.endsWith('.fifo'),
  };
  return { kind: 'sqs', label: queue.arn, queue, redelivery };
};

describe('SendMessageBatch entries', () => {
  it('carries body, attributes and the trace header; no FIFO fields on a standard queue', () => {
    const message = dlqMessage({
      attributes: { tenant: 't' },
      system: { AWSTraceHeader: 'Root=1-abc', MessageGroupId: 'g' },
    });
    const built = sendEntry(message, '0', destination('billing'));
    expect(built).toMatchObject({
      entry: {
        Id: '0',
        MessageBody: message.body,
        MessageAttributes: { tenant: { DataType: 'String', StringValue: 't' } },
        MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-abc' } },
      },
    });
    expect('entry' in built && built.entry.MessageGroupId).toBeFalsy();
  });

  it('keeps FIFO group and deduplication ids; the dedup id falls back to the domain event id', () => {
    const eventId = '3a2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d';
    const kept = sendEntry(
      dlqMessage({ system: { MessageGroupId: 'g', MessageDeduplicationId: 'd' } }),
      '1',
      destination('o.fifo'),
    );
    expect(kept).toMatchObject({ entry: { MessageGroupId: 'g', MessageDeduplicationId: 'd' } });
    const fallback = sendEntry(
      dlqMessage({ body: eventBody({ eventId }), system: { MessageGroupId: 'g' } }),
      '2',
      destination('o.fifo'),
    );
    expect(fallback).toMatchObject({ entry: { MessageDeduplicationId: eventId } });
    expect(sendEntry(dlqMessage(), '3', destination('o.fifo'))).toEqual({
      error: 'destination o.fifo is FIFO but the message has no MessageGroupId',
    });
  });

  it('drops EventBridge failure attributes on a re-delivery', () => {
    const message = dlqMessage({ attributes: { ERROR_CODE: 'x', TARGET_ARN: 'arn:t' } });
    const built = sendEntry(message, '0', destination('target', true));
    expect('entry' in built && built.entry.MessageAttributes).toBeUndefined();
  });

  it('splits batches at 10 entries or the byte limit, keeping order', () => {
    const items = Array.from({ length: 23 }, (_, index) => ({ index, bytes: 100 }));
    expect(splitBatches(items).map((batch) => batch.length)).toEqual([10, 10, 3]);
    const big = [
      { bytes: MAX_BATCH_BYTES - 10 },
      { bytes: 20 },
      { bytes: MAX_BATCH_BYTES + 5 },
      { bytes: 1 },
    ];
    expect(splitBatches(big).map((batch) => batch.map((item) => item.bytes))).toEqual([
      [MAX_BATCH_BYTES - 10],
      [20],
      [MAX_BATCH_BYTES + 5],
      [1],
    ]);
  });
});
