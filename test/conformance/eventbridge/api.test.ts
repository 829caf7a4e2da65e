import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  ListRuleNamesByTargetCommand,
  ListTagsForResourceCommand,
  PutEventsCommand,
  PutRuleCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type ConformanceCase, conformanceCases } from '../support/cases';
import { type ConformanceTarget, startConformanceTarget } from '../support/target';
import { API, bus, entry, failure, putTargets, QUEUE, rule, SCHEDULES } from './api-support';
import { testEvent, testPattern } from './support';

/**
 * EventBridge's API behaviours that the local cloud must share, each from its API reference page: TestEventPattern's
 * event validation, PutEvents' per-entry errors, PutTargets' validation, rules and schedules, archives and replays.
 */
let target: ConformanceTarget;
beforeAll(async () => {
  target = await startConformanceTarget(process.env, { dynamoDb: false });
});
afterAll(async () => {
  await target?.stop();
});

const testEventPatternCases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'TestEventPattern accepts an event without resources',
    source: `${API}/API_TestEventPattern.html`,
    run: async (t) => {
      const { resources: _none, ...event } = testEvent({ resources: [] });
      expect(await testPattern(t, { source: ['com.example.orders'] }, event)).toBe(true);
    },
  },
  {
    name: 'TestEventPattern refuses an event without an id with ValidationException',
    source: `${API}/API_TestEventPattern.html#API_TestEventPattern_Errors`,
    run: async (t) => {
      const { id: _id, ...event } = testEvent();
      expect(await failure(testPattern(t, { source: ['x'] }, event))).toMatchObject({
        name: 'ValidationException',
      });
    },
  },
  {
    name: 'TestEventPattern refuses an event that is not JSON with ValidationException',
    source: `${API}/API_TestEventPattern.html#API_TestEventPattern_Errors`,
    run: async (t) => {
      expect(await failure(testPattern(t, { source: ['x'] }, '{"id":'))).toMatchObject({
        name: 'ValidationException',
        message: 'Parameter Event is not valid.',
      });
    },
  },
  ...(['"plain string"', '["plain string"]', '{"testEvent":"value"}'] as const).map(
    (event): ConformanceCase<ConformanceTarget> => ({
      name: `TestEventPattern refuses the event ${event} with ValidationException`,
      source: `${API}/API_TestEventPattern.html#API_TestEventPattern_Errors`,
      run: async (t) => {
        expect(
          await failure(testPattern(t, { body: { test2: [{ numeric: ['>', 100] }] } }, event)),
        ).toMatchObject({
          name: 'ValidationException',
          message: 'Parameter Event is not valid.',
        });
      },
    }),
  ),
  {
    name: 'TestEventPattern refuses an invalid pattern with InvalidEventPatternException',
    source: `${API}/API_TestEventPattern.html#API_TestEventPattern_Errors`,
    run: async (t) => {
      expect(await failure(testPattern(t, '{"source":"x"}', testEvent()))).toMatchObject({
        name: 'InvalidEventPatternException',
      });
    },
  },
];

