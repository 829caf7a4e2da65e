import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueDefaults } from '../../infra/defaults/queues';
import { DlqKinds, QueueRoles, TagKeys } from '../../infra/defaults/tags';
import {
  actionsOf,
  type CfnResource,
  exportedReferences,
  failurePathReferrers,
  isWildcardAction,
  type LocatedResource,
  policyStatements,
  prop,
  resolveReference,
  resourcesOf,
  resourcesOfType,
  type Statement,
} from './support/cfn';
import { type SynthResult, synthBreakwater } from './support/synth';

// The promises every stack keeps, checked over the whole synthesized app (dev stage). One synth for the file.
let synth: SynthResult;
let all: SynthResult['templates'];

beforeAll(() => {
  synth = synthBreakwater();
  all = synth.templates;
});

afterAll(() => synth?.cleanup());

type Tag = { Key: string; Value: string };
const tagsOf = (r: CfnResource): Record<string, string> =>
  Object.fromEntries((prop<Tag[] | undefined>(r, 'Tags') ?? []).map((t) => [t.Key, t.Value]));
const isDlq = (q: CfnResource): boolean => tagsOf(q)[TagKeys.role] === QueueRoles.dlq;
const key = (stack: string, logicalId: string): string => `${stack}/${logicalId}`;

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
    expect(rules).toHaveLength(3);
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
      resourcesOfType(all, 'AWS::Events::Rule').map((r) => [
        r.logicalId.replace(/Rule[0-9A-F]{8}$/, ''),
        prop(r, 'EventPattern'),
      ]),
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

describe('IAM', () => {
  const identityTypes = ['AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::IAM::ManagedPolicy'];
  const resourcePolicyTypes = ['AWS::SQS::QueuePolicy', 'AWS::SNS::TopicPolicy', 'AWS::KMS::Key'];
  const allows = (types: string[]): { resource: LocatedResource; statement: Statement }[] =>
    types.flatMap((type) =>
      resourcesOfType(all, type).flatMap((resource) =>
        policyStatements(resource)
          .filter((s) => s.Effect === 'Allow')
          .map((statement) => ({ resource, statement })),
      ),
    );

  it('no identity policy allows a wildcard action', () => {
    const found = allows(identityTypes).filter(({ statement }) =>
      actionsOf(statement).some(isWildcardAction),
    );
    expect(found.map(({ resource }) => resource.logicalId)).toEqual([]);
  });

  it('no resource policy allows a wildcard action, except the default KMS key policy delegating to IAM', () => {
    const found = allows(resourcePolicyTypes).filter(({ resource, statement }) => {
      const delegatesToAccount =
        resource.Type === 'AWS::KMS::Key' &&
        JSON.stringify(statement.Principal) === JSON.stringify({ AWS: 'arn:aws:iam::000000000000:root' });
      return actionsOf(statement).some(isWildcardAction) && !delegatesToAccount;
    });
    expect(found.map(({ resource }) => resource.logicalId)).toEqual([]);
  });

  it('resource "*" is only granted for actions that have no resource-level permissions', () => {
    const allowedOnStar = new Set([
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'dynamodb:ListStreams',
    ]);
    for (const { resource, statement } of allows(identityTypes)) {
      if (resourcesOf(statement).includes('*')) {
        expect(
          actionsOf(statement).filter((a) => !allowedOnStar.has(a)),
          resource.logicalId,
        ).toEqual([]);
      }
    }
  });

  it('no role carries an AWS-managed policy', () => {
    for (const role of resourcesOfType(all, 'AWS::IAM::Role')) {
      expect(prop(role, 'ManagedPolicyArns'), role.logicalId).toBeUndefined();
    }
  });
});

