import { describe, expect, it } from 'vitest';
import { extractEmfMetrics } from '../../../packages/local-cloud/src/cloudwatch/emf';
import { runQueries } from '../../../packages/local-cloud/src/cloudwatch/metric-queries';
import { MetricStore } from '../../../packages/local-cloud/src/cloudwatch/metric-store';

const MINUTE = 60_000;
const sample = (timestamp: number, value: number) => ({
  timestamp,
  unit: 'Count',
  storageResolution: 60,
  sampleCount: 1,
  sum: value,
  minimum: value,
  maximum: value,
  values: [{ value, count: 1 }],
});

const storeWith = (
  points: Record<string, readonly [number, number][]>,
  dimensions: Record<string, string> = {},
) => {
  const store = new MetricStore();
  for (const [name, values] of Object.entries(points))
    for (const [minute, value] of values)
      store.put(
        {
          Namespace: 'Test',
          MetricName: name,
          Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
        },
        sample(minute * MINUTE, value),
      );
  return store;
};

const run = (
  store: MetricStore,
  expression: string,
  extra: { Id: string; name: string; stat?: string }[] = [],
) =>
  runQueries(
    store,
    [
      ...extra.map(({ Id, name, stat = 'Sum' }) => ({
        Id,
        MetricStat: {
          Metric: { Namespace: 'Test', MetricName: name, Dimensions: [] },
          Period: 60,
          Stat: stat,
        },
        ReturnData: false,
      })),
      { Id: 'e', Expression: expression, Period: 60 },
    ],
    { start: 0, end: 4 * MINUTE },
  )
    .filter((result) => result.returnData)
    .map((result) => Object.fromEntries([...result.series.points].map(([t, v]) => [t / MINUTE, v])));

describe('metric math', () => {
  it('divides series where both have a datapoint, and FILL gives the others one', () => {
    const store = storeWith({
      errors: [
        [0, 1],
        [1, 3],
      ],
      requests: [
        [0, 10],
        [1, 10],
        [2, 10],
      ],
    });
    const metrics = [
      { Id: 'errors', name: 'errors' },
      { Id: 'requests', name: 'requests' },
    ];
    expect(run(store, '100 * errors / requests', metrics)).toEqual([{ 0: 10, 1: 30 }]);
    expect(run(store, '100 * FILL(errors, 0) / requests', metrics)).toEqual([{ 0: 10, 1: 30, 2: 0 }]);
  });

  it('IF keeps the datapoints whose condition holds, and SUM of an array adds series per timestamp', () => {
    const store = storeWith({
      a: [
        [0, 1],
        [1, 5],
      ],
      b: [
        [0, 2],
        [1, 2],
      ],
    });
    const metrics = [
      { Id: 'a', name: 'a' },
      { Id: 'b', name: 'b' },
    ];
    expect(run(store, 'IF(a > b, 1, 0)', metrics)).toEqual([{ 0: 0, 1: 1 }]);
    expect(run(store, 'SUM([a, b])', metrics)).toEqual([{ 0: 3, 1: 7 }]);
  });

  it('refuses an id no query has, and a function CloudWatch does not know', () => {
    const store = storeWith({});
    expect(() => run(store, 'm9 * 2')).toThrow(/Unrecognized token m9/);
    expect(() => run(store, 'NOPE(1)')).toThrow(/Unsupported function NOPE/);
  });
});

describe('Metrics Insights', () => {
  it('GROUP BY gives one series per value, ORDER BY and LIMIT keep the top ones', () => {
    const store = new MetricStore();
    for (const [circuit, value] of [
      ['a', 1],
      ['b', 5],
      ['c', 3],
    ] as const)
      store.put(
        { Namespace: 'Test', MetricName: 'Rate', Dimensions: [{ Name: 'circuit', Value: circuit }] },
        sample(0, value),
      );
    const results = runQueries(
      store,
      [
        {
          Id: 'q',
          Expression:
            'SELECT MAX(Rate) FROM SCHEMA("Test", circuit) GROUP BY circuit ORDER BY MAX() DESC LIMIT 2',
          Period: 60,
        },
      ],
      { start: 0, end: MINUTE },
    );
    expect(results.map((r) => [r.label, [...r.series.points.values()]])).toEqual([
      ['b', [5]],
      ['c', [3]],
    ]);
  });
});

describe('embedded metric format', () => {
  it('extracts one metric per dimension set with its unit, values arrays included', () => {
    const line = JSON.stringify({
      _aws: {
        Timestamp: 120_000,
        CloudWatchMetrics: [
          {
            Namespace: 'App',
            Dimensions: [['service'], ['service', 'circuit']],
            Metrics: [{ Name: 'Latency', Unit: 'Milliseconds' }],
          },
        ],
      },
      service: 'billing',
      circuit: 'gateway',
      Latency: [10, 30],
    });
    const data = extractEmfMetrics(line, (t) => t);
    expect(data.map((d) => d.identity.Dimensions.map((x) => x.Name).join('+'))).toEqual([
      'service',
      'service+circuit',
    ]);
    expect(data[0]?.sample).toMatchObject({
      timestamp: 120_000,
      unit: 'Milliseconds',
      sampleCount: 2,
      sum: 40,
      maximum: 30,
    });
  });

  it('takes nothing from a directive whose dimension is not a member of the line, nor from plain logs', () => {
    const line = JSON.stringify({
      _aws: {
        Timestamp: 0,
        CloudWatchMetrics: [{ Namespace: 'App', Dimensions: [['missing']], Metrics: [{ Name: 'X' }] }],
      },
      X: 1,
    });
    expect(extractEmfMetrics(line, (t) => t)).toEqual([]);
    expect(extractEmfMetrics('2026-12-02T00:00:00Z INFO CloudWatchMetrics are nice', (t) => t)).toEqual([]);
  });
});