const putEventsCases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'PutEvents reports a missing Source, DetailType or Detail per entry, in order, and accepts the rest',
    source: `${API}/API_PutEventsResultEntry.html`,
    run: async (t) => {
      const answer = await t.eventBridge.send(
        new PutEventsCommand({
          Entries: [
            entry({ Source: undefined }),
            entry(),
            entry({ DetailType: undefined }),
            entry({ Detail: undefined }),
          ],
        }),
      );
      expect(answer.FailedEntryCount).toBe(3);
      expect(answer.Entries).toEqual([
        {
          ErrorCode: 'InvalidArgument',
          ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
        },
        { EventId: expect.any(String) },
        {
          ErrorCode: 'InvalidArgument',
          ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
        },
        {
          ErrorCode: 'InvalidArgument',
          ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.',
        },
      ]);
    },
  },
  {
    name: 'PutEvents reports a Detail that is not a JSON object as MalformedDetail',
    source: `${API}/API_PutEventsResultEntry.html`,
    run: async (t) => {
      const answer = await t.eventBridge.send(
        new PutEventsCommand({
          Entries: [
            entry({ Detail: 'not json' }),
            entry({ Detail: '[1,2]' }),
            entry({ Detail: '"{\\"a\\":1}"' }),
          ],
        }),
      );
      expect(answer.FailedEntryCount).toBe(3);
      for (const result of answer.Entries ?? []) {
        expect(result).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
      }
    },
  },
  {
    name: 'PutEvents refuses more than 10 entries with ValidationException',
    source: `${API}/API_PutEvents.html#API_PutEvents_RequestParameters`,
    run: async (t) => {
      const error = await failure(
        t.eventBridge.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry()) })),
      );
      expect(error).toMatchObject({ name: 'ValidationException' });
      expect(error?.message).toMatch(
        /^1 validation error detected: Value .* at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10/,
      );
    },
  },
  {
    name: 'PutEvents refuses entries over 256 KB in total with ValidationException',
    source: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html',
    run: async (t) => {
      const big = `{"data":"${'x'.repeat(256 * 1024)}"}`;
      const error = await failure(
        t.eventBridge.send(new PutEventsCommand({ Entries: [entry({ Detail: big })] })),
      );
      expect(error).toMatchObject({
        name: 'ValidationException',
        message: 'Total size of the entries in the request is over the limit.',
      });
    },
  },
  {
    name: 'PutEvents to an event bus that does not exist answers an EventId and no failure',
    source: `${API}/API_PutEvents.html`,
    run: async (t) => {
      const answer = await t.eventBridge.send(
        new PutEventsCommand({ Entries: [entry({ EventBusName: t.uniqueName('no-such-bus') })] }),
      );
      expect(answer).toMatchObject({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
    },
  },
];

const putTargetsCases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'PutTargets answers FailedEntryCount 0 and empty FailedEntries when every target is put',
    source: `${API}/API_PutTargets.html#API_PutTargets_ResponseSyntax`,
    run: async (t) => {
      const name = await rule(t);
      const answer = await putTargets(t, name, [{ Id: 't1', Arn: QUEUE(t) }]);
      expect(answer).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
      await t.eventBridge.send(new RemoveTargetsCommand({ Rule: name, Ids: ['t1'] }));
    },
  },
  {
    name: 'PutTargets refuses an Id outside [.-_A-Za-z0-9] with ValidationException',
    source: `${API}/API_Target.html`,
    run: async (t) => {
      const error = await failure(putTargets(t, await rule(t), [{ Id: '!@#$@!#$', Arn: QUEUE(t) }]));
      expect(error).toMatchObject({
        name: 'ValidationException',
        message:
          "1 validation error detected: Value '!@#$@!#$' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
      });
    },
  },
  {
    name: 'PutTargets refuses an Id longer than 64 characters with ValidationException',
    source: `${API}/API_Target.html`,
    run: async (t) => {
      const id = 'x'.repeat(65);
      const error = await failure(putTargets(t, await rule(t), [{ Id: id, Arn: QUEUE(t) }]));
      expect(error).toMatchObject({
        name: 'ValidationException',
        message: `1 validation error detected: Value '${id}' at 'targets.1.member.id' failed to satisfy constraint: Member must have length less than or equal to 64`,
      });
    },
  },
  {
    name: 'PutTargets refuses a sixth target with LimitExceededException',
    source: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html',
    run: async (t) => {
      const name = await rule(t);
      const targets = Array.from({ length: 5 }, (_, i) => ({ Id: `t${i}`, Arn: QUEUE(t) }));
      await putTargets(t, name, targets);
      t.onStop(() =>
        t.eventBridge.send(new RemoveTargetsCommand({ Rule: name, Ids: targets.map((x) => x.Id) })),
      );
      expect(await failure(putTargets(t, name, [{ Id: 't5', Arn: QUEUE(t) }]))).toMatchObject({
        name: 'LimitExceededException',
        message: 'The requested resource exceeds the maximum number allowed.',
      });
    },
  },
  {
    name: 'PutTargets refuses a FIFO queue without SqsParameters',
    source: `${API}/API_SqsParameters.html`,
    run: async (t) => {
      const error = await failure(putTargets(t, await rule(t), [{ Id: 'fifo', Arn: `${QUEUE(t)}.fifo` }]));
      expect(error).toMatchObject({
        name: 'ValidationException',
        message: 'Parameter(s) SqsParameters must be specified for target: fifo.',
      });
    },
  },
  {
    name: 'PutTargets refuses both Input and InputPath on one target',
    source: `${API}/API_Target.html`,
    run: async (t) => {
      const error = await failure(
        putTargets(t, await rule(t), [{ Id: 'two', Arn: QUEUE(t), Input: '{}', InputPath: '$.detail' }]),
      );
      expect(error).toMatchObject({
        name: 'ValidationException',
        message: 'Only one of Input, InputPath, or InputTransformer must be provided for target two.',
      });
    },
  },
  {
    name: 'PutTargets refuses an InputTemplate placeholder that InputPathsMap does not define',
    source: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html',
    run: async (t) => {
      const error = await failure(
        putTargets(t, await rule(t), [
          {
            Id: 'tpl',
            Arn: QUEUE(t),
            InputTransformer: {
              InputPathsMap: { kind: '$.detail-type' },
              InputTemplate: '"<kind> and <undefinedkey>"',
            },
          },
        ]),
      );
      expect(error).toMatchObject({
        name: 'ValidationException',
        message: 'InputTemplate for target tpl contains invalid placeholder undefinedkey.',
      });
    },
  },
  {
    name: 'PutTargets on a rule that does not exist fails with ResourceNotFoundException',
    source: `${API}/API_PutTargets.html#API_PutTargets_Errors`,
    run: async (t) => {
      const name = t.uniqueName('ghost');
      expect(await failure(putTargets(t, name, [{ Id: 't', Arn: QUEUE(t) }]))).toMatchObject({
        name: 'ResourceNotFoundException',
        message: `Rule ${name} does not exist on EventBus default.`,
      });
    },
  },
];

