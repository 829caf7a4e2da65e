import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, vi } from 'vitest';
import { type ConformanceCase, conformanceCases } from '../support/cases';
import { type ConformanceTarget, startConformanceTarget } from '../support/target';

/** CloudWatch Logs: groups, streams, events, and the reads `aws logs tail` and the console use. */

let target: ConformanceTarget;
beforeAll(async () => {
  target = await startConformanceTarget(process.env, { dynamoDb: false });
});
afterAll(async () => {
  await target?.stop();
});

const API = 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference';
const GUIDE = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs';

/** A log group of this run with one stream holding `messages` (one a second, oldest first). */
const groupWith = async (t: ConformanceTarget, messages: readonly string[]) => {
  const group = `/breakwater/conformance/${t.uniqueName('logs')}`;
  await t.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  t.onStop(() => t.logs.send(new DeleteLogGroupCommand({ logGroupName: group })));
  const stream = '2026/12/02/[$LATEST]0123456789abcdef';
  await t.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  const start = Date.now() - messages.length * 1000;
  if (messages.length > 0)
    await t.logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: stream,
        logEvents: messages.map((message, i) => ({ timestamp: start + i * 1000, message })),
      }),
    );
  return { group, stream, start };
};
const eventually = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 60_000, interval: 500 });

const cases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'CreateLogGroup twice is ResourceAlreadyExistsException',
    source: `${API}/API_CreateLogGroup.html`,
    run: async (t) => {
      const { group } = await groupWith(t, []);
      await expect(t.logs.send(new CreateLogGroupCommand({ logGroupName: group }))).rejects.toMatchObject({
        name: 'ResourceAlreadyExistsException',
      });
    },
  },
  {
    name: 'PutLogEvents to a missing stream is ResourceNotFoundException',
    source: `${API}/API_PutLogEvents.html`,
    run: async (t) => {
      const { group } = await groupWith(t, []);
      await expect(
        t.logs.send(
          new PutLogEventsCommand({
            logGroupName: group,
            logStreamName: 'none',
            logEvents: [{ timestamp: Date.now(), message: 'x' }],
          }),
        ),
      ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    },
  },
  {
    name: 'DescribeLogGroups by prefix reports the retention; PutRetentionPolicy refuses a day count not in its list',
    source: `${API}/API_PutRetentionPolicy.html`,
    run: async (t) => {
      const { group } = await groupWith(t, []);
      await t.logs.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 14 }));
      await expect(
        t.logs.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 15 })),
      ).rejects.toMatchObject({
        name: 'InvalidParameterException',
      });
      const { logGroups } = await t.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
      expect(logGroups).toEqual([expect.objectContaining({ logGroupName: group, retentionInDays: 14 })]);
    },
  },
  {
    name: 'GetLogEvents from the head returns the events oldest first; DescribeLogStreams reports first and last event times',
    source: `${API}/API_GetLogEvents.html`,
    run: async (t) => {
      const { group, stream, start } = await groupWith(t, ['one', 'two', 'three']);
      await eventually(async () => {
        const { events } = await t.logs.send(
          new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }),
        );
        expect(events?.map((e) => e.message)).toEqual(['one', 'two', 'three']);
      });
      const { logStreams } = await t.logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
      expect(logStreams?.[0]).toMatchObject({
        logStreamName: stream,
        firstEventTimestamp: start,
        lastEventTimestamp: start + 2000,
      });
    },
  },
  {
    name: 'FilterLogEvents: terms must all appear; ?terms any; -terms none',
    source: `${GUIDE}/FilterAndPatternSyntax.html`,
    run: async (t) => {
      const { group } = await groupWith(t, [
        'ERROR charge failed',
        'WARN charge slow',
        'INFO charge ok',
        'ERROR refund failed',
      ]);
      const filter = async (filterPattern: string) => {
        const { events } = await t.logs.send(
          new FilterLogEventsCommand({ logGroupName: group, filterPattern }),
        );
        return events?.map((e) => e.message);
      };
      await eventually(async () => {
        expect(await filter('charge failed')).toEqual(['ERROR charge failed']);
        expect(await filter('?ERROR ?WARN')).toEqual([
          'ERROR charge failed',
          'WARN charge slow',
          'ERROR refund failed',
        ]);
        expect(await filter('charge -ok')).toEqual(['ERROR charge failed', 'WARN charge slow']);
      });
    },
  },
  {
    name: 'FilterLogEvents: a JSON pattern selects by field, with && and numeric comparison',
    source: `${GUIDE}/FilterAndPatternSyntax.html`,
    run: async (t) => {
      const lines = [
        JSON.stringify({ level: 'ERROR', durationMs: 900, service: 'billing' }),
        JSON.stringify({ level: 'ERROR', durationMs: 10, service: 'billing' }),
        JSON.stringify({ level: 'INFO', durationMs: 900, service: 'billing' }),
      ];
      const { group } = await groupWith(t, lines);
      await eventually(async () => {
        const { events } = await t.logs.send(
          new FilterLogEventsCommand({
            logGroupName: group,
            filterPattern: '{ $.level = "ERROR" && $.durationMs > 100 }',
          }),
        );
        expect(events?.map((e) => e.message)).toEqual([lines[0]]);
      });
    },
  },
];

describe('CloudWatch Logs', () => {
  conformanceCases(cases, () => target, { concurrent: true });
});
