import { Duration, type RemovalPolicy, Tags } from 'aws-cdk-lib';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledgeTerminalQueue } from './nag.js';
import { type DlqKind, QueueRoles, TagKeys } from './tags.js';

/**
 * Secure defaults of every queue and DLQ. One place: change a number here and every queue follows.
 *
 * - Encryption: SSE-SQS. Not the AWS-managed `alias/aws/sqs` KMS key: EventBridge cannot send to a queue encrypted
 *   with it (its key policy cannot be changed), and a customer-managed key per queue adds cost for no gain here.
 * - Transport: `enforceSSL` adds a Deny on `aws:SecureTransport = false` to the queue policy.
 * - Retention: a standard DLQ keeps a message's original enqueue time, so a DLQ that does not outlive its source
 *   silently drops what it receives. DLQs therefore keep the SQS maximum (14 days) and sources less.
 *
 * @example
 * ```ts
 * new EventConsumer(stack, 'Billing', { ...props, maxReceiveCount: QueueDefaults.maxReceiveCount * 2 });
 * ```
 */
export const QueueDefaults = {
  /** Retention of a source queue. Must stay below {@link QueueDefaults.deadLetterRetention}. */
  retention: Duration.days(4),
  /** Retention of every DLQ: the SQS maximum. */
  deadLetterRetention: Duration.days(14),
  /** Receives before a message moves to the DLQ: enough to ride out transient failures and partial batches. */
  maxReceiveCount: 5,
  /** Lower bound accepted for maxReceiveCount: fewer lets one bad deploy or throttle burst flood the DLQ. */
  minMaxReceiveCount: 5,
  /** Upper bound of maxReceiveCount (SQS limit). */
  maxMaxReceiveCount: 1000,
  /** Lambda's rule: the queue's visibility timeout is at least this many times the function timeout. */
  visibilityTimeoutFactor: 6,
  /** SQS limit of the visibility timeout. */
  maxVisibilityTimeout: Duration.hours(12),
  /** SQS limits of the retention period. */
  minRetention: Duration.seconds(60),
} as const;

/**
 * The properties every queue gets, whatever its role.
 *
 * @example
 * ```ts
 * const queue = new Queue(stack, 'Work', { ...secureQueueProps(RemovalPolicy.RETAIN), retentionPeriod: Duration.days(4) });
 * ```
 */
export function secureQueueProps(removalPolicy: RemovalPolicy): QueueProps {
  return { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, removalPolicy };
}

/**
 * Options of {@link createDeadLetterQueue}.
 *
 * @example
 * ```ts
 * const options: DeadLetterQueueOptions = { kind: DlqKinds.redrive, source: 'billing', removalPolicy: RemovalPolicy.RETAIN };
 * ```
 */
export interface DeadLetterQueueOptions {
  /** Which failure path feeds the DLQ (tagged, and decides the cdk-nag acknowledgements). */
  readonly kind: DlqKind;
  /** Consumer or function whose failures it holds (tagged as `breakwater:source`). */
  readonly source: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A DLQ: SSE-SQS, TLS only, 14 days retention, tagged `breakwater:role=dlq`, `breakwater:dlq-kind`,
 * `breakwater:source`. It has no DLQ of its own (acknowledged for cdk-nag with the reason).
 *
 * @example
 * ```ts
 * import { createDeadLetterQueue, DlqKinds } from '@breakwater/event-consumer';
 *
 * const failures = createDeadLetterQueue(stack, 'PublisherFailures', { kind: DlqKinds.streamOnFailure,
 *   source: 'outbox-publisher', removalPolicy: RemovalPolicy.RETAIN });
 * ```
 */
export function createDeadLetterQueue(scope: Construct, id: string, options: DeadLetterQueueOptions): Queue {
  const queue = new Queue(scope, id, {
    ...secureQueueProps(options.removalPolicy),
    retentionPeriod: QueueDefaults.deadLetterRetention,
  });
  Tags.of(queue).add(TagKeys.role, QueueRoles.dlq);
  Tags.of(queue).add(TagKeys.dlqKind, options.kind);
  Tags.of(queue).add(TagKeys.source, options.source);
  acknowledgeTerminalQueue(queue, options.kind);
  return queue;
}

/**
 * Options of {@link createSourceQueue}.
 *
 * @example
 * ```ts
 * const options: SourceQueueOptions = { source: 'billing', deadLetterQueue: dlq, maxReceiveCount: 5, retention: Duration.days(4), visibilityTimeout: Duration.minutes(3), removalPolicy: RemovalPolicy.RETAIN };
 * ```
 */
export interface SourceQueueOptions {
  /** Consumer whose function reads the queue (tagged as `breakwater:source`). */
  readonly source: string;
  /** Redrive target. Its retention must exceed `retention` (checked by the caller's validation). */
  readonly deadLetterQueue: Queue;
  readonly maxReceiveCount: number;
  readonly retention: Duration;
  readonly visibilityTimeout: Duration;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A queue a function consumes: secure defaults plus a redrive policy to its DLQ.
 *
 * @example
 * ```ts
 * const dlq = createDeadLetterQueue(stack, 'Dlq', { kind: DlqKinds.redrive, source: 'billing', removalPolicy });
 * const queue = createSourceQueue(stack, 'Queue', { source: 'billing', deadLetterQueue: dlq, maxReceiveCount: 5,
 *   retention: Duration.days(4), visibilityTimeout: Duration.minutes(3), removalPolicy });
 * ```
 */
export function createSourceQueue(scope: Construct, id: string, options: SourceQueueOptions): Queue {
  const queue = new Queue(scope, id, {
    ...secureQueueProps(options.removalPolicy),
    retentionPeriod: options.retention,
    visibilityTimeout: options.visibilityTimeout,
    deadLetterQueue: { queue: options.deadLetterQueue, maxReceiveCount: options.maxReceiveCount },
  });
  Tags.of(queue).add(TagKeys.role, QueueRoles.queue);
  Tags.of(queue).add(TagKeys.source, options.source);
  return queue;
}
