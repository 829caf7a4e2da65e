import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { FailureReason } from './failure-reason.js';

/** Queue tags the CDK app puts on every DLQ; discovery reads them. */
export const DlqTags = {
  role: 'breakwater:role',
  roleDlq: 'dlq',
  kind: 'breakwater:dlq-kind',
} as const;

/**
 * How a DLQ gets its messages, which decides where a replay sends them:
 * `sqs-redrive` (an SQS redrive policy moved them; back to the source queue), `eventbridge-target` (EventBridge
 * could not deliver to a rule target; back to that target or the bus), `stream-on-failure` (a stream event
 * source's on-failure destination: batch metadata, not events, so nothing to replay), `sns-subscription` (an SNS
 * subscription's redrive policy), `unknown` (tagged as a DLQ, no evidence yet).
 *
 * @example
 * ```ts
 * const redrive = (await listDlqs(sqs)).filter((dlq) => dlq.kind === DlqKinds.sqsRedrive);
 * ```
 */
export const DlqKinds = {
  sqsRedrive: 'sqs-redrive',
  eventBridgeTarget: 'eventbridge-target',
  streamOnFailure: 'stream-on-failure',
  snsSubscription: 'sns-subscription',
  unknown: 'unknown',
} as const;
/**
 * Checks an event envelope with the consumers' contract: undefined when it holds, else why not (one line). Messages
 * it refuses are malformed: shown as such and never replayed, since they would fail again.
 *
 * @example
 * ```ts
 * const checkEvent: EventCheck = (envelope) =>
 *   typeof (envelope as { id?: unknown }).id === 'string' ? undefined : 'no event id';
 * await replayDlq(clients, 'billing-dlq', { checkEvent });
 * ```
 */
export type EventCheck = (envelope: unknown) => string | undefined;

/**
 * One of {@link DlqKinds}.
 *
 * @example
 * ```ts
 * const kind: DlqKind = DlqKinds.eventBridgeTarget;
 * ```
 */
export type DlqKind = (typeof DlqKinds)[keyof typeof DlqKinds];

/** Message attributes EventBridge adds to a message it puts in a target DLQ. */
export const EventBridgeDlqAttributes = {
  ruleArn: 'RULE_ARN',
  targetArn: 'TARGET_ARN',
  errorCode: 'ERROR_CODE',
  errorMessage: 'ERROR_MESSAGE',
  exhaustedRetryCondition: 'EXHAUSTED_RETRY_CONDITION',
  retryAttempts: 'RETRY_ATTEMPTS',
} as const;

/**
 * A resolved queue. `name` ends in `.fifo` for FIFO queues.
 *
 * @example
 * ```ts
 * const queue: QueueRef = await resolveQueue(sqs, 'billing-dlq');
 * ```
 */
export interface QueueRef {
  readonly url: string;
  readonly arn: string;
  readonly name: string;
  readonly fifo: boolean;
}

/**
 * One DLQ as `list` shows it.
 *
 * @example
 * ```ts
 * const [first]: DlqSummary[] = await listDlqs(sqs);
 * ```
 */
export interface DlqSummary {
  readonly queue: QueueRef;
  readonly kind: DlqKind;
  /** Visible messages (ApproximateNumberOfMessages). */
  readonly depth: number;
  /** Messages received by someone and not yet deleted or released. */
  readonly inFlight: number;
  /** Age of the oldest message in seconds, or undefined when the queue is empty or it could not be told. */
  readonly oldestAgeSeconds: number | undefined;
  /** Where the age came from: the queue attribute, or the oldest SentTimestamp among peeked messages (a sample). */
  readonly oldestAgeSource: 'attribute' | 'peek' | undefined;
  /** Source queues whose redrive policy points here (sqs-redrive DLQs). */
  readonly sources: readonly QueueRef[];
  /** Rule targets seen on peeked messages or named by tags (eventbridge-target DLQs). */
  readonly targets: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A DLQ message read for inspection, selection and replay. Parsing never throws: a body that is not a valid
 * Breakwater event carries `malformed` with the reason, and such a message is never replayed.
 *
 * @example
 * ```ts
 * const [message]: DlqMessage[] = await peekMessages(sqs, queue);
 * console.log(message?.eventId, message?.failureReason?.errorName);
 * ```
 */
export interface DlqMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  /** The body as JSON, when it is JSON. */
  readonly json: unknown;
  /** Domain event id (the envelope's `id`). Consumers are idempotent on it. */
  readonly eventId: string | undefined;
  readonly eventType: string | undefined;
  /** EventBridge `source` and `detail-type`, needed to re-put the event on its bus. */
  readonly eventSource: string | undefined;
  readonly detailType: string | undefined;
  /** Why the message is not a replayable Breakwater event, or undefined when it is one. */
  readonly malformed: string | undefined;
  readonly attributes: Readonly<Record<string, MessageAttributeValue>>;
  readonly receiveCount: number;
  /** SentTimestamp in epoch milliseconds (a standard DLQ keeps the original enqueue time). */
  readonly sentAt: number | undefined;
  readonly messageGroupId: string | undefined;
  readonly messageDeduplicationId: string | undefined;
  readonly traceHeader: string | undefined;
  /** Set by SQS on messages its redrive moved: the queue the message failed in. */
  readonly deadLetterSourceArn: string | undefined;
  readonly errorCode: string | undefined;
  readonly errorMessage: string | undefined;
  readonly ruleArn: string | undefined;
  readonly targetArn: string | undefined;
  /** Why a consumer sent it here at once (a non-retryable failure), from its `breakwater.failure.*` attributes. */
  readonly failure: FailureReason | undefined;
}

/**
 * What a replay did (or, in a dry run, would do) with one message.
 *
 * @example
 * ```ts
 * const failed = report.messages.filter((m) => m.result === ReplayResults.failed);
 * ```
 */
export const ReplayResults = {
  replayed: 'replayed',
  skipped: 'skipped',
  failed: 'failed',
  wouldReplay: 'would-replay',
} as const;
/**
 * One of {@link ReplayResults}.
 *
 * @example
 * ```ts
 * const result: ReplayResult = ReplayResults.skipped;
 * ```
 */
export type ReplayResult = (typeof ReplayResults)[keyof typeof ReplayResults];

/**
 * One line of the report.
 *
 * @example
 * ```ts
 * const outcomes: readonly MessageOutcome[] = report.messages;
 * ```
 */
export interface MessageOutcome {
  readonly messageId: string;
  readonly eventId: string | undefined;
  readonly eventType: string | undefined;
  readonly destination: string | undefined;
  readonly result: ReplayResult;
  readonly reason: string | undefined;
}

/**
 * Counts per result, plus what was received.
 *
 * @example
 * ```ts
 * const { replayed, failed }: ReplayTotals = report.totals;
 * ```
 */
export interface ReplayTotals {
  received: number;
  replayed: number;
  skipped: number;
  failed: number;
  wouldReplay: number;
}
