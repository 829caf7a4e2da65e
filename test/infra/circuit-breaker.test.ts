import { resolveConfig } from '@breakwater/circuit-breaker';
import { QueueDefaults } from '@breakwater/event-consumer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingMaxReceiveCount } from '../../infra/stacks/billing-stack';
import { PAYMENT_GATEWAY_CIRCUIT_ID } from '../../shared/payment-gateway/circuit';
import {
  actionsOf,
  type CfnResource,
  exportedReferences,
  type LocatedRef,
  policyStatements,
  prop,
  resolveReference,
  resourcesOf,
  resourcesOfType,
  type Statement,
} from './support/cfn';
import { type SynthResult, synthBreakwater } from './support/synth';

// The circuit breaker's infrastructure (issue 4): its table, who may touch it, what billing needs for the breaker
// and its queue-aware fallback, and the alarms. One synth for the file (no bundling: app.test.ts covers it, and
// runs cdk-nag over the whole app).
let synth: SynthResult;
let all: SynthResult['templates'];
let exports: ReadonlyMap<string, LocatedRef>;

beforeAll(() => {
  synth = synthBreakwater();
  all = synth.templates;
  exports = exportedReferences(all);
});

afterAll(() => synth?.cleanup());

const logicalIdOf = (stack: keyof SynthResult['templates'], type: string, pattern: RegExp): string => {
  const found = Object.keys(all[stack].findResources(type)).filter((id) => pattern.test(id));
  expect(found, `${type} ${pattern}`).toHaveLength(1);
  return found[0]!;
};

/** Allow statements of every identity policy, with the stack and logical id of each resource they name. */
const grants = () =>
  resourcesOfType(all, 'AWS::IAM::Policy').flatMap((policy) =>
    policyStatements(policy)
      .filter((statement) => statement.Effect === 'Allow')
      .map((statement) => ({
        policy: policy.logicalId,
        stack: policy.stack,
        statement,
        targets: resourcesOf(statement).map((resource) => resolveReference(resource, policy.stack, exports)),
      })),
  );

const naming = (ref: LocatedRef) => (target: LocatedRef | undefined) =>
  target?.stack === ref.stack && target.logicalId === ref.logicalId;

const billingFunction = (): CfnResource =>
  resourcesOfType({ billing: all.billing }, 'AWS::Lambda::Function')[0]!;

describe('the breaker table', () => {
  it('is keyed by the circuit id, expires idle circuits by TTL, has point-in-time recovery and encryption', () => {
    const table = all.platform.findResources('AWS::DynamoDB::Table')[
      logicalIdOf('platform', 'AWS::DynamoDB::Table', /^BreakerTable/)
    ] as CfnResource;
    expect(prop(table, 'KeySchema')).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    expect(prop(table, 'TimeToLiveSpecification')).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(prop(table, 'PointInTimeRecoverySpecification')).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(prop(table, 'SSESpecification')).toEqual({ SSEEnabled: true });
    expect(prop(table, 'BillingMode')).toBe('PAY_PER_REQUEST');
  });

  it('is readable and writable by billing only, with GetItem and UpdateItem only', () => {
    const table = {
      stack: 'platform',
      logicalId: logicalIdOf('platform', 'AWS::DynamoDB::Table', /^BreakerTable/),
    };
    const onTable = grants().filter(({ targets }) => targets.some(naming(table)));
    expect(new Set(onTable.map(({ stack }) => stack))).toEqual(new Set(['billing']));
    expect(onTable.flatMap(({ statement }) => actionsOf(statement)).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
    ]);
  });
});

describe('billing', () => {
  const billingGrants = () => grants().filter(({ stack }) => stack === 'billing');
  const allows = (action: string, target: LocatedRef) =>
    billingGrants().some(
      ({ statement, targets }: { statement: Statement; targets: (LocatedRef | undefined)[] }) =>
        actionsOf(statement).includes(action) && targets.some(naming(target)),
    );

  it('gets the breaker table, its circuit and the Redis secret of the fast path in its environment', () => {
    const env = prop<{ Variables: Record<string, unknown> }>(billingFunction(), 'Environment').Variables;
    expect(env.PAYMENT_GATEWAY_CIRCUIT_ID).toBe(PAYMENT_GATEWAY_CIRCUIT_ID);
    expect(resolveReference(env.BREAKER_TABLE_NAME, 'billing', exports)).toEqual({
      stack: 'platform',
      logicalId: logicalIdOf('platform', 'AWS::DynamoDB::Table', /^BreakerTable/),
    });
    expect(resolveReference(env.REDIS_SECRET_ID, 'billing', exports)).toEqual({
      stack: 'platform',
      logicalId: logicalIdOf('platform', 'AWS::SecretsManager::Secret', /^RedisSecret/),
    });
  });

  it('may read the Redis secret, put events on the bus and change the visibility of its own queue only', () => {
    const redis = {
      stack: 'platform',
      logicalId: logicalIdOf('platform', 'AWS::SecretsManager::Secret', /^RedisSecret/),
    };
    const bus = {
      stack: 'platform',
      logicalId: logicalIdOf('platform', 'AWS::Events::EventBus', /^EventBus/),
    };
    const queue = { stack: 'billing', logicalId: logicalIdOf('billing', 'AWS::SQS::Queue', /^BillingQueue/) };
    expect(allows('secretsmanager:GetSecretValue', redis)).toBe(true);
    expect(allows('events:PutEvents', bus)).toBe(true);
    expect(allows('sqs:ChangeMessageVisibility', queue)).toBe(true);
    const visibilityTargets = billingGrants()
      .filter(({ statement }) => actionsOf(statement).includes('sqs:ChangeMessageVisibility'))
      .flatMap(({ targets }) => targets);
    expect(visibilityTargets).toEqual([queue]);
  });

  it('redrives after enough receives to ride out a two-hour gateway outage (59 = 5 + 2 × 27 cooldown rounds)', () => {
    expect(billingMaxReceiveCount).toBe(QueueDefaults.maxReceiveCount + 54);
    const queue = all.billing.findResources('AWS::SQS::Queue')[
      logicalIdOf('billing', 'AWS::SQS::Queue', /^BillingQueue/)
    ] as CfnResource;
    expect(prop<{ maxReceiveCount: number }>(queue, 'RedrivePolicy').maxReceiveCount).toBe(59);
  });
});

