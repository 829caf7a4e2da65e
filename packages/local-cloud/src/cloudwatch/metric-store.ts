import { type Dimension, type MetricIdentity, metricKey, type Sample, sortedDimensions } from './model.js';
import { computeStatistic, type Statistic } from './statistics.js';

/** How long samples are kept: CloudWatch keeps 1-minute data 15 days. */
const RETENTION_MS = 15 * 24 * 3600 * 1000;
/** Samples kept per metric at most (a busy local metric would otherwise grow without bound). */
const MAX_SAMPLES_PER_METRIC = 100_000;

interface StoredMetric {
  readonly identity: MetricIdentity;
  readonly samples: Sample[];
  /** When the metric last received data (ListMetrics `RecentlyActive: PT3H`). */
  lastPutAt: number;
}

/** A period's statistic query over one metric. */
export interface StatisticQuery {
  /** Inclusive start and exclusive end, epoch ms (CloudWatch time). */
  readonly start: number;
  readonly end: number;
  /** Period in seconds. */
  readonly period: number;
  readonly statistic: Statistic;
  /** Only samples of this unit, when given. */
  readonly unit?: string;
}

/** The start of the period `timestamp` falls in (periods are aligned to the epoch). */
export const periodStart = (timestamp: number, periodSeconds: number): number => {
  const ms = periodSeconds * 1000;
  return Math.floor(timestamp / ms) * ms;
};

/** Every metric's samples, in memory. */
export class MetricStore {
  private readonly metrics = new Map<string, StoredMetric>();

  /** Adds one sample to a metric (created on first data, as PutMetricData creates metrics). */
  public put(identity: MetricIdentity, sample: Sample): void {
    const key = metricKey(identity);
    let metric = this.metrics.get(key);
    if (metric === undefined) {
      metric = {
        identity: { ...identity, Dimensions: sortedDimensions(identity.Dimensions) },
        samples: [],
        lastPutAt: sample.timestamp,
      };
      this.metrics.set(key, metric);
    }
    const { samples } = metric;
    // Samples arrive nearly in order: insert from the end.
    let index = samples.length;
    while (index > 0 && (samples[index - 1]?.timestamp ?? 0) > sample.timestamp) index--;
    samples.splice(index, 0, sample);
    metric.lastPutAt = Math.max(metric.lastPutAt, sample.timestamp);
    const horizon = sample.timestamp - RETENTION_MS;
    let drop = 0;
    while (drop < samples.length && (samples[drop]?.timestamp ?? 0) < horizon) drop++;
    if (samples.length - drop > MAX_SAMPLES_PER_METRIC) drop = samples.length - MAX_SAMPLES_PER_METRIC;
    if (drop > 0) samples.splice(0, drop);
  }

  /** The metric of this identity, if it has ever had data. */
  public get(identity: MetricIdentity): MetricIdentity | undefined {
    return this.metrics.get(metricKey(identity))?.identity;
  }

  /** Every metric, with when it last had data. */
  public list(): { identity: MetricIdentity; lastPutAt: number }[] {
    return [...this.metrics.values()].map(({ identity, lastPutAt }) => ({ identity, lastPutAt }));
  }

  /** The samples of a metric within [start, end), oldest first. */
  public samples(identity: MetricIdentity, start: number, end: number, unit?: string): Sample[] {
    const metric = this.metrics.get(metricKey(identity));
    if (metric === undefined) return [];
    return metric.samples.filter(
      (sample) =>
        sample.timestamp >= start && sample.timestamp < end && (unit === undefined || sample.unit === unit),
    );
  }

  /**
   * One value per period that has data, oldest first: the statistic over the samples of every metric given (one
   * metric for a MetricStat; many for a Metrics Insights aggregate, which pools them).
   */
  public aggregate(identities: readonly MetricIdentity[], query: StatisticQuery): Map<number, number> {
    const byPeriod = new Map<number, Sample[]>();
    const first = periodStart(query.start, query.period);
    for (const identity of identities) {
      for (const sample of this.samples(identity, first, query.end, query.unit)) {
        const start = periodStart(sample.timestamp, query.period);
        const bucket = byPeriod.get(start);
        if (bucket === undefined) byPeriod.set(start, [sample]);
        else bucket.push(sample);
      }
    }
    const result = new Map<number, number>();
    for (const start of [...byPeriod.keys()].sort((a, b) => a - b)) {
      const value = computeStatistic(byPeriod.get(start) ?? [], query.statistic);
      if (value !== undefined) result.set(start, value);
    }
    return result;
  }

  /** Forgets every metric. */
  public clear(): void {
    this.metrics.clear();
  }
}

/** Whether a metric has every dimension of the filter (a filter without a value matches any value). */
export const matchesDimensions = (
  metric: MetricIdentity,
  filter: readonly { readonly Name: string; readonly Value?: string | undefined }[],
): boolean =>
  filter.every((wanted) =>
    metric.Dimensions.some(
      (dimension: Dimension) =>
        dimension.Name === wanted.Name && (wanted.Value === undefined || dimension.Value === wanted.Value),
    ),
  );
