import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actionsOf,
  exportedReferences,
  isWildcardAction,
  type LocatedResource,
  policyStatements,
  prop,
  resolveReference,
  resourcesOf,
  resourcesOfType,
  type Statement,
} from './support/cfn';
import { pinnedPlaceholderUrl, pinnedSecrets } from './support/secrets';
import { type SynthResult, synthBreakwater } from './support/synth';

// Security and data promises over the whole synthesized app (dev): IAM, functions, tables, secrets. One synth for the file (no bundling: app.test.ts covers it).
let synth: SynthResult;
let all: SynthResult['templates'];

beforeAll(() => {
  synth = synthBreakwater();
  all = synth.templates;
});

afterAll(() => synth?.cleanup());

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
      'sqs:ListQueues',
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
    expect(functions).toHaveLength(7);
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
      'PAYMENT_GATEWAY_CIRCUIT_ID',
      'ORDER_CACHE_TTL_SECONDS',
      'DLQ_REPLAY_MAX_MESSAGES',
      'DLQ_REPLAY_SAFETY_MARGIN_MS',
      'DLQ_REPLAY_CONCURRENCY',
      'OUTBOX_SWEEP_GRACE_SECONDS',
      'OUTBOX_SWEEP_MAX_ITEMS',
      'OUTBOX_SWEEP_SAFETY_MARGIN_MS',
      'DEAD_LETTER_QUEUE_URL',
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

  it('secrets keep the generation template and logical id every deployed stack has, so a deploy never regenerates credentials', () => {
    const secrets = all.platform.findResources('AWS::SecretsManager::Secret');
    expect(
      Object.fromEntries(
        Object.entries(secrets).map(([id, secret]) => [id, secret.Properties.GenerateSecretString]),
      ),
    ).toEqual(pinnedSecrets);
    expect(pinnedPlaceholderUrl).toBe('https://replace-me.invalid');
    // Nothing a stage or a description could change is part of the generated value.
    for (const secret of Object.values(secrets)) expect(secret.Properties.SecretString).toBeUndefined();
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
