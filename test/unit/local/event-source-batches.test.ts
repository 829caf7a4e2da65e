import type { DynamoDBRecord, DynamoDBStreamEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { sqsBatchOutcome, toSqsRecord } from '../../../packages/local-cloud/src/lambda/sqs-batch';
import {
  processStreamBatch,
  streamFailureRecord,
} from '../../../packages/local-cloud/src/lambda/stream-batch';
import type { InvocationResult } from '../../../packages/local-cloud/src/lambda/types';

const ok = (payload: unknown): InvocationResult => ({ requestId: 'r', ok: true, payload });
const failed: InvocationResult = {
  requestId: 'r',
  ok: false,
  timedOut: false,
  error: { errorType: 'Error', errorMessage: 'boom' },
};

describe('toSqsRecord', () => {
  it('shapes a received message as Lambda does', () => {
    const record = toSqsRecord(
      {
        MessageId: 'm1',
        ReceiptHandle: 'h1',
        Body: 'hi',
        MD5OfBody: 'md5',
        Attributes: { ApproximateReceiveCount: '2' },
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'x' } },
      },
      'arn:aws:sqs:us-east-1:000000000000:q',
      'us-east-1',
    );
    expect(record).toMatchObject({
      messageId: 'm1',
      receiptHandle: 'h1',
      body: 'hi',
      attributes: { ApproximateReceiveCount: '2' },
      messageAttributes: {
        kind: { dataType: 'String', stringValue: 'x', stringListValues: [], binaryListValues: [] },
      },
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
      awsRegion: 'us-east-1',
    });
  });
});

describe('sqsBatchOutcome', () => {
  const records = ['a', 'b', 'c'].map((messageId) => ({ messageId }) as SQSRecord);
  const ids = (list: readonly SQSRecord[]) => list.map((record) => record.messageId);

  it('fails the whole batch on an error or timeout', () => {
    const outcome = sqsBatchOutcome(failed, records, true);
    expect(ids(outcome.succeeded)).toEqual([]);
    expect(outcome.batchFailure).toBe('boom');
  });

  it('keeps only the reported failures with ReportBatchItemFailures', () => {
    const outcome = sqsBatchOutcome(ok({ batchItemFailures: [{ itemIdentifier: 'b' }] }), records, true);
    expect(ids(outcome.succeeded)).toEqual(['a', 'c']);
    expect(ids(outcome.failed)).toEqual(['b']);
  });

  it('counts null, empty responses and empty lists as full success', () => {
    for (const payload of [null, {}, { batchItemFailures: [] }, { batchItemFailures: null }]) {
      expect(ids(sqsBatchOutcome(ok(payload), records, true).succeeded)).toEqual(['a', 'b', 'c']);
    }
  });

  it('fails the whole batch on an identifier that is empty or not in the batch', () => {
    expect(
      sqsBatchOutcome(ok({ batchItemFailures: [{ itemIdentifier: 'zzz' }] }), records, true).batchFailure,
    ).toMatch(/invalid itemIdentifier/);
    expect(sqsBatchOutcome(ok({ batchItemFailures: [{}] }), records, true).succeeded).toEqual([]);
  });

  it('ignores the response without ReportBatchItemFailures', () => {
    expect(
      ids(sqsBatchOutcome(ok({ batchItemFailures: [{ itemIdentifier: 'b' }] }), records, false).succeeded),
    ).toEqual(['a', 'b', 'c']);
  });
});

const streamRecords = (count: number): DynamoDBRecord[] =>
  Array.from({ length: count }, (_, index) => ({
    eventName: 'INSERT',
    dynamodb: { SequenceNumber: String(100 + index), ApproximateCreationDateTime: 1_700_000_000 + index },
  }));
const sequenceOf = (event: DynamoDBStreamEvent) =>
  event.Records.map((record) => record.dynamodb?.SequenceNumber);

describe('processStreamBatch', () => {
  const settings = {
    bisectBatchOnFunctionError: false,
    maximumRetryAttempts: 2,
    reportBatchItemFailures: false,
    retryDelayMs: 0,
    signal: new AbortController().signal,
  };

  it('retries a failing batch MaximumRetryAttempts times, then discards it', async () => {
    const calls: unknown[] = [];
    const discarded = await processStreamBatch(
      streamRecords(3),
      async (event) => {
        calls.push(sequenceOf(event));
        return failed;
      },
      settings,
    );
    expect(calls).toHaveLength(3);
    expect(discarded).toHaveLength(1);
    expect(discarded[0]).toMatchObject({ invokeCount: 3 });
    expect(discarded[0]?.records).toHaveLength(3);
  });

  it('bisects to isolate the failing record, without using retries on splits', async () => {
    const calls: unknown[] = [];
    const discarded = await processStreamBatch(
      streamRecords(4),
      async (event) => {
        calls.push(sequenceOf(event));
        return sequenceOf(event).includes('102') ? failed : ok(null);
      },
      { ...settings, bisectBatchOnFunctionError: true, maximumRetryAttempts: 1 },
    );
    expect(calls).toEqual([
      ['100', '101', '102', '103'],
      ['100', '101'],
      ['102', '103'],
      ['102'],
      ['102'],
      ['103'],
    ]);
    expect(discarded.map((batch) => batch.records.map((record) => record.dynamodb?.SequenceNumber))).toEqual([
      ['102'],
    ]);
  });

  it('retries from the lowest reported sequence number with partial batch responses', async () => {
    const calls: unknown[] = [];
    await processStreamBatch(
      streamRecords(4),
      async (event) => {
        calls.push(sequenceOf(event));
        return calls.length === 1
          ? ok({ batchItemFailures: [{ itemIdentifier: '103' }, { itemIdentifier: '101' }] })
          : ok({});
      },
      { ...settings, reportBatchItemFailures: true },
    );
    expect(calls).toEqual([
      ['100', '101', '102', '103'],
      ['101', '102', '103'],
    ]);
  });

  it('describes discarded records in the on-failure destination format', () => {
    const message = streamFailureRecord(
      { records: streamRecords(2), invokeCount: 2, lastResult: { ...failed, requestId: 'req-1' } },
      { functionArn: 'arn:fn', streamArn: 'arn:stream', shardId: 'shard-1' },
    );
    expect(message).toMatchObject({
      requestContext: {
        requestId: 'req-1',
        functionArn: 'arn:fn',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 2,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      DDBStreamBatchInfo: {
        shardId: 'shard-1',
        startSequenceNumber: '100',
        endSequenceNumber: '101',
        approximateArrivalOfFirstRecord: '2023-11-14T22:13:20Z',
        batchSize: 2,
        streamArn: 'arn:stream',
      },
    });
  });
});
