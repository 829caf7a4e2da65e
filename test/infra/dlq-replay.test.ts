import { DlqKinds, QueueRoles, TagKeys } from '@breakwater/event-consumer';
import { Validations } from 'aws-cdk-lib';
import type { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NagReasons } from '../../infra/constructs/nag';
import { EnvNames } from '../../shared/config/env-names';
import {
  actionsOf,
  exportedReferences,
  isDlq,
  isWildcardAction,
  key,
  type LocatedRef,
  type LocatedResource,
  policyStatements,
  prop,
  referencedLogicalId,
  resolveReference,
  resourcesOf,
  resourcesOfType,
  type Statement,
  tagsOf,
} from './support/cfn';
import { type SynthResult, synthBreakwater } from './support/synth';

// The DLQ replay function as deployed (dev): what it runs, exactly what it may touch, how it is reached. The
// expected queues are read from the templates (tags, redrive policies, rule targets), not from the stack's code.
// One synth for the file, no bundling (app.test.ts covers it).
let synth: SynthResult;
let all: SynthResult['templates'];
let exports: ReadonlyMap<string, LocatedRef>;

beforeAll(() => {
  synth = synthBreakwater();
  all = synth.templates;
  exports = exportedReferences(all);
});

afterAll(() => synth?.cleanup());

const dlqActions = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:ListDeadLetterSourceQueues',
  'sqs:ListQueueTags',
  'sqs:ReceiveMessage',
];

function replayFunction(): LocatedResource {
  const functions = resourcesOfType({ replay: all.replay }, 'AWS::Lambda::Function');
  expect(functions).toHaveLength(1);
  return functions[0]!;
}

/** Allow statements of every policy attached to the function's role (its inline policies included). */
function roleStatements(): Statement[] {
  const role = referencedLogicalId(prop(replayFunction(), 'Role'));
  const attached = resourcesOfType(all, 'AWS::IAM::Policy').filter((p) =>
    prop<unknown[]>(p, 'Roles').some((r) => referencedLogicalId(r) === role),
  );
  const roles = resourcesOfType(all, 'AWS::IAM::Role').filter((r) => r.logicalId === role);
  return [...attached, ...roles].flatMap(policyStatements).filter((s) => s.Effect === 'Allow');
}

/** Action → the resources it is allowed on: `*`, `<stack>/<logical id>` of a resource, or the raw value. */
function grants(): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const statement of roleStatements()) {
    for (const action of actionsOf(statement)) {
      const set = map.get(action) ?? new Set<string>();
      for (const value of resourcesOf(statement)) {
        const ref = value === '*' ? undefined : resolveReference(value, 'replay', exports);
        set.add(value === '*' ? '*' : ref ? key(ref.stack, ref.logicalId) : JSON.stringify(value));
      }
      map.set(action, set);
    }
  }
  return map;
}

const queues = (): LocatedResource[] => resourcesOfType(all, 'AWS::SQS::Queue');
const queueKeys = (filter: (q: LocatedResource) => boolean): string[] =>
  queues()
    .filter(filter)
    .map((q) => key(q.stack, q.logicalId))
    .sort();
const dlqKind = (q: LocatedResource): string | undefined =>
  isDlq(q) ? tagsOf(q)[TagKeys.dlqKind] : undefined;

/** The consumers' DLQs: every redrive and rule-target DLQ of the app. */
const consumerDlqs = (): string[] =>
  queueKeys((q) => dlqKind(q) === DlqKinds.redrive || dlqKind(q) === DlqKinds.ruleTarget);

/** Where each consumer DLQ's messages go back to: the queue redriving to it, or the queue its rule targets. */
function sourceOfEachDlq(): Map<string, string> {
  const sources = new Map<string, string>();
  for (const q of queues()) {
    const target = prop<{ deadLetterTargetArn: unknown } | undefined>(
      q,
      'RedrivePolicy',
    )?.deadLetterTargetArn;
    const dlq = target === undefined ? undefined : resolveReference(target, q.stack, exports);
    if (dlq) sources.set(key(dlq.stack, dlq.logicalId), key(q.stack, q.logicalId));
  }
  for (const rule of resourcesOfType(all, 'AWS::Events::Rule')) {
    for (const target of prop<{ Arn: unknown; DeadLetterConfig?: { Arn: unknown } }[]>(rule, 'Targets')) {
      const dlq =
        target.DeadLetterConfig && resolveReference(target.DeadLetterConfig.Arn, rule.stack, exports);
      const queue = resolveReference(target.Arn, rule.stack, exports);
      if (dlq && queue) sources.set(key(dlq.stack, dlq.logicalId), key(queue.stack, queue.logicalId));
    }
  }
  return sources;
}

