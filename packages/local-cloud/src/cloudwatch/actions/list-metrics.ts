import { CloudWatchErrors } from '../errors.js';
import { dimensions, optionalString } from '../input.js';
import { matchesDimensions } from '../metric-store.js';
import { type Action, InvalidToken, page } from './context.js';

const THREE_HOURS_MS = 3 * 3600 * 1000;

/**
 * ListMetrics: the metrics that have had data, filtered by namespace, name and dimensions (a filter dimension
 * without a value matches any value), 500 per page; `RecentlyActive: PT3H` keeps those with data in the last three
 * hours. See https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_ListMetrics.html.
 */
export const listMetrics: Action = (input, { store, clock }) => {
  const namespace = optionalString(input, 'Namespace', 255);
  const metricName = optionalString(input, 'MetricName', 255);
  const filter = dimensions(input.Dimensions, 'Dimensions', { valueRequired: false }).map((d) =>
    d.Value === '' ? { Name: d.Name } : d,
  );
  const recentlyActive = optionalString(input, 'RecentlyActive');
  if (recentlyActive !== undefined && recentlyActive !== 'PT3H')
    throw CloudWatchErrors.invalidParameterValue(
      `The value ${recentlyActive} for parameter RecentlyActive is not valid.`,
    );
  const now = clock.now();
  const metrics = store
    .list()
    .filter(
      ({ identity, lastPutAt }) =>
        (namespace === undefined || identity.Namespace === namespace) &&
        (metricName === undefined || identity.MetricName === metricName) &&
        matchesDimensions(identity, filter) &&
        (recentlyActive === undefined || lastPutAt >= now - THREE_HOURS_MS),
    )
    .map(({ identity }) => ({
      Namespace: identity.Namespace,
      MetricName: identity.MetricName,
      Dimensions: [...identity.Dimensions],
    }))
    .sort((a, b) => `${a.Namespace}/${a.MetricName}`.localeCompare(`${b.Namespace}/${b.MetricName}`));
  try {
    const { items, nextToken } = page(metrics, optionalString(input, 'NextToken'), 500);
    return { Metrics: items, ...(nextToken === undefined ? {} : { NextToken: nextToken }) };
  } catch (error) {
    if (error instanceof InvalidToken) throw CloudWatchErrors.invalidNextToken();
    throw error;
  }
};
