/** A dimension as CloudWatch stores it. */
export interface Dimension {
  readonly Name: string;
  readonly Value: string;
}

/** One metric: namespace, name and its dimension set (sorted by name; order does not make another metric). */
export interface MetricIdentity {
  readonly Namespace: string;
  readonly MetricName: string;
  readonly Dimensions: readonly Dimension[];
}

/**
 * One stored sample: a single value (count 1) or a statistic set. `values` keeps the raw values (with their
 * counts) where they are known, for percentiles; a statistic set has none, as on AWS.
 */
export interface Sample {
  readonly timestamp: number;
  readonly unit: string;
  readonly sampleCount: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
  readonly values?: readonly { readonly value: number; readonly count: number }[];
  /** 1 for high-resolution metrics (stored at 1-second granularity), 60 otherwise. */
  readonly storageResolution: number;
}

/** The units CloudWatch accepts (StandardUnit). */
export const STANDARD_UNITS: ReadonlySet<string> = new Set([
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
]);

/** The key of a metric in the store: dimension order does not matter, as on AWS. */
export const metricKey = (metric: MetricIdentity): string =>
  JSON.stringify([
    metric.Namespace,
    metric.MetricName,
    [...metric.Dimensions].sort((a, b) => a.Name.localeCompare(b.Name)).map((d) => [d.Name, d.Value]),
  ]);

/** The same dimensions sorted by name (as ListMetrics answers them). */
export const sortedDimensions = (dimensions: readonly Dimension[]): Dimension[] =>
  [...dimensions].sort((a, b) => a.Name.localeCompare(b.Name));
