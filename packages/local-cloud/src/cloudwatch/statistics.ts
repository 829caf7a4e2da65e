import type { Sample } from './model.js';

/** The statistics CloudWatch names: the five basic ones, and percentiles `p0`–`p100` (e.g. `p99`, `p99.9`). */
export type Statistic = 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum' | `p${string}`;

const BASIC = new Set(['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']);
const PERCENTILE = /^p(\d{1,2}(\.\d{1,10})?|100)$/;

/** Whether `name` is a statistic this CloudWatch computes (basic, or a percentile `pNN[.NN]`). */
export const isStatistic = (name: string): name is Statistic => BASIC.has(name) || PERCENTILE.test(name);

/** Whether `name` is an extended statistic (a percentile), as GetMetricStatistics's `ExtendedStatistics`. */
export const isExtendedStatistic = (name: string): boolean => PERCENTILE.test(name);

/**
 * One statistic over the samples of a period, or undefined when it has no value (no samples; a percentile over
 * statistic sets only, which carry no distribution).
 */
export const computeStatistic = (samples: readonly Sample[], statistic: Statistic): number | undefined => {
  if (samples.length === 0) return undefined;
  switch (statistic) {
    case 'SampleCount':
      return samples.reduce((total, sample) => total + sample.sampleCount, 0);
    case 'Sum':
      return samples.reduce((total, sample) => total + sample.sum, 0);
    case 'Minimum':
      return Math.min(...samples.map((sample) => sample.minimum));
    case 'Maximum':
      return Math.max(...samples.map((sample) => sample.maximum));
    case 'Average': {
      const count = samples.reduce((total, sample) => total + sample.sampleCount, 0);
      return count === 0 ? undefined : samples.reduce((total, sample) => total + sample.sum, 0) / count;
    }
    default:
      return percentile(samples, Number(statistic.slice(1)));
  }
};

/** The nearest-rank percentile over the samples' raw values. */
const percentile = (samples: readonly Sample[], rank: number): number | undefined => {
  const values: { value: number; count: number }[] = [];
  for (const sample of samples) {
    if (sample.values === undefined) continue;
    values.push(...sample.values);
  }
  if (values.length === 0) return undefined;
  values.sort((a, b) => a.value - b.value);
  const total = values.reduce((sum, entry) => sum + entry.count, 0);
  const wanted = Math.max(1, Math.ceil((rank / 100) * total));
  let seen = 0;
  for (const entry of values) {
    seen += entry.count;
    if (seen >= wanted) return entry.value;
  }
  return values[values.length - 1]?.value;
};
