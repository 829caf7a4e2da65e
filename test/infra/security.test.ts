import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DlqReplayActions } from '../../infra/stacks/replay-stack';
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
      expect(prop<{ LogGroup?: unknown; LogFormat: string }>(fn, 'LoggingConfig').LogFormat).toBe('Text');
      expect(prop<{ LogGroup?: unknown }>(fn, 'LoggingConfig').LogGroup, fn.logicalId).toBeDefined();
    }
  });

  it('carry no secret values in their environment: only names, ARNs and settings', () => {
    const allowedKeys = new Set([
      'POWERTOOLS_SERVICE_NAME',
      'POWERTOOLS_METRICS_NAMESPACE',
      'POWERTOOLS_LOG_LEVEL',
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
      'ORDER_READER_ROLE_ARN',
      'PAYMENT_GATEWAY_MAX_AMOUNT_CENTS',
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

describe('least privilege: every grant is one the code (or Lambda on its behalf) uses', () => {
  const logs = ['logs:CreateLogStream', 'logs:PutLogEvents'];
  // Active tracing: the X-Ray daemon in the execution environment sends the Tracer's segments.
  const xray = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
  // The SQS event source (Receive, Delete, GetQueueAttributes) and the retry scheduler (GetQueueUrl, then
  // ChangeMessageVisibilityBatch: shared/batch/retry-schedule.ts).
  const consumedQueue = [
    'sqs:ChangeMessageVisibility',
    'sqs:DeleteMessage',
    'sqs:GetQueueAttributes',
    'sqs:GetQueueUrl',
    'sqs:ReceiveMessage',
  ];
  // Powertools idempotency's DynamoDB persistence: PutItem, GetItem, UpdateItem, DeleteItem.
  const idempotency = ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
  // Powertools' SecretsProvider calls GetSecretValue only (no DescribeSecret).
  const secretValue = ['secretsmanager:GetSecretValue'];
  const putEvents = ['events:PutEvents'];

  /** Per role (`<stack>/<role logical id without hash>`): resource label → the exact actions allowed on it. */
  const allowList: Record<string, Record<string, string[]>> = {
    'orders/OrdersApiRole': {
      'orders/OrdersApiLogs': logs,
      '*': xray,
      // TransactWriteItems (Put with a condition) of POST; GetItem of GET on a cache miss.
      'orders/OrdersTable': ['dynamodb:GetItem', 'dynamodb:PutItem'],
      'orders/OutboxTable': ['dynamodb:PutItem'],
      'platform/IdempotencyTable': idempotency,
      'platform/RedisSecret': secretValue,
    },
    'orders/OutboxPublisherRole': {
      'orders/OutboxPublisherLogs': logs,
      // ListStreams has no resource-level permission; the stream event source needs it.
      '*': ['dynamodb:ListStreams', ...xray],
      'orders/OutboxTable.StreamArn': [
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
      ],
      // DeleteItem once the event was accepted (shared/outbox/outbox-store.ts).
      'orders/OutboxTable': ['dynamodb:DeleteItem'],
      'platform/EventBus': putEvents,
      // The stream's on-failure destination: Lambda sends batch metadata (SendOnlySqsDlq).
      'orders/OutboxPublisherFailureQueue': ['sqs:SendMessage'],
    },
    'orders/OutboxSweeperRole': {
      'orders/OutboxSweeperLogs': logs,
      '*': xray,
      'orders/OutboxTable': ['dynamodb:DeleteItem', 'dynamodb:Scan'],
      'platform/EventBus': putEvents,
      // The function's own DLQ (asynchronous invocations that failed).
      'orders/OutboxSweeperDeadLetterQueue': ['sqs:SendMessage'],
    },
    'billing/BillingHandlerRole': {
      'billing/BillingHandlerLogs': logs,
      '*': xray,
      'billing/BillingQueue': consumedQueue,
      // The DLQ fast path: a record that can never succeed is sent here at once, with its reason (shared/batch).
      'billing/BillingDeadLetterQueue': ['sqs:SendMessage'],
      // The circuit breaker: GetItem and conditional UpdateItem (packages/circuit-breaker/src/dynamodb-store.ts).
      'platform/BreakerTable': ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      'platform/IdempotencyTable': idempotency,
      'platform/EventBus': putEvents,
      'platform/PaymentGatewaySecret': secretValue,
      'platform/RedisSecret': secretValue,
    },
    'fulfilment/OrderStatusHandlerRole': {
      'fulfilment/OrderStatusHandlerLogs': logs,
      '*': xray,
      'fulfilment/OrderStatusQueue': consumedQueue,
      // The DLQ fast path: a record that can never succeed is sent here at once, with its reason (shared/batch).
      'fulfilment/OrderStatusDeadLetterQueue': ['sqs:SendMessage'],
      // One conditional UpdateItem per payment event; no read (the condition check returns the old item).
      'orders/OrdersTable': ['dynamodb:UpdateItem'],
      'platform/IdempotencyTable': idempotency,
      'platform/RedisSecret': secretValue,
    },
    'fulfilment/NotificationsHandlerRole': {
      'fulfilment/NotificationsHandlerLogs': logs,
      '*': xray,
      'fulfilment/NotificationsQueue': consumedQueue,
      // The DLQ fast path: a record that can never succeed is sent here at once, with its reason (shared/batch).
      'fulfilment/NotificationsDeadLetterQueue': ['sqs:SendMessage'],
      // Sent notifications are remembered by event id (Powertools idempotency); no Redis.
      'platform/IdempotencyTable': idempotency,
    },
    'replay/DlqReplayRole': {
      'replay/DlqReplayLogs': logs,
      // ListQueues has no resource-level permission (discovery of DLQs by tag).
      '*': ['sqs:ListQueues', ...xray],
      ...Object.fromEntries(
        ['billing/Billing', 'fulfilment/OrderStatus', 'fulfilment/Notifications'].flatMap((consumer) => [
          [`${consumer}DeadLetterQueue`, DlqReplayActions.deadLetterQueue.toSorted()],
          [`${consumer}TargetDeadLetterQueue`, DlqReplayActions.deadLetterQueue.toSorted()],
          [`${consumer}Queue`, DlqReplayActions.sourceQueue.toSorted()],
        ]),
      ),
      'platform/EventBus': putEvents,
    },
  };

  const withoutHash = (logicalId: string): string => logicalId.replace(/[0-9A-F]{8}$/, '');

  /** `<stack>/<logical id without hash>[.<attribute other than Arn>]`, across stacks, or `*`. */
  const resourceLabel = (value: unknown, stack: string): string => {
    if (value === '*') return '*';
    let target = value as Record<string, unknown>;
    let at = stack;
    const output = target['Fn::GetStackOutput'] as { StackName: string; OutputName: string } | undefined;
    if (output !== undefined) {
      at = output.StackName.slice(output.StackName.lastIndexOf('-') + 1);
      const outputs = (
        all[at as keyof typeof all].toJSON() as { Outputs: Record<string, { Value: unknown }> }
      ).Outputs;
      target = outputs[output.OutputName]?.Value as Record<string, unknown>;
    }
    const getAtt = target?.['Fn::GetAtt'] as [string, string] | undefined;
    if (getAtt !== undefined) {
      return `${at}/${withoutHash(getAtt[0])}${getAtt[1] === 'Arn' ? '' : `.${getAtt[1]}`}`;
    }
    if (typeof target?.Ref === 'string') return `${at}/${withoutHash(target.Ref)}`;
    return JSON.stringify(value);
  };

  /** What each function role is allowed, in the allow-list's shape. */
  const granted = (): Record<string, Record<string, string[]>> => {
    const roles: Record<string, Record<string, Set<string>>> = {};
    for (const policy of resourcesOfType(all, 'AWS::IAM::Policy')) {
      for (const role of prop<{ Ref: string }[]>(policy, 'Roles')) {
        const roleLabel = `${policy.stack}/${withoutHash(role.Ref)}`;
        roles[roleLabel] ??= {};
        for (const statement of policyStatements(policy).filter((s) => s.Effect === 'Allow')) {
          for (const resource of resourcesOf(statement)) {
            const label = resourceLabel(resource, policy.stack);
            const actions = roles[roleLabel][label] ?? new Set<string>();
            for (const action of actionsOf(statement)) actions.add(action);
            roles[roleLabel][label] = actions;
          }
        }
      }
    }
    return Object.fromEntries(
      Object.entries(roles).map(([role, byResource]) => [
        role,
        Object.fromEntries(
          Object.entries(byResource).map(([label, actions]) => [label, [...actions].sort()]),
        ),
      ]),
    );
  };

  it('each function role is allowed exactly its allow-list: no unused grant, no missing one', () => {
    const expected = Object.fromEntries(
      Object.entries(allowList).map(([role, byResource]) => [
        role,
        Object.fromEntries(
          Object.entries(byResource).map(([label, actions]) => [label, [...actions].sort()]),
        ),
      ]),
    );
    expect(granted()).toEqual(expected);
  });

  it('grants no secretsmanager:DescribeSecret, and order-status no read of the orders table', () => {
    const roles = granted();
    for (const [role, byResource] of Object.entries(roles)) {
      expect(Object.values(byResource).flat(), role).not.toContain('secretsmanager:DescribeSecret');
    }
    expect(roles['fulfilment/OrderStatusHandlerRole']?.['orders/OrdersTable']).toEqual([
      'dynamodb:UpdateItem',
    ]);
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
