import { SendMessageCommand, type SendMessageCommandInput, SQSClient } from '@aws-sdk/client-sqs';
import {
  deadLetterAttributes,
  eventIdOfBody,
  type FailureReason,
  type ReasonPlacement,
  sdkMessageAttributes,
} from '@breakwater/dlq/failure-reason';
import type { SQSRecord } from 'aws-lambda';
import { requireEnv } from '../config/env';
import { EnvNames } from '../config/env-names';
import { describeError } from '../middleware/observability';

/**
 * Sends a record that can never succeed to its consumer's DLQ at once, with the reason attached. Resolves only once
 * SQS accepted the copy; throws otherwise (the caller then fails the record the ordinary way, so nothing is lost).
 */
export interface DeadLetterSender {
  send(record: SQSRecord, reason: FailureReason): Promise<{ placement: ReasonPlacement }>;
}

/**
 * The SendMessage input of a record's DLQ copy: its body and attributes unchanged, the reason added (see
 * `deadLetterAttributes`), its X-Ray trace header, and for a FIFO DLQ its group and deduplication ids. Pure.
 */
export const deadLetterMessage = (
  queueUrl: string,
  record: SQSRecord,
  reason: FailureReason,
): { input: SendMessageCommandInput; placement: ReasonPlacement } => {
  const { attributes, placement } = deadLetterAttributes(
    sdkMessageAttributes(record.messageAttributes),
    reason,
  );
  const trace = record.attributes?.AWSTraceHeader;
  const fifo = queueUrl.endsWith('.fifo');
  return {
    input: {
      QueueUrl: queueUrl,
      MessageBody: record.body,
      ...(Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
      ...(trace === undefined
        ? {}
        : { MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: trace } } }),
      ...(fifo
        ? {
            MessageGroupId: record.attributes?.MessageGroupId ?? 'dead-letters',
            MessageDeduplicationId: record.attributes?.MessageDeduplicationId ?? record.messageId,
          }
        : {}),
    },
    placement,
  };
};

/**
 * A {@link DeadLetterSender} over SendMessage. `queueUrl` is resolved at the first send (and kept), so a consumer
 * without a configured DLQ URL fails only that send, which falls back to the ordinary failure path.
 */
export const sqsDeadLetterSender = (sqs: SQSClient, queueUrl: () => string): DeadLetterSender => {
  let url: string | undefined;
  return {
    send: async (record, reason) => {
      url ??= queueUrl();
      const { input, placement } = deadLetterMessage(url, record, reason);
      await sqs.send(new SendMessageCommand(input));
      return { placement };
    },
  };
};

/**
 * The sender every queue consumer uses in Lambda: its own SQS client and the URL of its redrive DLQ from
 * `DEAD_LETTER_QUEUE_URL`, which the EventConsumer construct sets (with `sqs:SendMessage` on that queue only).
 */
export const productionDeadLetterSender = (
  env: NodeJS.ProcessEnv = process.env,
  sqs: SQSClient = new SQSClient({}),
): DeadLetterSender => sqsDeadLetterSender(sqs, () => requireEnv(EnvNames.deadLetterQueueUrl, env));

/** The reason of a record's non-retryable failure: the error, the function, the event, the first failure. Pure. */
export const failureReasonOf = (
  error: unknown,
  record: SQSRecord,
  functionName: string,
  eventId: string | undefined,
): FailureReason => {
  // The whole message (bounded by `deadLetterAttributes`), not the log's short form: a configuration error's
  // message ends with what to put in the secret.
  const { errorName } = describeError(error);
  const errorMessage = error instanceof Error ? error.message : String(error);
  const firstReceive = Number(record.attributes?.ApproximateFirstReceiveTimestamp);
  return {
    errorName,
    errorMessage,
    functionName,
    eventId: eventId ?? eventIdOfBody(record.body),
    firstFailedAt: new Date(
      Number.isFinite(firstReceive) && firstReceive > 0 ? firstReceive : Date.now(),
    ).toISOString(),
  };
};
