import {
  COMPARISON_OPERATORS,
  type ComparisonOperator,
  type MetricAlarm,
  TREAT_MISSING_DATA,
  type TreatMissingData,
} from '../alarm-model.js';
import { CloudWatchErrors } from '../errors.js';
import {
  dimensions,
  optionalBoolean,
  optionalInteger,
  optionalList,
  optionalNumber,
  optionalString,
  required,
  requiredString,
  stringList,
} from '../input.js';
import { type MetricDataQuery, validatePeriod, validateQueries } from '../metric-queries.js';
import { isExtendedStatistic } from '../statistics.js';
import type { Action } from './context.js';

const BASIC = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];

/**
 * PutMetricAlarm: creates or replaces a metric alarm on one metric (MetricName, Namespace, Statistic or
 * ExtendedStatistic, Period) or on `Metrics` (math and Metrics Insights, exactly one with ReturnData). An update
 * keeps the alarm's state. See https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html.
 */
export const putMetricAlarm: Action = (input, { alarms, clock, region, accountId }) => {
  const name = requiredString(input, 'AlarmName', 255);
  required(input, 'EvaluationPeriods');
  const evaluationPeriods = optionalInteger(input, 'EvaluationPeriods', 1) as number;
  const operator = requiredString(input, 'ComparisonOperator');
  if (!COMPARISON_OPERATORS.includes(operator as ComparisonOperator))
    throw CloudWatchErrors.invalidParameterValue(
      `The value ${operator} for parameter ComparisonOperator is not valid.`,
    );
  const datapointsToAlarm = optionalInteger(input, 'DatapointsToAlarm', 1);
  if (datapointsToAlarm !== undefined && datapointsToAlarm > evaluationPeriods)
    throw CloudWatchErrors.invalidParameterValue(
      'DatapointsToAlarm must be less than or equal to EvaluationPeriods.',
    );
  const treatMissingData = optionalString(input, 'TreatMissingData', 255);
  if (treatMissingData !== undefined && !TREAT_MISSING_DATA.includes(treatMissingData as TreatMissingData))
    throw CloudWatchErrors.invalidParameterValue(
      `The value ${treatMissingData} for parameter TreatMissingData is not valid.`,
    );
  const thresholdMetricId = optionalString(input, 'ThresholdMetricId', 255);
  const threshold = optionalNumber(input, 'Threshold');
  if (threshold === undefined && thresholdMetricId === undefined)
    throw CloudWatchErrors.missingParameter('The parameter Threshold is required.');
  const metricName = optionalString(input, 'MetricName', 255);
  const metrics = optionalList(input, 'Metrics', 500) as MetricDataQuery[] | undefined;
  const statistic = optionalString(input, 'Statistic');
  const extendedStatistic = optionalString(input, 'ExtendedStatistic');
  const period = optionalInteger(input, 'Period', 1);
  const actions = (member: string) => stringList(input, member, 5);
  const base = {
    AlarmName: name,
    AlarmArn: `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`,
    ...(optionalString(input, 'AlarmDescription', 1024) === undefined
      ? {}
      : { AlarmDescription: optionalString(input, 'AlarmDescription', 1024) as string }),
    AlarmConfigurationUpdatedTimestamp: clock.now(),
    ActionsEnabled: optionalBoolean(input, 'ActionsEnabled') ?? true,
    OKActions: actions('OKActions'),
    AlarmActions: actions('AlarmActions'),
    InsufficientDataActions: actions('InsufficientDataActions'),
    EvaluationPeriods: evaluationPeriods,
    ComparisonOperator: operator as ComparisonOperator,
    ...(datapointsToAlarm === undefined ? {} : { DatapointsToAlarm: datapointsToAlarm }),
    ...(threshold === undefined ? {} : { Threshold: threshold }),
    ...(treatMissingData === undefined ? {} : { TreatMissingData: treatMissingData as TreatMissingData }),
    ...(thresholdMetricId === undefined ? {} : { ThresholdMetricId: thresholdMetricId }),
    ...(optionalString(input, 'EvaluateLowSampleCountPercentile') === undefined
      ? {}
      : {
          EvaluateLowSampleCountPercentile: optionalString(
            input,
            'EvaluateLowSampleCountPercentile',
          ) as string,
        }),
  };
  let alarm: Omit<
    MetricAlarm,
    'StateValue' | 'StateReason' | 'StateUpdatedTimestamp' | 'StateTransitionedTimestamp'
  >;
  if (metrics !== undefined) {
    if (
      metricName !== undefined ||
      statistic !== undefined ||
      extendedStatistic !== undefined ||
      input.Namespace !== undefined
    )
      throw CloudWatchErrors.invalidParameterCombination(
        'The parameters MetricName, Namespace, Statistic, ExtendedStatistic and Metrics are mutually exclusive: use Metrics alone.',
      );
    validateQueries(metrics, 'Metrics');
    const returned = metrics.filter((query) => query.ReturnData !== false);
    if (returned.length !== 1)
      throw CloudWatchErrors.invalidParameterValue(
        'Exactly one element of the Metrics list must have ReturnData set to true.',
      );
    const returnedPeriod = returned[0]?.MetricStat?.Period ?? returned[0]?.Period;
    if (
      returnedPeriod === undefined &&
      returned[0]?.Expression !== undefined &&
      /^\s*SELECT\s/i.test(returned[0].Expression)
    )
      throw CloudWatchErrors.invalidParameterValue(
        'A Metrics Insights query in an alarm must have a Period.',
      );
    alarm = { ...base, Dimensions: [], Metrics: metrics };
  } else {
    if (metricName === undefined)
      throw CloudWatchErrors.missingParameter('The parameter MetricName is required.');
    const namespace = requiredString(input, 'Namespace', 255);
    if (statistic !== undefined && extendedStatistic !== undefined)
      throw CloudWatchErrors.invalidParameterCombination(
        'The parameters Statistic and ExtendedStatistic are mutually exclusive and you have specified both.',
      );
    if (statistic === undefined && extendedStatistic === undefined)
      throw CloudWatchErrors.missingParameter(
        'One of the parameters Statistic or ExtendedStatistic is required.',
      );
    if (statistic !== undefined && !BASIC.includes(statistic))
      throw CloudWatchErrors.invalidParameterValue(
        `The value ${statistic} for parameter Statistic is not valid.`,
      );
    if (extendedStatistic !== undefined && !isExtendedStatistic(extendedStatistic))
      throw CloudWatchErrors.invalidParameterValue(
        `The value ${extendedStatistic} for parameter ExtendedStatistic is not valid.`,
      );
    if (period === undefined) throw CloudWatchErrors.missingParameter('The parameter Period is required.');
    validatePeriod(period, 'Period');
    if (period < 10)
      throw CloudWatchErrors.invalidParameterValue(
        'The parameter Period must be 10, 30 or a multiple of 60 for an alarm.',
      );
    if (period * evaluationPeriods > 7 * 24 * 3600)
      throw CloudWatchErrors.invalidParameterValue(
        'The evaluation periods multiplied by the period must not exceed 7 days (604800 seconds).',
      );
    const unit = optionalString(input, 'Unit');
    alarm = {
      ...base,
      MetricName: metricName,
      Namespace: namespace,
      ...(statistic === undefined ? {} : { Statistic: statistic }),
      ...(extendedStatistic === undefined ? {} : { ExtendedStatistic: extendedStatistic }),
      Dimensions: dimensions(input.Dimensions, 'Dimensions'),
      Period: period,
      ...(unit === undefined ? {} : { Unit: unit }),
    };
  }
  alarms.put(alarm);
  return {};
};
