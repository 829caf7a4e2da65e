import { randomBytes } from 'node:crypto';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, vi } from 'vitest';
import { type ConformanceCase, conformanceCases } from '../support/cases';
import { type ConformanceTarget, startConformanceTarget } from '../support/target';

/**
 * What EventBridge delivers to an SQS target: the event envelope, InputPath, Input, and input transformers (missing
 * values, `<aws.events.event>`, objects in string templates, invalid JSON dropped), and event bus targets.
 */
let target: ConformanceTarget;
beforeAll(async () => {
  target = await startConformanceTarget(process.env, { dynamoDb: false });
});
afterAll(async () => {
  await target?.stop();
});

const TRANSFORM = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html';
const SQS_TARGET = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html';
const BUS_TARGET = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-bus-to-bus.html';

interface Queue {
  readonly url: string;
  readonly arn: string;
}

/** A queue that EventBridge may send to (its policy allows the service, as AWS requires). */
const queue = async (t: ConformanceTarget): Promise<Queue> => {
  const { QueueUrl: url = '' } = await t.sqs.send(new CreateQueueCommand({ QueueName: t.uniqueName('eb') }));
  t.onStop(() => t.sqs.send(new DeleteQueueCommand({ QueueUrl: url })));
  const { Attributes } = await t.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn ?? '';
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: arn,
      },
    ],
  };
  await t.sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: url,
      Attributes: { Policy: JSON.stringify(policy) },
    }),
  );
  return { url, arn };
};

/** A rule matching one source only (so that cases never see each other's events), with its targets. */
const rule = async (t: ConformanceTarget, source: string, targets: Target[], eventBusName?: string) => {
  const name = t.uniqueName('rule');
  await t.eventBridge.send(
    new PutRuleCommand({
      Name: name,
      EventBusName: eventBusName,
      EventPattern: JSON.stringify({ source: [source] }),
    }),
  );
  await t.eventBridge.send(
    new PutTargetsCommand({ Rule: name, EventBusName: eventBusName, Targets: targets }),
  );
  t.onStop(async () => {
    await t.eventBridge.send(
      new RemoveTargetsCommand({
        Rule: name,
        EventBusName: eventBusName,
        Ids: targets.map((x) => x.Id ?? ''),
      }),
    );
    await t.eventBridge.send(new DeleteRuleCommand({ Name: name, EventBusName: eventBusName }));
  });
  return name;
};

const sourceFor = () => `com.example.conf.${randomBytes(4).toString('hex')}`;

const put = (t: ConformanceTarget, source: string, detail: unknown, eventBusName?: string) =>
  t.eventBridge.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: source,
          DetailType: 'Order Placed',
          Detail: JSON.stringify(detail),
          EventBusName: eventBusName,
        },
      ],
    }),
  );

/** Receives until `count` bodies arrived (raw text), deleting them; fails after 20 s. */
const receive = async (t: ConformanceTarget, { url }: Queue, count: number): Promise<string[]> => {
  const bodies: string[] = [];
  await vi.waitFor(
    async () => {
      const { Messages = [] } = await t.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      for (const message of Messages) {
        bodies.push(message.Body ?? '');
        await t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
      }
      expect(bodies.length).toBeGreaterThanOrEqual(count);
    },
    { timeout: 20_000, interval: 100 },
  );
  return bodies;
};

const detail = { command: 'update-account', payload: { acc_id: 'a-1', sf_id: 'baz' }, tags: ['HIGH', 'LOW'] };

/** Puts one event to a fresh queue through one target, and answers the body it received. */
const deliverOne = async (
  t: ConformanceTarget,
  shape: Omit<Target, 'Id' | 'Arn'>,
  eventDetail: unknown = detail,
) => {
  const q = await queue(t);
  const source = sourceFor();
  await rule(t, source, [{ Id: 'q', Arn: q.arn, ...shape }]);
  await put(t, source, eventDetail);
  const [body = ''] = await receive(t, q, 1);
  return body;
};

