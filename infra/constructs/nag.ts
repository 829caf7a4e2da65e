import { NagReasons as ConsumerNagReasons } from '@breakwater/event-consumer';
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Every cdk-nag acknowledgement of the app, with its reason, in one place so that a reviewer reads them together.
 * cdk-nag 3 matches acknowledgements by exact rule id (and finding, e.g. `[Resource::*]`) on the resource or one of
 * its ancestors; there is no prefix matching, so each finding is acknowledged precisely where it arises.
 */
export const NagReasons = {
  // The queues' and the consumer's own, acknowledged by @breakwater/event-consumer where they arise.
  ...ConsumerNagReasons,
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
