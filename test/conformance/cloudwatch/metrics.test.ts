import {
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, vi } from 'vitest';
import { type ConformanceCase, conformanceCases } from '../support/cases';
import { type ConformanceTarget, startConformanceTarget } from '../support/target';
import { expectCloudWatchError } from './support';

/**
 * Metrics: PutMetricData's validation, and what GetMetricData, GetMetricStatistics and ListMetrics answer for data
 * that was put (statistics per period, metric math, Metrics Insights). On AWS new data takes up to a couple of
 * minutes to be readable: the reads poll.
 */

let target: ConformanceTarget;
beforeAll(async () => {
  target = await startConformanceTarget(process.env, { dynamoDb: false });
});
afterAll(async () => {
  await target?.stop();
});

const API = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference';
const GUIDE = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring';
const eventually = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 180_000, interval: 1_000 });

/** A minute-aligned instant a few minutes back (so that its period is complete), and a namespace of this run. */
const setUp = (t: ConformanceTarget) => {
  const minute = 60_000;
  const at = new Date(Math.floor(Date.now() / minute) * minute - 5 * minute);
  return {
    namespace: `Breakwater/Conformance/${t.uniqueName('m')}`,
    at,
    start: new Date(at.getTime() - 10 * minute),
    end: new Date(at.getTime() + 10 * minute),
  };
};

