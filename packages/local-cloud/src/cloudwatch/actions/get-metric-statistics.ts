import { CloudWatchErrors } from '../errors.js';
import {
  dimensions,
  optionalString,
  required,
  requiredString,
  requiredTimestamp,
  stringList,
} from '../input.js';
import { validatePeriod } from '../metric-queries.js';
import { periodStart } from '../metric-store.js';
import { computeStatistic, isExtendedStatistic, type Statistic } from '../statistics.js';
import type { Action } from './context.js';

const BASIC = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];

/**
 * GetMetricStatistics: one metric's statistics per period; at least one of Statistics (the five basic ones) and
 * ExtendedStatistics (percentiles), at most 1,440 datapoints per call. See
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html.
 */
export const getMetricStatistics: Action = (input, { store }) => {
  const namespace = requiredString(input, 'Namespace', 255);
  const metricName = requiredString(input, 'MetricName', 255);
  const dims = dimensions(input.Dimensions, 'Dimensions');
  const start = requiredTimestamp(input, 'StartTime');
  const end = requiredTimestamp(input, 'EndTime');
  required(input, 'Period');
  const period = Number(input.Period);
  validatePeriod(period, 'Period');
  const statistics = stringList(input, 'Statistics', 5);
  const extended = stringList(input, 'ExtendedStatistics', 10);
  if (statistics.length === 0 && extended.length === 0)
    throw CloudWatchErrors.missingParameter('Must specify either Statistics or ExtendedStatistics.');
  for (const name of statistics)
    if (!BASIC.includes(name))
      throw CloudWatchErrors.invalidParameterValue(
        `The value ${name} for parameter Statistics is not a valid statistic.`,
      );
  for (const name of extended)
    if (!isExtendedStatistic(name))
      throw CloudWatchErrors.invalidParameterValue(
        `The value ${name} for parameter ExtendedStatistics is not a valid extended statistic.`,
      );
  if (start >= end)
    throw CloudWatchErrors.invalidParameterValue(
      'The parameter StartTime must be less than the parameter EndTime.',
    );
  if ((end - periodStart(start, period)) / (period * 1000) > 1440)
    throw CloudWatchErrors.invalidParameterCombination(
      'You have requested up to 1,441 datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
    );
  const unit = optionalString(input, 'Unit');
  const samples = store.samples(
    { Namespace: namespace, MetricName: metricName, Dimensions: dims },
    periodStart(start, period),
    end,
    unit,
  );
  const byPeriod = new Map<number, typeof samples>();
  for (const sample of samples) {
    const at = periodStart(sample.timestamp, period);
    byPeriod.set(at, [...(byPeriod.get(at) ?? []), sample]);
  }
  const datapoints = [...byPeriod].map(([at, inPeriod]) => {
    const point: Record<string, unknown> = {
      Timestamp: new Date(at),
      Unit: unit ?? inPeriod[0]?.unit ?? 'None',
    };
    for (const name of statistics) point[name] = computeStatistic(inPeriod, name as Statistic);
    if (extended.length > 0)
      point.ExtendedStatistics = Object.fromEntries(
        extended.flatMap((name) => {
          const value = computeStatistic(inPeriod, name as Statistic);
          return value === undefined ? [] : [[name, value]];
        }),
      );
    return point;
  });
  return { Label: metricName, Datapoints: datapoints };
};
