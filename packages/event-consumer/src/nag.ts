import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { DlqKind } from './tags.js';

const dlqReferrers: Record<DlqKind, string> = {
  redrive: "a queue's RedrivePolicy",
  'rule-target': "an EventBridge rule target's DeadLetterConfig",
  'stream-on-failure': "a stream event source mapping's OnFailure destination",
  subscription: "an SNS subscription's RedrivePolicy",
  'scheduled-run': "a schedule rule target's DeadLetterConfig and its function's DeadLetterConfig",
};

/**
 * The cdk-nag findings the queues and the consumer raise by design, each with its reason (acknowledged through
 * aws-cdk-lib's `Validations`, so the package needs no cdk-nag; without cdk-nag they are inert).
 *
 * @example
 * ```ts
 * Validations.of(myDlq).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason: NagReasons.terminalQueue });
 * ```
 */
export const NagReasons = {
  terminalQueue:
    'This queue is itself a dead-letter queue: it is the end of a failure path, drained by an operator with ' +
    'the DLQ replay tool. A DLQ of a DLQ would only move the same problem one queue further.',
  notRedriveDlq: (kind: DlqKind) =>
    `This queue is a dead-letter queue (${kind}). It is referenced by ${dlqReferrers[kind]}, which the SQS3 ` +
    'rule does not recognise (it only follows SQS RedrivePolicy and Lambda DeadLetterConfig references).',
  sqsEsmDestination:
    'SQS event source mappings cannot take an OnFailure destination (only stream and Kafka sources can); failed ' +
    'messages go to the queue redrive DLQ after maxReceiveCount receives, which is alarmed.',
} as const;

/**
 * Acknowledges one cdk-nag rule (or finding) on `scope` and everything below it, with a reason.
 *
 * @example
 * ```ts
 * acknowledge(fn, 'AwsSolutions-L1', 'pinned to the runtime the handler was tested with');
 * ```
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledgements for a DLQ: it has no DLQ of its own; non-redrive DLQs are also invisible to SQS3.
 *
 * @example
 * ```ts
 * const dlq = new Queue(stack, 'Dlq', secureQueueProps(RemovalPolicy.RETAIN));
 * acknowledgeTerminalQueue(dlq, DlqKinds.redrive);
 * ```
 */
export function acknowledgeTerminalQueue(queue: IConstruct, kind: DlqKind): void {
  acknowledge(queue, 'Serverless-SQSRedrivePolicy', NagReasons.terminalQueue);
  if (kind !== 'redrive') {
    acknowledge(queue, 'AwsSolutions-SQS3', NagReasons.notRedriveDlq(kind));
  }
}
