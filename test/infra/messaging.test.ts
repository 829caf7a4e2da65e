import { DlqKinds, QueueDefaults, TagKeys } from '@breakwater/event-consumer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvNames } from '../../shared/config/env-names';
import {
  actionsOf,
  type CfnResource,
  exportedReferences,
  failurePathReferrers,
  isDlq,
  key,
  policyStatements,
  prop,
  referencedLogicalId,
  resolveReference,
  resourcesOf,
  resourcesOfType,
  tagsOf,
} from './support/cfn';
import { type SynthResult, synthBreakwater } from './support/synth';

// Messaging promises over the whole synthesized app (dev): queues, DLQs, rules, DLQ alarms. One synth for the file (no bundling: app.test.ts covers it).
let synth: SynthResult;
let all: SynthResult['templates'];

beforeAll(() => {
  synth = synthBreakwater();
  all = synth.templates;
});

afterAll(() => synth?.cleanup());

describe('queues', () => {
  it('every queue that is not a DLQ redrives to a DLQ after at least 5 receives', () => {
    const queues = resourcesOfType(all, 'AWS::SQS::Queue').filter((q) => !isDlq(q));
    expect(queues.length).toBeGreaterThanOrEqual(3);
    const dlqs = new Set(
      resourcesOfType(all, 'AWS::SQS::Queue')
        .filter(isDlq)
        .map((q) => key(q.stack, q.logicalId)),
    );
    for (const q of queues) {
      const redrive = prop<{ deadLetterTargetArn: unknown; maxReceiveCount: number } | undefined>(
        q,
        'RedrivePolicy',
      );
      expect(redrive, q.logicalId).toBeDefined();
      expect(redrive!.maxReceiveCount, q.logicalId).toBeGreaterThanOrEqual(5);
      const target = resolveReference(redrive!.deadLetterTargetArn, q.stack, new Map());
      expect(target && dlqs.has(key(target.stack, target.logicalId)), q.logicalId).toBe(true);
    }
  });

  it('every DLQ is the target of a failure path and keeps messages 14 days, longer than its source', () => {
    const queues = resourcesOfType(all, 'AWS::SQS::Queue');
    const referrers = failurePathReferrers(all);
    const dlqs = queues.filter(isDlq);
    expect(dlqs.length).toBeGreaterThanOrEqual(7);
    for (const dlq of dlqs) {
      const id = key(dlq.stack, dlq.logicalId);
      expect(referrers.get(id)?.length ?? 0, `${id} is not referenced by any failure path`).toBeGreaterThan(
        0,
      );
      expect(prop<number>(dlq, 'MessageRetentionPeriod'), id).toBe(
        QueueDefaults.deadLetterRetention.toSeconds(),
      );
      for (const source of (referrers.get(id) ?? []).filter((r) => r.Type === 'AWS::SQS::Queue')) {
        expect(prop<number>(source, 'MessageRetentionPeriod')).toBeLessThan(
          prop<number>(dlq, 'MessageRetentionPeriod'),
        );
      }
    }
  });

  it('every DLQ is tagged with its role, kind and source', () => {
    const kinds = new Set<string>(Object.values(DlqKinds));
    for (const dlq of resourcesOfType(all, 'AWS::SQS::Queue').filter(isDlq)) {
      const tags = tagsOf(dlq);
      expect(kinds.has(tags[TagKeys.dlqKind] ?? ''), dlq.logicalId).toBe(true);
      expect(tags[TagKeys.source], dlq.logicalId).toMatch(/^[a-z][a-z0-9-]+$/);
    }
  });

  it('every queue is encrypted at rest with SSE (SQS-managed or KMS)', () => {
    for (const q of resourcesOfType(all, 'AWS::SQS::Queue')) {
      const sse =
        prop<boolean | undefined>(q, 'SqsManagedSseEnabled') === true ||
        prop(q, 'KmsMasterKeyId') !== undefined;
      expect(sse, q.logicalId).toBe(true);
    }
  });

  it('every queue has a policy denying requests without TLS', () => {
    const policies = resourcesOfType(all, 'AWS::SQS::QueuePolicy');
    for (const q of resourcesOfType(all, 'AWS::SQS::Queue')) {
      const policy = policies.find(
        (p) =>
          p.stack === q.stack &&
          prop<unknown[]>(p, 'Queues').some(
            (ref) => JSON.stringify(ref) === JSON.stringify({ Ref: q.logicalId }),
          ),
      );
      expect(policy, `${q.logicalId} has no queue policy`).toBeDefined();
      const denies = policyStatements(policy!).filter(
        (s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
      );
      expect(denies.length, q.logicalId).toBe(1);
    }
  });

  it('visibility timeout of every SQS-fed function is at least 6x its timeout', () => {
    const functions = resourcesOfType(all, 'AWS::Lambda::Function');
    const queues = resourcesOfType(all, 'AWS::SQS::Queue');
    const sqsMappings = resourcesOfType(all, 'AWS::Lambda::EventSourceMapping').filter((m) => {
      const source = resolveReference(prop(m, 'EventSourceArn'), m.stack, new Map());
      return queues.some((q) => q.stack === source?.stack && q.logicalId === source.logicalId);
    });
    expect(sqsMappings).toHaveLength(3);
    for (const m of sqsMappings) {
      const source = resolveReference(prop(m, 'EventSourceArn'), m.stack, new Map())!;
      const fnRef = resolveReference(prop(m, 'FunctionName'), m.stack, new Map())!;
      const queue = queues.find((q) => q.stack === source.stack && q.logicalId === source.logicalId)!;
      const fn = functions.find((f) => f.stack === fnRef.stack && f.logicalId === fnRef.logicalId)!;
      const window = prop<number | undefined>(m, 'MaximumBatchingWindowInSeconds') ?? 0;
      expect(prop<number>(queue, 'VisibilityTimeout')).toBeGreaterThanOrEqual(
        6 * prop<number>(fn, 'Timeout') + window,
      );
      expect(prop<string[]>(m, 'FunctionResponseTypes')).toContain('ReportBatchItemFailures');
      expect(
        prop<{ MaximumConcurrency: number }>(m, 'ScalingConfig').MaximumConcurrency,
      ).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('event rules', () => {
  it('every rule target has a dead-letter queue and a retry policy', () => {
    const rules = resourcesOfType(all, 'AWS::Events::Rule');
    // Three consumer rules on the app bus, and the outbox sweeper's schedule on the default bus.
    expect(rules).toHaveLength(4);
    for (const rule of rules) {
      for (const target of prop<
        { DeadLetterConfig?: { Arn: unknown }; RetryPolicy?: Record<string, number> }[]
      >(rule, 'Targets')) {
        expect(target.DeadLetterConfig?.Arn, rule.logicalId).toBeDefined();
        expect(target.RetryPolicy?.MaximumEventAgeInSeconds, rule.logicalId).toBeGreaterThan(0);
        expect(target.RetryPolicy?.MaximumRetryAttempts, rule.logicalId).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('rules match the catalogued sources and types of their consumers', () => {
    const patterns = Object.fromEntries(
      resourcesOfType(all, 'AWS::Events::Rule')
        .filter((r) => prop(r, 'EventPattern') !== undefined)
        .map((r) => [r.logicalId.replace(/Rule[0-9A-F]{8}$/, ''), prop(r, 'EventPattern')]),
    );
    expect(patterns).toEqual({
      Billing: { source: ['breakwater.orders'], 'detail-type': ['order.created'] },
      OrderStatus: { source: ['breakwater.billing'], 'detail-type': ['payment.succeeded', 'payment.failed'] },
      Notifications: {
        source: ['breakwater.orders', 'breakwater.billing'],
        'detail-type': ['order.created', 'payment.succeeded', 'payment.failed'],
      },
    });
  });
});

describe('alarms', () => {
  it('every DLQ has a depth alarm (visible >= 1) and an age alarm, both notifying an alarm topic', () => {
    const exports = exportedReferences(all);
    const alarms = resourcesOfType(all, 'AWS::CloudWatch::Alarm');
    const topics = Object.keys(all.operations.findResources('AWS::SNS::Topic')).map((id) => ({ Ref: id }));
    expect(topics).toHaveLength(2);
    const alarmedQueue = (a: CfnResource): string | undefined => {
      const dim = prop<{ Name: string; Value: unknown }[] | undefined>(a, 'Dimensions')?.find(
        (d) => d.Name === 'QueueName',
      );
      const ref = dim && resolveReference(dim.Value, 'operations', exports);
      return ref && key(ref.stack, ref.logicalId);
    };
    for (const dlq of resourcesOfType(all, 'AWS::SQS::Queue').filter(isDlq)) {
      const mine = alarms.filter((a) => alarmedQueue(a) === key(dlq.stack, dlq.logicalId));
      const depth = mine.find((a) => prop(a, 'MetricName') === 'ApproximateNumberOfMessagesVisible');
      const age = mine.find((a) => prop(a, 'MetricName') === 'ApproximateAgeOfOldestMessage');
      expect(depth, `${dlq.logicalId} has no depth alarm`).toBeDefined();
      expect(age, `${dlq.logicalId} has no age alarm`).toBeDefined();
      expect(prop(depth!, 'Threshold')).toBe(1);
      expect(prop(depth!, 'ComparisonOperator')).toBe('GreaterThanOrEqualToThreshold');
      expect(prop<number>(age!, 'Threshold')).toBeLessThan(QueueDefaults.deadLetterRetention.toSeconds());
      for (const a of [depth!, age!]) expect(topics).toContainEqual(prop<unknown[]>(a, 'AlarmActions')[0]);
    }
  });

  it('both alarm topics are encrypted with a rotating customer-managed key and refuse non-TLS publishing', () => {
    all.operations.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const topics = resourcesOfType({ operations: all.operations }, 'AWS::SNS::Topic');
    expect(topics.map((t) => prop(t, 'TopicName')).sort()).toEqual([
      'breakwater-dev-notice',
      'breakwater-dev-page',
    ]);
    for (const topic of topics) expect(prop(topic, 'KmsMasterKeyId'), topic.logicalId).toBeDefined();
    const policies = resourcesOfType({ operations: all.operations }, 'AWS::SNS::TopicPolicy');
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(
        policyStatements(policy).some(
          (s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
        ),
      ).toBe(true);
    }
  });
});

// The DLQ fast path of every queue consumer: a record that can never succeed is sent by the function to its own
// redrive DLQ at once. Each function gets that queue's URL and exactly sqs:SendMessage on it, nothing more.
type StackKey = keyof SynthResult['templates'];

const consumers: readonly { stack: StackKey; construct: string }[] = [
  { stack: 'billing', construct: 'Billing' },
  { stack: 'fulfilment', construct: 'OrderStatus' },
  { stack: 'fulfilment', construct: 'Notifications' },
];

/** The logical id in `stack` of the only resource of `type` whose id starts with `prefix`. */
const onlyId = (stack: StackKey, type: string, prefix: string): string => {
  const ids = Object.keys(synth.templates[stack].findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids, `${type} ${prefix}*`).toHaveLength(1);
  return ids[0] as string;
};

/** Allow statements of the identity policies attached to the role of `functionId`. */
const statementsOfFunction = (stack: StackKey, functionId: string) => {
  const fn = synth.templates[stack].findResources('AWS::Lambda::Function')[functionId] as CfnResource;
  const roleId = referencedLogicalId(prop(fn, 'Role'));
  return resourcesOfType({ [stack]: synth.templates[stack] }, 'AWS::IAM::Policy')
    .filter((policy) => prop<unknown[]>(policy, 'Roles').some((role) => referencedLogicalId(role) === roleId))
    .flatMap(policyStatements)
    .filter((statement) => statement.Effect === 'Allow');
};

describe.each(consumers)('the $construct consumer', ({ stack, construct }) => {
  const ids = () => ({
    fn: onlyId(stack, 'AWS::Lambda::Function', `${construct}Handler`),
    dlq: onlyId(stack, 'AWS::SQS::Queue', `${construct}DeadLetterQueue`),
  });

  it('gets the URL of its own redrive DLQ in DEAD_LETTER_QUEUE_URL', () => {
    const { fn, dlq } = ids();
    const resource = synth.templates[stack].findResources('AWS::Lambda::Function')[fn] as CfnResource;
    const env = prop<{ Variables: Record<string, unknown> }>(resource, 'Environment').Variables;
    expect(env[EnvNames.deadLetterQueueUrl]).toEqual({ Ref: dlq });
  });

  it('may send to its own DLQ with exactly sqs:SendMessage, and to no other queue', () => {
    const { fn, dlq } = ids();
    const statements = statementsOfFunction(stack, fn);
    const onDlq = statements.filter((statement) =>
      resourcesOf(statement).some((resource) => referencedLogicalId(resource) === dlq),
    );
    expect(onDlq.flatMap(actionsOf)).toEqual(['sqs:SendMessage']);
    const sendTargets = statements
      .filter((statement) => actionsOf(statement).includes('sqs:SendMessage'))
      .flatMap(resourcesOf)
      .map(referencedLogicalId);
    expect(sendTargets).toEqual([dlq]);
  });
});
