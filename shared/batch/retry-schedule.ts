import { ChangeMessageVisibilityBatchCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { intEnv } from '../config/env';
import { EnvNames } from '../config/env-names';
import { isNonRetryable } from '../errors';
import { describeError, type Log } from '../middleware/observability';
import { isRefusedCall, retryAfterMsOf } from './refused-call';

/** How long a failed message waits before its next attempt. Defaults are in {@link RetryDelayDefaults}. */
export interface RetryDelayPolicy {
  /** Delay after the first failed receive; doubled on every further receive. */
  readonly baseSeconds: number;
  /** Ceiling of the doubling. */
  readonly maxSeconds: number;
}

/**
 * 2 s doubling to 5 min: with the default 5 receives a message that keeps failing reaches its DLQ about half a
 * minute after its first attempt (2 + 4 + 8 + 16 s) instead of 5 × the queue's visibility timeout, and a transient
 * fault gets room to clear without the queue hammering it.
 */
export const RetryDelayDefaults = { baseSeconds: 2, maxSeconds: 300 } as const satisfies RetryDelayPolicy;

/**
 * How a message refused by an open circuit breaker comes back (the queue-aware fallback):
 * - `minSeconds`: at least this long. A HALF_OPEN rejection (every probe slot taken) asks for about a second;
 *   without a floor the message would return, and burn a receive, every second until the round ends.
 * - `jitterRatio`: plus up to this share of the wait, so that messages deferred together do not all return at the
 *   instant the cooldown ends, when only K probes can be admitted.
 */
export const CircuitOpenRetryDefaults = { minSeconds: 5, jitterRatio: 0.2 } as const;

/** SQS's ceiling for a visibility timeout. */
const MAX_VISIBILITY_SECONDS = 43_200;

/**
 * Seconds until a failed message should be received again:
 * - a failure waiting cannot fix (`classifyFailure`; normally sent to the DLQ at once by the consumer, this is the
 *   path when that send failed): 0, so it walks its remaining receives into the DLQ at once;
 * - a call refused by an open circuit breaker (a `RefusedCall`, nothing was called): the rest of the cooldown,
 *   with {@link CircuitOpenRetryDefaults}' floor and jitter (`random` in [0, 1) picks the jitter), so the message
 *   costs one receive per cooldown instead of being burned into the DLQ by fast rejections. The record still fails: the fallback never acknowledges a message it did not process.
 * - another error that knows when to come back (`retryAfterMs`): that long;
 * - anything else: exponential back-off on the receive count.
 *
 * Why not pause the event source mapping while a circuit is open instead: a paused mapping invokes nothing, so
 * nothing is left to notice the cooldown's end or to run the half-open probes (resuming needs a scheduler, and a
 * resume that never comes leaves the queue stuck); disabling takes effect asynchronously, so batches already being
 * polled arrive anyway and need this path; it would stop the messages of every circuit, healthy ones too; and the
 * function would need the right to reconfigure its own trigger.
 */
export const retryDelaySeconds = (
  error: unknown,
  receiveCount: number,
  policy: RetryDelayPolicy = RetryDelayDefaults,
  random = 0,
): number => {
  if (isNonRetryable(error)) return 0;
  if (isRefusedCall(error)) {
    const { minSeconds, jitterRatio } = CircuitOpenRetryDefaults;
    const waitMs = error.retryAfterMs * (1 + jitterRatio * Math.min(Math.max(random, 0), 1));
    // A circuit forced open asks for no end (Infinity): the longest wait SQS allows.
    return Number.isFinite(waitMs)
      ? Math.min(MAX_VISIBILITY_SECONDS, Math.max(minSeconds, Math.ceil(waitMs / 1000)))
      : MAX_VISIBILITY_SECONDS;
  }
  const retryAfterMs = retryAfterMsOf(error);
  if (retryAfterMs !== undefined)
    return Math.min(MAX_VISIBILITY_SECONDS, Math.max(1, Math.ceil(retryAfterMs / 1000)));
  const attempt = Number.isFinite(receiveCount) ? Math.max(1, Math.floor(receiveCount)) : 1;
  return Math.min(policy.maxSeconds, MAX_VISIBILITY_SECONDS, policy.baseSeconds * 2 ** (attempt - 1));
};

/** A message of the batch that failed, and why. */
export interface FailedRecord {
  readonly record: SQSRecord;
  readonly error: unknown;
}

/** Decides when the failed messages of a batch come back. */
export interface RetryScheduler {
  schedule(failures: readonly FailedRecord[], log: Log): Promise<void>;
}

/** `arn:aws:sqs:<region>:<account>:<name>` → name and account. */
const queueOf = (arn: string): { name: string; account: string } | undefined => {
  const [, , service, , account, name] = arn.split(':');
  return service === 'sqs' && account && name ? { name, account } : undefined;
};

/**
 * A {@link RetryScheduler} that sets each failed message's visibility timeout (ChangeMessageVisibilityBatch, 10 per
 * call) from {@link retryDelaySeconds}. Queue URLs are looked up once per container. A failure to change
 * visibility is logged and otherwise harmless: the message then returns after the queue's own visibility timeout.
 */
export const sqsRetryScheduler = (
  sqs: SQSClient,
  policy: RetryDelayPolicy = RetryDelayDefaults,
  random: () => number = Math.random,
): RetryScheduler => {
  const queueUrls = new Map<string, Promise<string>>();
  const queueUrl = (arn: string): Promise<string> => {
    let url = queueUrls.get(arn);
    if (url === undefined) {
      const queue = queueOf(arn);
      url =
        queue === undefined
          ? Promise.reject(new Error(`not an SQS queue ARN: ${arn}`))
          : sqs
              .send(new GetQueueUrlCommand({ QueueName: queue.name, QueueOwnerAWSAccountId: queue.account }))
              .then(({ QueueUrl }) => QueueUrl ?? Promise.reject(new Error(`no URL for queue ${arn}`)));
      url.catch(() => queueUrls.delete(arn));
      queueUrls.set(arn, url);
    }
    return url;
  };
  return {
    schedule: async (failures, log) => {
      const byQueue = Map.groupBy(failures, ({ record }) => record.eventSourceARN);
      for (const [arn, queueFailures] of byQueue) {
        const entries = queueFailures.map(({ record, error }) => ({
          Id: record.messageId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80),
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: retryDelaySeconds(
            error,
            Number(record.attributes?.ApproximateReceiveCount ?? 1),
            policy,
            random(),
          ),
        }));
        try {
          const url = await queueUrl(arn);
          for (let start = 0; start < entries.length; start += 10) {
            const { Failed = [] } = await sqs.send(
              new ChangeMessageVisibilityBatchCommand({
                QueueUrl: url,
                Entries: entries.slice(start, start + 10),
              }),
            );
            for (const failed of Failed) {
              log.warn('could not set the retry delay of a failed message', {
                id: failed.Id,
                reason: failed.Message,
              });
            }
          }
        } catch (error) {
          log.warn(
            'could not set the retry delays of failed messages; they return after the visibility timeout',
            {
              queue: arn,
              ...describeError(error),
            },
          );
        }
      }
    },
  };
};

/**
 * The scheduler every queue consumer uses in Lambda: an SQS client (pass the function's, captured by its tracer) and
 * the policy from `RETRY_BASE_DELAY_SECONDS` / `RETRY_MAX_DELAY_SECONDS` (defaults in {@link RetryDelayDefaults}).
 */
export const productionRetryScheduler = (
  env: NodeJS.ProcessEnv = process.env,
  sqs: SQSClient = new SQSClient({}),
): RetryScheduler =>
  sqsRetryScheduler(sqs, {
    baseSeconds: intEnv(
      EnvNames.retryBaseDelaySeconds,
      RetryDelayDefaults.baseSeconds,
      { min: 0, max: 900 },
      env,
    ),
    maxSeconds: intEnv(
      EnvNames.retryMaxDelaySeconds,
      RetryDelayDefaults.maxSeconds,
      { min: 0, max: 43_200 },
      env,
    ),
  });
