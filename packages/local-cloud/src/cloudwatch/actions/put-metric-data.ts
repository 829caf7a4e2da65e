import { CloudWatchErrors } from '../errors.js';
import {
  dimensions,
  type Input,
  optionalInteger,
  optionalList,
  optionalNumber,
  optionalString,
  optionalTimestamp,
  record,
  requiredString,
} from '../input.js';
import { type Sample, STANDARD_UNITS } from '../model.js';
import type { Action } from './context.js';

const TWO_WEEKS_MS = 14 * 24 * 3600 * 1000;
const TWO_HOURS_MS = 2 * 3600 * 1000;

/**
 * PutMetricData: up to 1000 datums per call, each a Value, Values with Counts, or a StatisticSet; namespaces under
 * `AWS/` are reserved; timestamps from two weeks ago to two hours ahead. See
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html.
 */
export const putMetricData: Action = (input, { store, clock }) => {
  const namespace = requiredString(input, 'Namespace', 255);
  if (namespace.startsWith('AWS/'))
    throw CloudWatchErrors.invalidParameterValue(`The value AWS/ for parameter Namespace is invalid.`);
  const data = optionalList(input, 'MetricData', 1000);
  if (data === undefined || data.length === 0)
    throw CloudWatchErrors.missingParameter('The parameter MetricData is required.');
  const now = clock.now();
  const parsed = data.map((item, index) =>
    datum(record(item, `MetricData.member.${index + 1}`), index + 1, now),
  );
  for (const { name, dims, sample } of parsed)
    store.put({ Namespace: namespace, MetricName: name, Dimensions: dims }, sample);
  return {};
};

const datum = (input: Input, index: number, now: number) => {
  const where = `MetricData.member.${index}`;
  const name = requiredString(input, 'MetricName', 255);
  const dims = dimensions(input.Dimensions, `${where}.Dimensions`);
  const timestamp = optionalTimestamp(input, 'Timestamp') ?? now;
  if (timestamp < now - TWO_WEEKS_MS)
    throw CloudWatchErrors.invalidParameterValue(
      `The parameter ${where}.Timestamp must specify a time within the past two weeks.`,
    );
  if (timestamp > now + TWO_HOURS_MS)
    throw CloudWatchErrors.invalidParameterValue(
      `The parameter ${where}.Timestamp must specify a time no more than two hours in the future.`,
    );
  const unit = optionalString(input, 'Unit') ?? 'None';
  if (!STANDARD_UNITS.has(unit))
    throw CloudWatchErrors.invalidParameterValue(
      `The value ${unit} for parameter ${where}.Unit is not a valid unit.`,
    );
  const storageResolution = optionalInteger(input, 'StorageResolution') ?? 60;
  if (storageResolution !== 1 && storageResolution !== 60)
    throw CloudWatchErrors.invalidParameterValue(
      `The value ${storageResolution} for parameter ${where}.StorageResolution is invalid: 1 or 60.`,
    );
  const value = optionalNumber(input, 'Value');
  const values = optionalList(input, 'Values', 150);
  const statistics = input.StatisticValues;
  const given = [
    value !== undefined,
    values !== undefined,
    statistics !== undefined && statistics !== null,
  ].filter(Boolean).length;
  if (given > 1)
    throw CloudWatchErrors.invalidParameterCombination(
      `The parameters ${where}.Value, ${where}.Values and ${where}.StatisticValues are mutually exclusive and you have specified more than one.`,
    );
  const base = { timestamp, unit, storageResolution };
  let sample: Sample;
  if (values !== undefined) {
    const counts = optionalList(input, 'Counts', 150);
    if (counts !== undefined && counts.length !== values.length)
      throw CloudWatchErrors.invalidParameterValue(
        `The parameters ${where}.Values and ${where}.Counts must be of the same size.`,
      );
    const entries = values.map((v, i) => {
      const number = typeof v === 'string' ? Number(v) : v;
      const count = counts === undefined ? 1 : typeof counts[i] === 'string' ? Number(counts[i]) : counts[i];
      if (
        typeof number !== 'number' ||
        !Number.isFinite(number) ||
        typeof count !== 'number' ||
        !Number.isFinite(count)
      )
        throw CloudWatchErrors.invalidParameterValue(
          `The parameter ${where}.Values must hold finite numbers.`,
        );
      return { value: number, count };
    });
    if (entries.length === 0)
      throw CloudWatchErrors.missingParameter(`The parameter ${where}.Values is required.`);
    const sampleCount = entries.reduce((total, entry) => total + entry.count, 0);
    sample = {
      ...base,
      sampleCount,
      sum: entries.reduce((total, entry) => total + entry.value * entry.count, 0),
      minimum: Math.min(...entries.map((entry) => entry.value)),
      maximum: Math.max(...entries.map((entry) => entry.value)),
      values: entries,
    };
  } else if (statistics !== undefined && statistics !== null) {
    const set = record(statistics, `${where}.StatisticValues`);
    const read = (member: string) => {
      const number = optionalNumber(set, member);
      if (number === undefined)
        throw CloudWatchErrors.missingParameter(
          `The parameter ${where}.StatisticValues.${member} is required.`,
        );
      return number;
    };
    sample = {
      ...base,
      sampleCount: read('SampleCount'),
      sum: read('Sum'),
      minimum: read('Minimum'),
      maximum: read('Maximum'),
    };
  } else {
    if (value === undefined)
      throw CloudWatchErrors.invalidParameterCombination(
        `At least one of the parameters ${where}.Value, ${where}.Values or ${where}.StatisticValues must be specified.`,
      );
    sample = {
      ...base,
      sampleCount: 1,
      sum: value,
      minimum: value,
      maximum: value,
      values: [{ value, count: 1 }],
    };
  }
  return { name, dims, sample };
};