const ruleCases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'DeleteRule refuses a rule that still has targets',
    source: `${API}/API_DeleteRule.html`,
    run: async (t) => {
      const name = await rule(t);
      await putTargets(t, name, [{ Id: 't', Arn: QUEUE(t) }]);
      t.onStop(() => t.eventBridge.send(new RemoveTargetsCommand({ Rule: name, Ids: ['t'] })));
      expect(await failure(t.eventBridge.send(new DeleteRuleCommand({ Name: name })))).toMatchObject({
        name: 'ValidationException',
        message: "Rule can't be deleted since it has targets.",
      });
    },
  },
  {
    name: 'DescribeRule of a missing rule fails with ResourceNotFoundException',
    source: `${API}/API_DescribeRule.html#API_DescribeRule_Errors`,
    run: async (t) => {
      const name = t.uniqueName('ghost');
      expect(await failure(t.eventBridge.send(new DescribeRuleCommand({ Name: name })))).toMatchObject({
        name: 'ResourceNotFoundException',
        message: `Rule ${name} does not exist on EventBus default.`,
      });
    },
  },
  ...[
    'rate(1 minutes)',
    'rate(10 minute)',
    'rate(0 minutes)',
    'rate(10 seconds)',
    'rate( 10 minutes )',
    'cron(0 1 * * * *)',
    'cron(71 8 1 * ? *)',
    'cron(0 12 * * ?)',
  ].map(
    (expression): ConformanceCase<ConformanceTarget> => ({
      name: `PutRule refuses the schedule ${expression}`,
      source: SCHEDULES,
      run: async (t) => {
        const error = await failure(
          t.eventBridge.send(
            new PutRuleCommand({ Name: t.uniqueName('sched'), ScheduleExpression: expression }),
          ),
        );
        expect(error).toMatchObject({
          name: 'ValidationException',
          message: 'Parameter ScheduleExpression is not valid.',
        });
      },
    }),
  ),
  ...[
    'rate(1 minute)',
    'rate(5 minutes)',
    'rate(1 day)',
    'cron(0 12 * * ? *)',
    'cron(15 10 ? * 6L 2030-2035)',
    'cron(0 2 ? * SAT#3 *)',
    'cron(0/5 8-17 ? * MON-FRI *)',
  ].map(
    (expression): ConformanceCase<ConformanceTarget> => ({
      name: `PutRule accepts the schedule ${expression}`,
      source: SCHEDULES,
      run: async (t) => {
        const name = t.uniqueName('sched');
        await t.eventBridge.send(
          new PutRuleCommand({ Name: name, ScheduleExpression: expression, State: 'DISABLED' }),
        );
        t.onStop(() => t.eventBridge.send(new DeleteRuleCommand({ Name: name })));
        const described = await t.eventBridge.send(new DescribeRuleCommand({ Name: name }));
        expect(described).toMatchObject({ ScheduleExpression: expression, State: 'DISABLED' });
      },
    }),
  ),
  {
    name: 'PutRule refuses a schedule on a custom event bus',
    source: SCHEDULES,
    run: async (t) => {
      const { name } = await bus(t, 'sched-bus');
      const error = await failure(
        t.eventBridge.send(
          new PutRuleCommand({
            Name: t.uniqueName('s'),
            EventBusName: name,
            ScheduleExpression: 'rate(1 minute)',
          }),
        ),
      );
      expect(error).toMatchObject({
        name: 'ValidationException',
        message: 'ScheduleExpression is supported only on the default event bus.',
      });
    },
  },
];