const cases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'an SQS target receives the whole event in AWS envelope order, resources [] when none were put',
    source: SQS_TARGET,
    run: async (t) => {
      const body = await deliverOne(t, {});
      const event = JSON.parse(body) as Record<string, unknown>;
      expect(Object.keys(event)).toEqual([
        'version',
        'id',
        'detail-type',
        'source',
        'account',
        'time',
        'region',
        'resources',
        'detail',
      ]);
      expect(event).toMatchObject({ version: '0', 'detail-type': 'Order Placed', resources: [], detail });
      expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    },
  },
  {
    name: 'InputPath selects a part of the event',
    source: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html',
    run: async (t) => {
      expect(JSON.parse(await deliverOne(t, { InputPath: '$.detail.payload' }))).toEqual(detail.payload);
    },
  },
  {
    name: 'Input replaces the event with a constant',
    source: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html',
    run: async (t) => {
      expect(JSON.parse(await deliverOne(t, { Input: '{"custom-value":"constant"}' }))).toEqual({
        'custom-value': 'constant',
      });
    },
  },
  {
    name: 'a string template is delivered as a JSON string; a value whose path finds nothing becomes nothing',
    source: TRANSFORM,
    run: async (t) => {
      const body = await deliverOne(t, {
        InputTransformer: {
          InputPathsMap: { type: '$.detail-type', command: '$.detail.command', missing: '$.detail.nothing' },
          InputTemplate: '"Event of <type> type: <command>, missing <missing>"',
        },
      });
      expect(body).toBe('"Event of Order Placed type: update-account, missing "');
    },
  },
  {
    name: 'a JSON template quotes string values; a value whose path finds nothing becomes ""',
    source: TRANSFORM,
    run: async (t) => {
      const body = await deliverOne(t, {
        InputTransformer: {
          InputPathsMap: { type: '$.detail-type', command: '$.detail.command', missing: '$.detail.nothing' },
          InputTemplate: '{"detailType": <type>, "command": <command>, "absent": <missing>}',
        },
      });
      expect(JSON.parse(body)).toEqual({ detailType: 'Order Placed', command: 'update-account', absent: '' });
    },
  },
  {
    name: 'objects and lists keep their JSON in a JSON position and lose their quotes inside a string template',
    source: TRANSFORM,
    run: async (t) => {
      const json = await deliverOne(t, {
        InputTransformer: {
          InputPathsMap: { payload: '$.detail.payload', tags: '$.detail.tags' },
          InputTemplate: '{"bod": <payload>, "tags": <tags>}',
        },
      });
      expect(JSON.parse(json)).toEqual({ bod: detail.payload, tags: detail.tags });
      const text = await deliverOne(t, {
        InputTransformer: {
          InputPathsMap: { payload: '$.detail.payload', tags: '$.detail.tags' },
          InputTemplate: '"Payload of <payload> with <tags>"',
        },
      });
      expect(text).toBe('"Payload of {acc_id:a-1,sf_id:baz} with [HIGH,LOW]"');
    },
  },
  {
    name: '<aws.events.event> is the event without detail, with detailType; <aws.events.event.json> the whole event',
    source: TRANSFORM,
    run: async (t) => {
      const body = await deliverOne(t, {
        InputTransformer: {
          InputTemplate:
            '{"original": <aws.events.event>, "json": <aws.events.event.json>, "rule": <aws.events.rule-name>}',
        },
      });
      const { original, json, rule: ruleName } = JSON.parse(body) as Record<string, Record<string, unknown>>;
      expect(original).toEqual({
        id: json?.id,
        account: json?.account,
        detailType: 'Order Placed',
        time: json?.time,
        source: json?.source,
        region: json?.region,
        resources: [],
        version: '0',
      });
      expect(json?.detail).toEqual(detail);
      expect(ruleName).toMatch(/^bw-conf-rule-/);
    },
  },
  {
    name: 'a JSON template whose output is not valid JSON is dropped',
    source: TRANSFORM,
    run: async (t) => {
      const q = await queue(t);
      const source = sourceFor();
      await rule(t, source, [
        {
          Id: 'broken',
          Arn: q.arn,
          InputTransformer: {
            InputPathsMap: { payload: '$.detail.payload' },
            InputTemplate: '{"payload": "<payload>"}',
          },
        },
        { Id: 'sentinel', Arn: q.arn, Input: '"sentinel"' },
      ]);
      await put(t, source, detail);
      const bodies = await receive(t, q, 1);
      // The sentinel arrives; the broken target's message never does (its output was invalid JSON).
      const more = await t.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }),
      );
      expect([...bodies, ...(more.Messages ?? []).map((m) => m.Body)]).toEqual(['"sentinel"']);
    },
  },
  {
    name: 'an event bus target delivers the event through the other bus',
    source: BUS_TARGET,
    run: async (t) => {
      const q = await queue(t);
      const name = t.uniqueName('bus');
      const { EventBusArn = '' } = await t.eventBridge.send(new CreateEventBusCommand({ Name: name }));
      t.onStop(() => t.eventBridge.send(new DeleteEventBusCommand({ Name: name })));
      const source = sourceFor();
      const account = EventBusArn.split(':')[4] ?? '';
      const roleArn =
        process.env.BREAKWATER_CONFORMANCE_EVENTS_ROLE_ARN ?? `arn:aws:iam::${account}:role/bw-conf-events`;
      await rule(t, source, [{ Id: 'q', Arn: q.arn }], name);
      await rule(t, source, [{ Id: 'bus', Arn: EventBusArn, RoleArn: roleArn }]);
      await put(t, source, detail);
      const [body = ''] = await receive(t, q, 1);
      expect(JSON.parse(body)).toMatchObject({ source, 'detail-type': 'Order Placed', detail });
    },
  },
];

describe('EventBridge deliveries to SQS targets', () => {
  conformanceCases(cases, () => target, { concurrent: true });
});