describe('alarms', () => {
  const breakerAlarm = (name: string): CfnResource => {
    const found = resourcesOfType({ operations: all.operations }, 'AWS::CloudWatch::Alarm').filter(
      (alarm) => prop(alarm, 'AlarmName') === `breakwater-dev-billing-breaker-${name}`,
    );
    expect(found, name).toHaveLength(1);
    return found[0]!;
  };
  const topic = (severity: 'page' | 'notice') => ({
    Ref: Object.keys(
      all.operations.findResources('AWS::SNS::Topic', {
        Properties: { TopicName: `breakwater-dev-${severity}` },
      }),
    )[0],
  });
  const query = (alarm: CfnResource) => prop<{ Expression: string; Period: number }[]>(alarm, 'Metrics');

  it('notices while any circuit of billing is not closed, keeping its state while an open circuit is silent', () => {
    const alarm = breakerAlarm('not-closed');
    expect(query(alarm)).toEqual([
      expect.objectContaining({
        Expression:
          'SELECT MAX(CircuitNotClosed) FROM SCHEMA("Breakwater/dev", circuit, service) WHERE service = \'billing\'',
        Period: 60,
      }),
    ]);
    expect(prop(alarm, 'Threshold')).toBe(1);
    expect(prop(alarm, 'ComparisonOperator')).toBe('GreaterThanOrEqualToThreshold');
    expect(prop(alarm, 'TreatMissingData')).toBe('ignore');
    // A trip is the breaker doing its job: a notice, and its closing again is news too.
    expect(prop(alarm, 'AlarmActions')).toEqual([topic('notice')]);
    expect(prop(alarm, 'OKActions')).toEqual([topic('notice')]);
  });

  it('pages when a circuit of billing stays not closed through 3 consecutive 5-minute periods', () => {
    const alarm = breakerAlarm('held-open');
    expect(query(alarm)).toEqual([
      expect.objectContaining({
        Expression:
          'SELECT MAX(CircuitNotClosed) FROM SCHEMA("Breakwater/dev", circuit, service) WHERE service = \'billing\'',
        Period: 300,
      }),
    ]);
    expect(prop(alarm, 'EvaluationPeriods')).toBe(3);
    expect(prop(alarm, 'DatapointsToAlarm')).toBeUndefined();
    expect(prop(alarm, 'TreatMissingData')).toBe('ignore');
    expect(prop(alarm, 'AlarmActions')).toEqual([topic('page')]);
    expect(prop(alarm, 'OKActions')).toEqual([topic('page')]);
    // Each period holds a datapoint while a circuit stays open (its longest cooldown ends in a probe, which emits),
    // and three of them span the first cooldowns (30 s doubling) several times over.
    const config = resolveConfig();
    expect(300_000).toBeGreaterThanOrEqual(config.maxCooldownMs);
    expect(3 * 300_000).toBeGreaterThan(4 * config.cooldownMs);
  });

  it('alarms when the breakers keep failing to reach their state table', () => {
    const alarm = breakerAlarm('store-errors');
    expect(query(alarm)).toEqual([
      expect.objectContaining({
        Expression:
          'SELECT SUM(CircuitStoreErrors) FROM SCHEMA("Breakwater/dev", circuit, service) WHERE service = \'billing\'',
      }),
    ]);
    expect(prop(alarm, 'EvaluationPeriods')).toBe(3);
    expect(prop(alarm, 'DatapointsToAlarm')).toBe(2);
    expect(prop(alarm, 'AlarmActions')).toEqual([topic('notice')]);
    expect(prop(alarm, 'OKActions')).toBeUndefined();
  });
});
