import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { DlqKind } from '../defaults/tags';

const dlqReferrers: Record<DlqKind, string> = {
  redrive: "a queue's RedrivePolicy",
  'rule-target': "an EventBridge rule target's DeadLetterConfig",
  'stream-on-failure': "a stream event source mapping's OnFailure destination",
  subscription: "an SNS subscription's RedrivePolicy",
  'scheduled-run': "a schedule rule target's DeadLetterConfig and its function's DeadLetterConfig",
};

/**
 * Every cdk-nag acknowledgement of the app, with its reason, in one place so that a reviewer reads them together.
 * cdk-nag 3 matches acknowledgements by exact rule id (and finding, e.g. `[Resource::*]`) on the resource or one of
 * its ancestors; there is no prefix matching, so each finding is acknowledged precisely where it arises.
 */
export const NagReasons = {
  terminalQueue:
    'This queue is itself a dead-letter queue: it is the end of a failure path, drained by an operator with ' +
    'the DLQ replay tool. A DLQ of a DLQ would only move the same problem one queue further.',
  notRedriveDlq: (kind: DlqKind) =>
    `This queue is a dead-letter queue (${kind}). It is referenced by ${dlqReferrers[kind]}, which the SQS3 ` +
    'rule does not recognise (it only follows SQS RedrivePolicy and Lambda DeadLetterConfig references).',
  xrayTracing:
    'Resource "*" is required by xray:PutTraceSegments and xray:PutTelemetryRecords, which have no resource-level ' +
    'permissions; the statement is added by CDK because the function runs with active X-Ray tracing.',
  streamListing:
    'dynamodb:ListStreams has no resource-level scope in the Table L2 grant (DynamoEventSource); the stream read ' +
    'actions themselves (DescribeStream, GetRecords, GetShardIterator) are scoped to the outbox stream ARN.',
  syncOnly:
    'The function is only invoked synchronously (API Gateway, a Lambda event source mapping, or an operator ' +
    'running a RequestResponse `aws lambda invoke`), never asynchronously, so a function-level DLQ ' +
    '(DeadLetterConfig) would never receive anything. Failures are kept by the SQS redrive DLQ, the stream ' +
    'on-failure destination, or returned to the caller.',
  sqsEsmDestination:
    'SQS event source mappings cannot take an OnFailure destination (only stream and Kafka sources can); failed ' +
    'messages go to the queue redrive DLQ after maxReceiveCount receives, which is alarmed.',
  queueListing:
    'sqs:ListQueues has no resource-level permissions: IAM only accepts Resource "*" for it. It returns queue ' +
    'URLs, never messages or attributes. The DLQ replay function needs it to find the source queues of a DLQ by ' +
    "scanning redrive policies where an endpoint lacks ListDeadLetterSourceQueues; every action on a queue's " +
    'attributes or messages is granted on the ARNs of the app DLQs and their source queues only. This statement ' +
    'is a policy of its own so that the X-Ray acknowledgement of the role does not cover it.',
  externalCredential:
    'This secret holds a credential issued by an external provider (Upstash Redis / the payment gateway). ' +
    'Rotation needs that provider API and is performed by the operator through it, then written here with ' +
    'PutSecretValue; functions read the secret at run time (only its ARN is in their environment), so a new ' +
    'value needs no deployment.',
} as const;

/** Acknowledges one cdk-nag rule (or finding) on `scope` and everything below it, with a reason. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** Acknowledgements for a DLQ: it has no DLQ of its own; non-redrive DLQs are also invisible to SQS3. */
export function acknowledgeTerminalQueue(queue: IConstruct, kind: DlqKind): void {
  acknowledge(queue, 'Serverless-SQSRedrivePolicy', NagReasons.terminalQueue);
  if (kind !== 'redrive') {
    acknowledge(queue, 'AwsSolutions-SQS3', NagReasons.notRedriveDlq(kind));
  }
}

/** Acknowledgements for a function role whose only `*` resources come from X-Ray (and, if stated, ListStreams). */
export function acknowledgeFunctionRole(
  role: IConstruct,
  options: { readonly readsDynamoStream: boolean },
): void {
  const reason = options.readsDynamoStream
    ? `${NagReasons.xrayTracing} ${NagReasons.streamListing}`
    : NagReasons.xrayTracing;
  acknowledge(role, 'AwsSolutions-IAM5[Resource::*]', reason);
}
