import { CloudWatchErrors } from '../errors.js';
import { optionalInteger, optionalList, optionalString, requiredTimestamp } from '../input.js';
import { type MetricDataQuery, runQueries } from '../metric-queries.js';
import { type Action, InvalidToken, page } from './context.js';

/**
 * GetMetricData: up to 500 queries (MetricStat, metric math, Metrics Insights) over [StartTime, EndTime); results of
 * the queries with ReturnData (default true), newest first unless `ScanBy: TimestampAscending`. See
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html.
 */
export const getMetricData: Action = (input, { store }) => {
  const start = requiredTimestamp(input, 'StartTime');
  const end = requiredTimestamp(input, 'EndTime');
  if (start >= end)
    throw CloudWatchErrors.invalidParameterValue(
      'The parameter StartTime must be less than the parameter EndTime.',
    );
  const queries = (optionalList(input, 'MetricDataQueries', 500) ?? []) as MetricDataQuery[];
  const scanBy = optionalString(input, 'ScanBy') ?? 'TimestampDescending';
  if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending')
    throw CloudWatchErrors.invalidParameterValue(`The value ${scanBy} for parameter ScanBy is not valid.`);
  const maxDatapoints = optionalInteger(input, 'MaxDatapoints', 1) ?? 100_800;
  const results = runQueries(store, queries, { start, end })
    .filter((result) => result.returnData)
    .map((result) => {
      const points = [...result.series.points].sort((a, b) =>
        scanBy === 'TimestampAscending' ? a[0] - b[0] : b[0] - a[0],
      );
      return {
        Id: result.id,
        Label: result.label,
        Timestamps: points.map(([t]) => new Date(t)),
        Values: points.map(([, v]) => v),
        StatusCode: 'Complete',
      };
    });
  let total = 0;
  const capped = results.map((result) => {
    const room = Math.max(0, maxDatapoints - total);
    total += Math.min(room, result.Values.length);
    return result.Values.length <= room
      ? result
      : {
          ...result,
          Timestamps: result.Timestamps.slice(0, room),
          Values: result.Values.slice(0, room),
          StatusCode: 'PartialData',
        };
  });
  try {
    const { items, nextToken } = page(capped, optionalString(input, 'NextToken'), 500);
    return {
      MetricDataResults: items,
      Messages: [],
      ...(nextToken === undefined ? {} : { NextToken: nextToken }),
    };
  } catch (error) {
    if (error instanceof InvalidToken) throw CloudWatchErrors.invalidNextToken();
    throw error;
  }
};
