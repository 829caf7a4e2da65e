import { DlqKinds, TagKeys } from '@breakwater/event-consumer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxSweeperSettings } from '../../infra/stacks/outbox-sweeper';
import { EnvNames } from '../../shared/config/env-names';
import { OUTBOX_SWEEPER_SERVICE, OutboxSweepMetrics } from '../../shared/outbox/metrics';
import {
  actionsOf,
  exportedReferences,
  key,
  type LocatedRef,
  type LocatedResource,
  policyStatements,
  prop,
  referencedLogicalId,
  resolveReference,
  resourcesOf,
  resourcesOfType,
  tagsOf,
} from './support/cfn';
import { type SynthResult, synthBreakwater } from './support/synth';

// The outbox sweeper as deployed (dev): its schedule, failure path, permissions and alarms. One synth, no bundling.
let synth: SynthResult;
let all: SynthResult['templates'];
let exports: ReadonlyMap<string, LocatedRef>;

beforeAll(() => {
  synth = synthBreakwater();
  all = synth.templates;
  exports = exportedReferences(all);
});

afterAll(() => synth?.cleanup());

function sweeper(): LocatedResource {
  const found = resourcesOfType({ orders: all.orders }, 'AWS::Lambda::Function').filter(
    (fn) =>
      prop<{ Variables: Record<string, string> }>(fn, 'Environment').Variables[EnvNames.outboxSweepMaxItems],
  );
  expect(found).toHaveLength(1);
  return found[0]!;
}

function scheduleRule(): LocatedResource {
  const rules = resourcesOfType(all, 'AWS::Events::Rule').filter((r) => prop(r, 'ScheduleExpression'));
  expect(rules).toHaveLength(1);
  return rules[0]!;
}

/** Action → `<stack>/<logical id>` (or `*`) of every resource the sweeper's role allows it on. */
function grants(): Map<string, Set<string>> {
  const role = referencedLogicalId(prop(sweeper(), 'Role'));
  const statements = resourcesOfType(all, 'AWS::IAM::Policy')
    .filter((p) => prop<unknown[]>(p, 'Roles').some((r) => referencedLogicalId(r) === role))
    .flatMap(policyStatements)
    .filter((s) => s.Effect === 'Allow');
  const map = new Map<string, Set<string>>();
  for (const statement of statements) {
    for (const action of actionsOf(statement)) {
      const set = map.get(action) ?? new Set<string>();
      for (const value of resourcesOf(statement)) {
        const ref = value === '*' ? undefined : resolveReference(value, 'orders', exports);
        set.add(value === '*' ? '*' : ref ? key(ref.stack, ref.logicalId) : JSON.stringify(value));
      }
      map.set(action, set);
    }
  }
  return map;
}

const outboxTable = (): string => {
  const out = (all.orders.toJSON() as { Outputs: Record<string, { Value: unknown }> }).Outputs;
  return key('orders', referencedLogicalId(out.OutboxTableName?.Value)!);
};

const sweeperDlq = (): LocatedResource => {
  const dlqs = resourcesOfType(all, 'AWS::SQS::Queue').filter(
    (q) => tagsOf(q)[TagKeys.dlqKind] === DlqKinds.scheduledRun,
  );
  expect(dlqs).toHaveLength(1);
  return dlqs[0]!;
};

describe('outbox sweeper', () => {
  it('runs every 5 minutes on the default bus (schedules cannot run on a custom bus)', () => {
    const rule = scheduleRule();
    expect(prop(rule, 'ScheduleExpression')).toBe('rate(5 minutes)');
    expect(prop(rule, 'EventBusName')).toBeUndefined();
    expect(prop(rule, 'State')).toBe('ENABLED');
  });

  it('targets the sweeper with a retry policy and its DLQ, which also takes runs failed after Lambda retries', () => {
    const [target, ...others] = prop<
      { Arn: unknown; DeadLetterConfig: { Arn: unknown }; RetryPolicy: Record<string, number> }[]
    >(scheduleRule(), 'Targets');
    expect(others).toEqual([]);
    expect(referencedLogicalId(target!.Arn)).toBe(sweeper().logicalId);
    expect(target!.RetryPolicy).toEqual({
      MaximumRetryAttempts: OutboxSweeperSettings.targetRetryAttempts,
      MaximumEventAgeInSeconds: OutboxSweeperSettings.targetMaxEventAge.toSeconds(),
    });
    const dlq = sweeperDlq();
    expect(referencedLogicalId(target!.DeadLetterConfig.Arn)).toBe(dlq.logicalId);
    expect(referencedLogicalId(prop<{ TargetArn: unknown }>(sweeper(), 'DeadLetterConfig').TargetArn)).toBe(
      dlq.logicalId,
    );
    expect(tagsOf(dlq)[TagKeys.source]).toBe('outbox-sweeper');
  });

  it('reads its bounds from EnvNames, with a safety margin well under its timeout', () => {
    const fn = sweeper();
    const env = prop<{ Variables: Record<string, string> }>(fn, 'Environment').Variables;
    expect(env[EnvNames.outboxSweepGraceSeconds]).toBe('300');
    expect(Number(env[EnvNames.outboxSweepMaxItems])).toBeGreaterThan(0);
    expect(Number(env[EnvNames.outboxSweepSafetyMarginMs])).toBeLessThan(
      (prop<number>(fn, 'Timeout') * 1000) / 2,
    );
    expect(env.POWERTOOLS_SERVICE_NAME).toBe(OUTBOX_SWEEPER_SERVICE);
  });

  it('may Scan and DeleteItem on the outbox table, PutEvents on the app bus, send to its DLQ, and nothing else', () => {
    const granted = grants();
    const [bus] = resourcesOfType({ platform: all.platform }, 'AWS::Events::EventBus');
    expect([...granted.keys()].sort()).toEqual(
      [
        'dynamodb:DeleteItem',
        'dynamodb:Scan',
        'events:PutEvents',
        'sqs:SendMessage',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
    for (const action of ['dynamodb:Scan', 'dynamodb:DeleteItem']) {
      expect([...granted.get(action)!], action).toEqual([outboxTable()]);
    }
    expect([...granted.get('events:PutEvents')!]).toEqual([key('platform', bus!.logicalId)]);
    expect([...granted.get('sqs:SendMessage')!]).toEqual([key('orders', sweeperDlq().logicalId)]);
  });

  it('alarms when a run finds stranded items, when a run fails, and on its DLQ', () => {
    const alarms = resourcesOfType({ operations: all.operations }, 'AWS::CloudWatch::Alarm');
    const named = (suffix: string) => alarms.find((a) => prop<string>(a, 'AlarmName').endsWith(suffix));
    const stranded = named('-outbox-sweeper-stranded');
    expect(stranded).toBeDefined();
    expect(prop(stranded!, 'MetricName')).toBe(OutboxSweepMetrics.stranded);
    expect(prop(stranded!, 'Namespace')).toBe('Breakwater/dev');
    expect(prop(stranded!, 'Dimensions')).toEqual([{ Name: 'service', Value: OUTBOX_SWEEPER_SERVICE }]);
    expect(prop(stranded!, 'Threshold')).toBe(1);
    const errors = named('-outbox-sweeper-errors');
    expect(prop(errors!, 'MetricName')).toBe('Errors');
    expect(named('-outbox-sweeper-dlq-depth')).toBeDefined();
    expect(named('-outbox-sweeper-dlq-age')).toBeDefined();
  });
});
