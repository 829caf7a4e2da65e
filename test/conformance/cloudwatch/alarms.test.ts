import {
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  type PutMetricAlarmCommandInput,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, vi } from 'vitest';
import { type ConformanceCase, conformanceCases } from '../support/cases';
import { type ConformanceTarget, startConformanceTarget } from '../support/target';
import { expectCloudWatchError } from './support';

/** Alarms: creation, state, history, SetAlarmState, deletion, validation, and one evaluation AWS makes quickly. */

let target: ConformanceTarget;
beforeAll(async () => {
  target = await startConformanceTarget(process.env, { dynamoDb: false });
});
afterAll(async () => {
  await target?.stop();
});

const API = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference';
const GUIDE = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring';

const putAlarm = async (
  t: ConformanceTarget,
  overrides: Partial<PutMetricAlarmCommandInput> = {},
): Promise<string> => {
  const name = t.uniqueName('alarm');
  await t.cloudWatch.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      Namespace: `Breakwater/Conformance/${name}`,
      MetricName: 'Depth',
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      ...overrides,
    }),
  );
  t.onStop(() => t.cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: [name] })));
  return name;
};

const describeAlarm = async (t: ConformanceTarget, name: string) => {
  const { MetricAlarms } = await t.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  return MetricAlarms?.[0];
};

const cases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'a new alarm is INSUFFICIENT_DATA, "Unchecked: Initial alarm creation", with its configuration',
    source: `${API}/API_DescribeAlarms.html`,
    run: async (t) => {
      const name = await putAlarm(t, { AlarmDescription: 'why it matters' });
      const alarm = await describeAlarm(t, name);
      expect(alarm).toMatchObject({
        AlarmName: name,
        AlarmDescription: 'why it matters',
        StateValue: 'INSUFFICIENT_DATA',
        StateReason: 'Unchecked: Initial alarm creation',
        MetricName: 'Depth',
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        ActionsEnabled: true,
      });
      expect(alarm?.AlarmArn).toMatch(new RegExp(`^arn:aws:cloudwatch:[a-z0-9-]+:\\d{12}:alarm:${name}$`));
    },
  },
  {
    name: 'SetAlarmState sets the state and reason, and the history records "Alarm updated from INSUFFICIENT_DATA to ALARM"',
    source: `${API}/API_SetAlarmState.html`,
    run: async (t) => {
      const name = await putAlarm(t);
      await t.cloudWatch.send(
        new SetAlarmStateCommand({ AlarmName: name, StateValue: 'ALARM', StateReason: 'drill' }),
      );
      expect(await describeAlarm(t, name)).toMatchObject({ StateValue: 'ALARM', StateReason: 'drill' });
      const { AlarmHistoryItems } = await t.cloudWatch.send(
        new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: 'StateUpdate' }),
      );
      expect(AlarmHistoryItems?.map((item) => item.HistorySummary)).toContain(
        'Alarm updated from INSUFFICIENT_DATA to ALARM',
      );
    },
  },
  {
    name: 'SetAlarmState refuses StateReasonData that is not JSON (InvalidFormat) and an unknown alarm (ResourceNotFound)',
    source: `${API}/API_SetAlarmState.html#API_SetAlarmState_Errors`,
    run: async (t) => {
      const name = await putAlarm(t);
      await expectCloudWatchError(
        t.cloudWatch.send(
          new SetAlarmStateCommand({
            AlarmName: name,
            StateValue: 'OK',
            StateReason: 'x',
            StateReasonData: '{not json',
          }),
        ),
        'InvalidFormat',
      );
      await expectCloudWatchError(
        t.cloudWatch.send(
          new SetAlarmStateCommand({ AlarmName: t.uniqueName('none'), StateValue: 'OK', StateReason: 'x' }),
        ),
        'ResourceNotFound',
      );
    },
  },
  {
    name: 'DeleteAlarms with an unknown name is ResourceNotFound and deletes none of the others',
    source: `${API}/API_DeleteAlarms.html`,
    run: async (t) => {
      const name = await putAlarm(t);
      await expectCloudWatchError(
        t.cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: [name, t.uniqueName('none')] })),
        'ResourceNotFound',
      );
      expect(await describeAlarm(t, name)).toBeDefined();
    },
  },
  {
    name: 'PutMetricAlarm refuses MetricName together with Metrics (InvalidParameterCombination)',
    source: `${API}/API_PutMetricAlarm.html`,
    run: async (t) => {
      await expectCloudWatchError(
        putAlarm(t, {
          Metrics: [
            {
              Id: 'm1',
              MetricStat: {
                Metric: { Namespace: 'Breakwater/Conformance', MetricName: 'Depth' },
                Period: 60,
                Stat: 'Maximum',
              },
            },
          ],
        }),
        'InvalidParameterCombination',
      );
    },
  },
  {
    name: 'DescribeAlarms filters by StateValue and AlarmNamePrefix',
    source: `${API}/API_DescribeAlarms.html`,
    run: async (t) => {
      const name = await putAlarm(t);
      await t.cloudWatch.send(
        new SetAlarmStateCommand({ AlarmName: name, StateValue: 'OK', StateReason: 'drill' }),
      );
      const { MetricAlarms: ok } = await t.cloudWatch.send(
        new DescribeAlarmsCommand({ AlarmNamePrefix: name, StateValue: 'OK' }),
      );
      const { MetricAlarms: alarm } = await t.cloudWatch.send(
        new DescribeAlarmsCommand({ AlarmNamePrefix: name, StateValue: 'ALARM' }),
      );
      expect(ok?.map((a) => a.AlarmName)).toEqual([name]);
      expect(alarm).toEqual([]);
    },
  },
  {
    name: 'with TreatMissingData breaching, an alarm on a metric without data goes to ALARM',
    source: `${GUIDE}/alarms-and-missing-data.html`,
    run: async (t) => {
      const name = await putAlarm(t, { TreatMissingData: 'breaching' });
      await vi.waitFor(
        async () => {
          expect((await describeAlarm(t, name))?.StateValue).toBe('ALARM');
        },
        { timeout: 300_000, interval: 1_000 },
      );
    },
  },
];

describe('CloudWatch alarms', () => {
  conformanceCases(cases, () => target, { concurrent: true });
});