describe('dlq-replay function', () => {
  it('runs nodejs24.x with a 15-minute timeout and its bounds from EnvNames', () => {
    const fn = replayFunction();
    expect(prop(fn, 'Runtime')).toBe('nodejs24.x');
    expect(prop(fn, 'Timeout')).toBe(15 * 60);
    const env = prop<{ Variables: Record<string, string> }>(fn, 'Environment').Variables;
    expect(Number(env[EnvNames.dlqReplayMaxMessages])).toBeGreaterThan(0);
    expect(Number(env[EnvNames.dlqReplayConcurrency])).toBeGreaterThan(0);
    // The run must stop and report well before Lambda ends it.
    const margin = Number(env[EnvNames.dlqReplaySafetyMarginMs]);
    expect(margin).toBeGreaterThanOrEqual(1_000);
    expect(margin).toBeLessThan((prop<number>(fn, 'Timeout') * 1000) / 10);
  });

  it('is invoked by hand only: no event source, rule target or resource-based permission', () => {
    const fn = replayFunction();
    const isFn = (value: unknown, stack: string): boolean => {
      const ref = resolveReference(value, stack, exports);
      return ref?.stack === 'replay' && ref.logicalId === fn.logicalId;
    };
    const mappings = resourcesOfType(all, 'AWS::Lambda::EventSourceMapping');
    expect(mappings.filter((m) => isFn(prop(m, 'FunctionName'), m.stack))).toEqual([]);
    expect(resourcesOfType({ replay: all.replay }, 'AWS::Lambda::Permission')).toEqual([]);
    for (const rule of resourcesOfType(all, 'AWS::Events::Rule')) {
      for (const target of prop<{ Arn: unknown }[]>(rule, 'Targets')) {
        expect(isFn(target.Arn, rule.stack), rule.logicalId).toBe(false);
      }
    }
  });

  it('names its function in the DlqReplayFunctionName output', () => {
    const outputs = (all.replay.toJSON() as { Outputs: Record<string, { Value: unknown }> }).Outputs;
    expect(referencedLogicalId(outputs.DlqReplayFunctionName?.Value)).toBe(replayFunction().logicalId);
  });
});

describe('dlq-replay permissions', () => {
  it('are exactly these actions, none of them a wildcard', () => {
    const actions = [...grants().keys()].sort();
    expect(actions).toEqual(
      [
        ...dlqActions,
        'sqs:SendMessage',
        'sqs:ListQueues',
        'events:PutEvents',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
    expect(actions.filter((a) => isWildcardAction(a) || a.includes('*'))).toEqual([]);
    expect(actions.filter((a) => a.startsWith('lambda:'))).toEqual([]);
  });

  it('read, hold and delete messages on exactly the six consumer DLQs', () => {
    const dlqs = consumerDlqs();
    expect(dlqs).toHaveLength(6);
    const granted = grants();
    for (const action of ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage']) {
      expect([...(granted.get(action) ?? [])].sort(), action).toEqual(dlqs);
    }
    for (const action of ['sqs:ListQueueTags', 'sqs:ListDeadLetterSourceQueues']) {
      expect([...(granted.get(action) ?? [])].sort(), action).toEqual(dlqs);
    }
  });

  it('send only to the queues those DLQs lead back to (a rule-target DLQ leads to the rule target queue)', () => {
    const dlqs = consumerDlqs();
    const sourceOf = sourceOfEachDlq();
    for (const dlq of dlqs) expect(sourceOf.get(dlq), `${dlq} has no source`).toBeDefined();
    const sources = [...new Set(dlqs.map((dlq) => sourceOf.get(dlq)!))].sort();
    expect(sources).toHaveLength(3);
    expect(sources).toEqual(queueKeys((q) => tagsOf(q)[TagKeys.role] === QueueRoles.queue));
    const granted = grants();
    expect([...(granted.get('sqs:SendMessage') ?? [])].sort()).toEqual(sources);
    // Looking a queue up (URL and ARN) is needed on both sides: the DLQ, and the destination before sending.
    for (const action of ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl']) {
      expect([...(granted.get(action) ?? [])].sort(), action).toEqual([...dlqs, ...sources].sort());
    }
  });

  it('touch nothing on the stream on-failure queue (it holds batch metadata, not events)', () => {
    const failureQueues = queueKeys((q) => dlqKind(q) === DlqKinds.streamOnFailure);
    expect(failureQueues).toHaveLength(1);
    for (const [action, resources] of grants()) {
      for (const queue of failureQueues) expect(resources.has(queue), action).toBe(false);
    }
  });

  it('put events only on the app bus', () => {
    const [bus] = resourcesOfType({ platform: all.platform }, 'AWS::Events::EventBus');
    expect([...(grants().get('events:PutEvents') ?? [])]).toEqual([key('platform', bus!.logicalId)]);
  });

  it('give "*" only to ListQueues and X-Ray, ListQueues in a policy of its own acknowledged with its reason', () => {
    const onStar = [...grants()].filter(([, resources]) => resources.has('*')).map(([action]) => action);
    expect(onStar.sort()).toEqual(['sqs:ListQueues', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    expect([...(grants().get('sqs:ListQueues') ?? [])]).toEqual(['*']);

    const listing = synth.stacks.replay.queueListing;
    const logicalId = synth.stacks.replay.getLogicalId(listing.node.defaultChild as CfnPolicy);
    const policy = resourcesOfType({ replay: all.replay }, 'AWS::IAM::Policy').find(
      (p) => p.logicalId === logicalId,
    );
    const statements = policyStatements(policy!);
    expect(statements.flatMap(actionsOf)).toEqual(['sqs:ListQueues']);
    const acknowledged = listing.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => ({ [id.replace(/^annotation::/i, '')]: reason }));
    expect(acknowledged).toEqual([{ 'AwsSolutions-IAM5[Resource::*]': NagReasons.queueListing }]);
  });
});