const cases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'PutMetricData refuses the reserved AWS/ namespaces with InvalidParameterValue',
    source: `${API}/API_PutMetricData.html`,
    run: async (t) => {
      await expectCloudWatchError(
        t.cloudWatch.send(
          new PutMetricDataCommand({ Namespace: 'AWS/SQS', MetricData: [{ MetricName: 'x', Value: 1 }] }),
        ),
        'InvalidParameterValue',
      );
    },
  },
  {
    name: 'PutMetricData refuses Value with StatisticValues (InvalidParameterCombination)',
    source: `${API}/API_MetricDatum.html`,
    run: async (t) => {
      const { namespace } = setUp(t);
      await expectCloudWatchError(
        t.cloudWatch.send(
          new PutMetricDataCommand({
            Namespace: namespace,
            MetricData: [
              {
                MetricName: 'x',
                Value: 1,
                StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 },
              },
            ],
          }),
        ),
        'InvalidParameterCombination',
      );
    },
  },
  {
    name: 'GetMetricStatistics: Sum, Maximum, SampleCount and Average of the values of one period, with their unit',
    source: `${API}/API_GetMetricStatistics.html`,
    run: async (t) => {
      const { namespace, at, start, end } = setUp(t);
      const dimensions = [{ Name: 'queue', Value: 'q1' }];
      await t.cloudWatch.send(
        new PutMetricDataCommand({
          Namespace: namespace,
          MetricData: [
            { MetricName: 'Depth', Dimensions: dimensions, Timestamp: at, Value: 2, Unit: 'Count' },
            {
              MetricName: 'Depth',
              Dimensions: dimensions,
              Timestamp: new Date(at.getTime() + 10_000),
              Value: 6,
              Unit: 'Count',
            },
          ],
        }),
      );
      await eventually(async () => {
        const { Datapoints } = await t.cloudWatch.send(
          new GetMetricStatisticsCommand({
            Namespace: namespace,
            MetricName: 'Depth',
            Dimensions: dimensions,
            StartTime: start,
            EndTime: end,
            Period: 60,
            Statistics: ['Sum', 'Maximum', 'SampleCount', 'Average'],
          }),
        );
        expect(Datapoints).toEqual([
          expect.objectContaining({
            Timestamp: at,
            Sum: 8,
            Maximum: 6,
            SampleCount: 2,
            Average: 4,
            Unit: 'Count',
          }),
        ]);
      });
    },
  },
  {
    name: 'GetMetricData: metric math over two metrics, and ReturnData false hides an input',
    source: `${GUIDE}/using-metric-math.html`,
    run: async (t) => {
      const { namespace, at, start, end } = setUp(t);
      await t.cloudWatch.send(
        new PutMetricDataCommand({
          Namespace: namespace,
          MetricData: [
            { MetricName: 'Errors', Timestamp: at, Value: 3 },
            { MetricName: 'Requests', Timestamp: at, Value: 12 },
          ],
        }),
      );
      await eventually(async () => {
        const { MetricDataResults } = await t.cloudWatch.send(
          new GetMetricDataCommand({
            StartTime: start,
            EndTime: end,
            MetricDataQueries: [
              {
                Id: 'errors',
                MetricStat: {
                  Metric: { Namespace: namespace, MetricName: 'Errors' },
                  Period: 60,
                  Stat: 'Sum',
                },
                ReturnData: false,
              },
              {
                Id: 'requests',
                MetricStat: {
                  Metric: { Namespace: namespace, MetricName: 'Requests' },
                  Period: 60,
                  Stat: 'Sum',
                },
                ReturnData: false,
              },
              { Id: 'rate', Expression: '100 * errors / requests', Label: 'error rate' },
            ],
          }),
        );
        expect(
          MetricDataResults?.map((r) => ({
            id: r.Id,
            label: r.Label,
            values: r.Values,
            timestamps: r.Timestamps,
          })),
        ).toEqual([{ id: 'rate', label: 'error rate', values: [25], timestamps: [at] }]);
      });
    },
  },
  {
    name: 'GetMetricData: a Metrics Insights SELECT over SCHEMA(namespace, dims) aggregates every matching metric',
    source: `${GUIDE}/cloudwatch-metrics-insights-querylanguage.html`,
    run: async (t) => {
      const { namespace, at, start, end } = setUp(t);
      const datum = (circuit: string, service: string, value: number) => ({
        MetricName: 'NotClosed',
        Dimensions: [
          { Name: 'circuit', Value: circuit },
          { Name: 'service', Value: service },
        ],
        Timestamp: at,
        Value: value,
      });
      await t.cloudWatch.send(
        new PutMetricDataCommand({
          Namespace: namespace,
          MetricData: [
            datum('gateway', 'billing', 1),
            datum('ledger', 'billing', 0),
            datum('mail', 'notifications', 7),
            // Another dimension set: outside SCHEMA(namespace, circuit, service).
            {
              MetricName: 'NotClosed',
              Dimensions: [{ Name: 'service', Value: 'billing' }],
              Timestamp: at,
              Value: 9,
            },
          ],
        }),
      );
      await eventually(async () => {
        const { MetricDataResults } = await t.cloudWatch.send(
          new GetMetricDataCommand({
            StartTime: start,
            EndTime: end,
            MetricDataQueries: [
              {
                Id: 'q',
                Expression: `SELECT MAX(NotClosed) FROM SCHEMA("${namespace}", circuit, service) WHERE service = 'billing'`,
                Period: 60,
              },
            ],
          }),
        );
        expect(MetricDataResults?.[0]?.Values).toEqual([1]);
      });
    },
  },
  {
    name: 'ListMetrics: a dimension filter without a value matches every value of that dimension',
    source: `${API}/API_ListMetrics.html`,
    run: async (t) => {
      const { namespace, at } = setUp(t);
      await t.cloudWatch.send(
        new PutMetricDataCommand({
          Namespace: namespace,
          MetricData: [
            { MetricName: 'Calls', Dimensions: [{ Name: 'service', Value: 'a' }], Timestamp: at, Value: 1 },
            { MetricName: 'Calls', Dimensions: [{ Name: 'service', Value: 'b' }], Timestamp: at, Value: 1 },
            { MetricName: 'Calls', Dimensions: [{ Name: 'other', Value: 'c' }], Timestamp: at, Value: 1 },
          ],
        }),
      );
      await eventually(async () => {
        const { Metrics } = await t.cloudWatch.send(
          new ListMetricsCommand({ Namespace: namespace, Dimensions: [{ Name: 'service' }] }),
        );
        expect(Metrics?.map((m) => m.Dimensions?.[0]?.Value).sort()).toEqual(['a', 'b']);
      });
    },
  },
];

describe('CloudWatch metrics', () => {
  conformanceCases(cases, () => target, { concurrent: true });
});