describe('functions', () => {
  it('run nodejs24.x on arm64 with active tracing, an explicit timeout, memory and log group', () => {
    const functions = resourcesOfType(all, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(5);
    for (const fn of functions) {
      expect(prop(fn, 'Runtime'), fn.logicalId).toBe('nodejs24.x');
      expect(prop(fn, 'Architectures'), fn.logicalId).toEqual(['arm64']);
      expect(prop(fn, 'TracingConfig'), fn.logicalId).toEqual({ Mode: 'Active' });
      expect(prop(fn, 'Timeout'), fn.logicalId).toBeGreaterThan(0);
      expect(prop(fn, 'MemorySize'), fn.logicalId).toBeGreaterThan(0);
      expect(prop<{ LogGroup?: unknown; LogFormat: string }>(fn, 'LoggingConfig').LogFormat).toBe('JSON');
      expect(prop<{ LogGroup?: unknown }>(fn, 'LoggingConfig').LogGroup, fn.logicalId).toBeDefined();
    }
  });

  it('carry no secret values in their environment: only names, ARNs and settings', () => {
    const allowedKeys = new Set([
      'POWERTOOLS_SERVICE_NAME',
      'POWERTOOLS_METRICS_NAMESPACE',
      'LOG_LEVEL',
      'NODE_OPTIONS',
      'STAGE',
      'EVENT_BUS_NAME',
      'ORDERS_TABLE_NAME',
      'OUTBOX_TABLE_NAME',
      'IDEMPOTENCY_TABLE_NAME',
      'BREAKER_TABLE_NAME',
      'REDIS_SECRET_ID',
      'PAYMENT_GATEWAY_SECRET_ID',
      'PAYMENT_GATEWAY_TIMEOUT_MS',
      'ORDER_CACHE_TTL_SECONDS',
    ]);
    const secrets = resourcesOfType(all, 'AWS::SecretsManager::Secret');
    const exports = exportedReferences(all);
    for (const fn of resourcesOfType(all, 'AWS::Lambda::Function')) {
      const env = prop<{ Variables: Record<string, unknown> }>(fn, 'Environment').Variables;
      for (const [name, value] of Object.entries(env)) {
        expect(allowedKeys.has(name), `${fn.logicalId}: unexpected variable ${name}`).toBe(true);
        if (name.endsWith('_SECRET_ID')) {
          const ref = resolveReference(value, fn.stack, exports);
          expect(
            secrets.some((s) => s.stack === ref?.stack && s.logicalId === ref.logicalId),
            `${fn.logicalId}.${name}`,
          ).toBe(true);
        } else if (typeof value === 'string') {
          expect(value.length, `${fn.logicalId}.${name}`).toBeLessThan(40);
        }
      }
    }
  });
});

describe('data', () => {
  it('every table is on-demand, encrypted with KMS and has point-in-time recovery', () => {
    const tables = resourcesOfType(all, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(4);
    for (const t of tables) {
      expect(prop(t, 'BillingMode'), t.logicalId).toBe('PAY_PER_REQUEST');
      expect(prop(t, 'SSESpecification'), t.logicalId).toEqual({ SSEEnabled: true });
      expect(prop(t, 'PointInTimeRecoverySpecification'), t.logicalId).toEqual({
        PointInTimeRecoveryEnabled: true,
      });
    }
  });

  it('tables have the keys, TTL attributes and stream the functions rely on', () => {
    all.platform.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    all.platform.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
    });
    all.orders.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    });
  });

  it('secrets are generated, never written in the template', () => {
    const secrets = resourcesOfType(all, 'AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(2);
    for (const s of secrets) {
      expect(prop(s, 'SecretString'), s.logicalId).toBeUndefined();
      expect(prop<{ GenerateStringKey: string }>(s, 'GenerateSecretString').GenerateStringKey).toMatch(
        /^(token|apiKey)$/,
      );
    }
  });

  it('dev destroys stateful resources on stack deletion', () => {
    for (const type of [
      'AWS::DynamoDB::Table',
      'AWS::SQS::Queue',
      'AWS::SecretsManager::Secret',
      'AWS::Logs::LogGroup',
    ]) {
      for (const r of resourcesOfType(all, type)) expect(r.DeletionPolicy, r.logicalId).toBe('Delete');
    }
  });
});

describe('alarms', () => {
  it('every DLQ has a depth alarm (visible >= 1) and an age alarm, both notifying the alarm topic', () => {
    const exports = exportedReferences(all);
    const alarms = resourcesOfType(all, 'AWS::CloudWatch::Alarm');
    const topic = Object.keys(all.operations.findResources('AWS::SNS::Topic'))[0];
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
      for (const a of [depth!, age!]) expect(prop(a, 'AlarmActions')).toEqual([{ Ref: topic }]);
    }
  });

  it('the alarm topic is encrypted with a rotating customer-managed key and refuses non-TLS publishing', () => {
    all.operations.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const topic = resourcesOfType({ operations: all.operations }, 'AWS::SNS::Topic')[0]!;
    expect(prop(topic, 'KmsMasterKeyId')).toBeDefined();
    const [policy] = resourcesOfType({ operations: all.operations }, 'AWS::SNS::TopicPolicy');
    expect(
      policyStatements(policy!).some(
        (s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
      ),
    ).toBe(true);
  });
});