const busCases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'CreateEventBus of an existing name fails with ResourceAlreadyExistsException',
    source: `${API}/API_CreateEventBus.html#API_CreateEventBus_Errors`,
    run: async (t) => {
      const { name } = await bus(t, 'dup');
      expect(await failure(t.eventBridge.send(new CreateEventBusCommand({ Name: name })))).toMatchObject({
        name: 'ResourceAlreadyExistsException',
        message: `Event bus ${name} already exists.`,
      });
    },
  },
  {
    name: 'DeleteEventBus refuses the default bus',
    source: `${API}/API_DeleteEventBus.html`,
    run: async (t) => {
      expect(await failure(t.eventBridge.send(new DeleteEventBusCommand({ Name: 'default' })))).toMatchObject(
        {
          name: 'ValidationException',
          message: 'Cannot delete event bus default.',
        },
      );
    },
  },
  {
    name: 'DescribeEventBus of a missing bus fails with ResourceNotFoundException',
    source: `${API}/API_DescribeEventBus.html#API_DescribeEventBus_Errors`,
    run: async (t) => {
      const name = t.uniqueName('ghost');
      expect(await failure(t.eventBridge.send(new DescribeEventBusCommand({ Name: name })))).toMatchObject({
        name: 'ResourceNotFoundException',
        message: `Event bus ${name} does not exist.`,
      });
    },
  },
];

const tagCases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'TagResource, ListTagsForResource and UntagResource on a rule',
    source: `${API}/API_TagResource.html`,
    run: async (t) => {
      const name = await rule(t);
      const { Arn } = await t.eventBridge.send(new DescribeRuleCommand({ Name: name }));
      await t.eventBridge.send(
        new TagResourceCommand({
          ResourceARN: Arn,
          Tags: [
            { Key: 'tag1', Value: 'value1' },
            { Key: 'tag2', Value: 'value2' },
          ],
        }),
      );
      await t.eventBridge.send(new UntagResourceCommand({ ResourceARN: Arn, TagKeys: ['tag2'] }));
      const { Tags } = await t.eventBridge.send(new ListTagsForResourceCommand({ ResourceARN: Arn }));
      expect(Tags).toEqual([{ Key: 'tag1', Value: 'value1' }]);
    },
  },
  {
    name: 'ListTagsForResource of a missing rule fails with ResourceNotFoundException',
    source: `${API}/API_ListTagsForResource.html#API_ListTagsForResource_Errors`,
    run: async (t) => {
      const { Arn = '' } = await t.eventBridge.send(new DescribeRuleCommand({ Name: await rule(t) }));
      const ghost = t.uniqueName('ghost');
      const error = await failure(
        t.eventBridge.send(
          new ListTagsForResourceCommand({ ResourceARN: Arn.replace(/rule\/.*/, `rule/${ghost}`) }),
        ),
      );
      expect(error).toMatchObject({
        name: 'ResourceNotFoundException',
        message: `Rule ${ghost} does not exist on EventBus default.`,
      });
    },
  },
  {
    name: 'ListRuleNamesByTarget lists the rules that have a target with the ARN',
    source: `${API}/API_ListRuleNamesByTarget.html`,
    run: async (t) => {
      const arn = `${QUEUE(t)}-${t.uniqueName('x')}`;
      const names = [await rule(t), await rule(t)];
      for (const name of names) {
        await putTargets(t, name, [{ Id: 't', Arn: arn }]);
        t.onStop(() => t.eventBridge.send(new RemoveTargetsCommand({ Rule: name, Ids: ['t'] })));
      }
      const { RuleNames } = await t.eventBridge.send(new ListRuleNamesByTargetCommand({ TargetArn: arn }));
      expect([...(RuleNames ?? [])].sort()).toEqual([...names].sort());
    },
  },
];

describe('EventBridge API: TestEventPattern, PutEvents, PutTargets, rules, buses', () => {
  conformanceCases(
    [...testEventPatternCases, ...putEventsCases, ...putTargetsCases, ...ruleCases, ...busCases, ...tagCases],
    () => target,
    {
      concurrent: true,
    },
  );
});
