import type { Dimension, MetricIdentity, Sample } from './model.js';
import { STANDARD_UNITS } from './model.js';

/** One metric value extracted from an embedded-metric-format log line. */
export interface EmfDatum {
  readonly identity: MetricIdentity;
  readonly sample: Sample;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Cheap test before parsing: only lines that may carry EMF are parsed. */
const mayBeEmf = (line: string): boolean => line.startsWith('{') && line.includes('"CloudWatchMetrics"');

/**
 * The metrics of one log line in CloudWatch's embedded metric format, as CloudWatch Logs extracts them: every
 * `CloudWatchMetrics` directive, every dimension set of it, every metric it names whose root member is a number (or
 * an array of numbers, up to 100). Dimension values are the root's string members; a dimension set naming an absent
 * member, or more than 30 dimensions, makes the directive invalid (its metrics are not extracted, the line is still a
 * log event). Timestamps are `_aws.Timestamp` (epoch ms), read through `toClock`.
 * See https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html.
 *
 * Returns an empty list for any line that is not EMF (plain logs, malformed JSON).
 */
export const extractEmfMetrics = (line: string, toClock: (epochMs: number) => number): EmfDatum[] => {
  const text = line.trim();
  if (!mayBeEmf(text)) return [];
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return [];
  }
  if (!isRecord(root) || !isRecord(root._aws)) return [];
  const { Timestamp, CloudWatchMetrics } = root._aws;
  if (typeof Timestamp !== 'number' || !Array.isArray(CloudWatchMetrics)) return [];
  const timestamp = toClock(Timestamp);
  const data: EmfDatum[] = [];
  for (const directive of CloudWatchMetrics) {
    if (!isRecord(directive) || typeof directive.Namespace !== 'string') continue;
    if (!Array.isArray(directive.Dimensions) || !Array.isArray(directive.Metrics)) continue;
    const sets = directive.Dimensions.map((set) => dimensionSet(set, root as Record<string, unknown>));
    if (sets.some((set) => set === undefined)) continue;
    for (const definition of directive.Metrics) {
      if (!isRecord(definition) || typeof definition.Name !== 'string') continue;
      const values = numbers((root as Record<string, unknown>)[definition.Name]);
      if (values === undefined || values.length === 0) continue;
      const unit =
        typeof definition.Unit === 'string' && STANDARD_UNITS.has(definition.Unit) ? definition.Unit : 'None';
      const storageResolution = definition.StorageResolution === 1 ? 1 : 60;
      const sample: Sample = {
        timestamp,
        unit,
        storageResolution,
        sampleCount: values.length,
        sum: values.reduce((total, value) => total + value, 0),
        minimum: Math.min(...values),
        maximum: Math.max(...values),
        values: values.map((value) => ({ value, count: 1 })),
      };
      for (const dimensions of sets as Dimension[][]) {
        data.push({
          identity: { Namespace: directive.Namespace, MetricName: definition.Name, Dimensions: dimensions },
          sample,
        });
      }
    }
  }
  return data;
};

const dimensionSet = (set: unknown, root: Record<string, unknown>): Dimension[] | undefined => {
  if (!Array.isArray(set) || set.length > 30) return undefined;
  const dimensions: Dimension[] = [];
  for (const name of set) {
    if (typeof name !== 'string') return undefined;
    const value = root[name];
    if (typeof value !== 'string' || value === '') return undefined;
    dimensions.push({ Name: name, Value: value });
  }
  return dimensions;
};

const numbers = (value: unknown): number[] | undefined => {
  if (typeof value === 'number') return Number.isFinite(value) ? [value] : undefined;
  if (!Array.isArray(value) || value.length > 100) return undefined;
  return value.every((item) => typeof item === 'number' && Number.isFinite(item)) ? value : undefined;
};
