import type { Message } from '@aws-sdk/client-sqs';
import type { SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import type { InvocationResult } from './types.js';

/** A received SQS message in the shape Lambda passes to the function. */
export const toSqsRecord = (message: Message, queueArn: string, region: string): SQSRecord => {
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      dataType: value.DataType ?? 'String',
      stringValue: value.StringValue,
      binaryValue:
        value.BinaryValue === undefined ? undefined : Buffer.from(value.BinaryValue).toString('base64'),
      stringListValues: [],
      binaryListValues: [],
    };
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: (message.Attributes ?? {}) as unknown as SQSRecordAttributes,
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes === undefined
      ? {}
      : { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
};

/** What filter criteria see of an SQS record: the record, with `body` parsed when it is JSON (as Lambda does). */
export const sqsFilterView = (record: SQSRecord): unknown => {
  try {
    return { ...record, body: JSON.parse(record.body) as unknown };
  } catch {
    return record;
  }
};

/** Which records of an invoked batch to delete, and why the others stay. */
export interface SqsBatchOutcome {
  readonly succeeded: readonly SQSRecord[];
  readonly failed: readonly SQSRecord[];
  /** Set when the whole batch counts as failed. */
  readonly batchFailure?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * Lambda's SQS semantics: an error or timeout fails the whole batch (every message returns after its visibility
 * timeout). With `ReportBatchItemFailures`, a successful response may list failed `itemIdentifier`s (message ids);
 * only those stay. A null or empty response, or an empty list, means all succeeded; an identifier that is empty or
 * not in the batch fails the whole batch.
 */
export const sqsBatchOutcome = (
  result: InvocationResult,
  records: readonly SQSRecord[],
  reportBatchItemFailures: boolean,
): SqsBatchOutcome => {
  if (!result.ok) return { succeeded: [], failed: records, batchFailure: result.error.errorMessage };
  if (!reportBatchItemFailures || !isRecord(result.payload)) return { succeeded: records, failed: [] };
  const reported = result.payload.batchItemFailures;
  if (reported === undefined || reported === null) return { succeeded: records, failed: [] };
  if (!Array.isArray(reported))
    return { succeeded: [], failed: records, batchFailure: 'batchItemFailures is not a list' };
  const ids = new Set(records.map((record) => record.messageId));
  const failedIds = new Set<string>();
  for (const item of reported) {
    const id = isRecord(item) ? item.itemIdentifier : undefined;
    if (typeof id !== 'string' || !ids.has(id)) {
      return { succeeded: [], failed: records, batchFailure: `invalid itemIdentifier ${JSON.stringify(id)}` };
    }
    failedIds.add(id);
  }
  return {
    succeeded: records.filter((record) => !failedIds.has(record.messageId)),
    failed: records.filter((record) => failedIds.has(record.messageId)),
  };
};
