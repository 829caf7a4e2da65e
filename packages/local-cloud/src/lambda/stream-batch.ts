import type { _Record as StreamSdkRecord } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { abortableSleep } from './support.js';
import type { InvocationResult } from './types.js';

/** Lambda's JSON for attribute values: binary as base64 (the SDK hands out `Uint8Array`s). */
const toLambdaJson = (value: unknown): unknown => {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toLambdaJson);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toLambdaJson(inner)]));
  }
  return value;
};

/** A stream record from `GetRecords` in the shape Lambda passes to the function (region and ARN as deployed). */
export const toStreamRecord = (
  record: StreamSdkRecord,
  streamArn: string,
  region: string,
): DynamoDBRecord => {
  const { ApproximateCreationDateTime, ...rest } = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      ...(ApproximateCreationDateTime === undefined
        ? {}
        : { ApproximateCreationDateTime: Math.floor(ApproximateCreationDateTime.getTime() / 1000) }),
      ...(toLambdaJson(rest) as DynamoDBRecord['dynamodb']),
    },
    eventSourceARN: streamArn,
    ...(record.userIdentity === undefined ? {} : { userIdentity: record.userIdentity }),
  };
};

/** How failed stream batches are retried. */
export interface StreamBatchSettings {
  readonly bisectBatchOnFunctionError: boolean;
  /** -1: retry until the record expires (here: until the runner stops). */
  readonly maximumRetryAttempts: number;
  readonly reportBatchItemFailures: boolean;
  /** Pause before a retry, so a failing batch does not spin. */
  readonly retryDelayMs: number;
  readonly signal: AbortSignal;
}

/** Records given up on: they go to the on-failure destination. */
export interface DiscardedBatch {
  readonly records: readonly DynamoDBRecord[];
  readonly invokeCount: number;
  readonly lastResult: InvocationResult;
}

interface Pending {
  readonly records: readonly DynamoDBRecord[];
  /** Failed invocations of these records since they were last split. */
  readonly failures: number;
}

/** The records still to retry after an invocation: none, all, or (partial batch response) from the lowest failure. */
const remainingAfter = (result: InvocationResult, records: readonly DynamoDBRecord[], partial: boolean) => {
  if (!result.ok) return records;
  const payload = result.payload as { batchItemFailures?: unknown } | null;
  if (!partial || typeof payload !== 'object' || payload === null) return [];
  const reported = payload.batchItemFailures;
  if (reported === undefined || reported === null) return [];
  if (!Array.isArray(reported)) return records;
  let first = records.length;
  for (const item of reported) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = records.findIndex((record) => record.dynamodb?.SequenceNumber === id);
    if (index < 0) return records;
    first = Math.min(first, index);
  }
  return records.slice(first);
};

/**
 * Lambda's error handling for one stream batch, in shard order. A failed batch (error, timeout, or reported items:
 * retried from the lowest reported sequence number) is split in two when `BisectBatchOnFunctionError` is on, and a
 * split does not use up a retry; a batch that can no longer be split is retried up to `MaximumRetryAttempts` times,
 * then discarded (returned here for the on-failure destination) and processing moves on.
 */
export const processStreamBatch = async (
  records: readonly DynamoDBRecord[],
  invoke: (event: DynamoDBStreamEvent) => Promise<InvocationResult>,
  settings: StreamBatchSettings,
): Promise<DiscardedBatch[]> => {
  const discarded: DiscardedBatch[] = [];
  const queue: Pending[] = [{ records, failures: 0 }];
  while (queue.length > 0 && !settings.signal.aborted) {
    const current = queue.shift()!;
    const result = await invoke({ Records: [...current.records] });
    const remaining = remainingAfter(result, current.records, settings.reportBatchItemFailures);
    if (remaining.length === 0) continue;
    if (settings.bisectBatchOnFunctionError && remaining.length > 1) {
      const half = Math.ceil(remaining.length / 2);
      queue.unshift(
        { records: remaining.slice(0, half), failures: 0 },
        { records: remaining.slice(half), failures: 0 },
      );
      continue;
    }
    const failures = current.failures + 1;
    if (settings.maximumRetryAttempts >= 0 && failures > settings.maximumRetryAttempts) {
      discarded.push({ records: remaining, invokeCount: failures, lastResult: result });
      continue;
    }
    queue.unshift({ records: remaining, failures });
    await abortableSleep(settings.retryDelayMs, settings.signal);
  }
  return discarded;
};

/** The message Lambda sends to a stream mapping's on-failure destination (SQS) for discarded records. */
export const streamFailureRecord = (
  batch: DiscardedBatch,
  context: { readonly functionArn: string; readonly streamArn: string; readonly shardId: string },
): Record<string, unknown> => {
  const first = batch.records[0]?.dynamodb;
  const last = batch.records.at(-1)?.dynamodb;
  const arrival = (seconds: number | undefined) =>
    seconds === undefined ? undefined : new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
  const { lastResult } = batch;
  return {
    requestContext: {
      requestId: lastResult.requestId,
      functionArn: context.functionArn,
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: batch.invokeCount,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(lastResult.ok ? {} : { functionError: 'Unhandled' }),
    },
    version: '1.0',
    timestamp: new Date().toISOString(),
    DDBStreamBatchInfo: {
      shardId: context.shardId,
      startSequenceNumber: first?.SequenceNumber,
      endSequenceNumber: last?.SequenceNumber,
      approximateArrivalOfFirstRecord: arrival(first?.ApproximateCreationDateTime),
      approximateArrivalOfLastRecord: arrival(last?.ApproximateCreationDateTime),
      batchSize: batch.records.length,
      streamArn: context.streamArn,
    },
  };
};
