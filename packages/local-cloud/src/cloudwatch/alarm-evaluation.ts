import type { AlarmState, ComparisonOperator, TreatMissingData } from './alarm-model.js';

/** What one evaluation decides. */
export interface AlarmEvaluation {
  /** The new state, or undefined to keep the current one (`ignore` with no data). */
  readonly state: AlarmState | undefined;
  readonly reason: string;
  /** The datapoints looked at, newest first, with whether each breached. */
  readonly recent: readonly {
    readonly timestamp: number;
    readonly value: number;
    readonly breaching: boolean;
  }[];
}

/** Whether a value breaches the threshold under the operator (band operators are for anomaly detection). */
export const breaches = (value: number, operator: ComparisonOperator, threshold: number): boolean => {
  switch (operator) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'GreaterThanThreshold':
    case 'GreaterThanUpperThreshold':
      return value > threshold;
    case 'LessThanThreshold':
    case 'LessThanLowerThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
    case 'LessThanLowerOrGreaterThanUpperThreshold':
      return false;
  }
};

const OPERATOR_WORDS: Readonly<Record<ComparisonOperator, string>> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside the band of',
  LessThanLowerThreshold: 'less than the lower threshold of',
  GreaterThanUpperThreshold: 'greater than the upper threshold of',
};

/** What an alarm evaluation needs. */
export interface EvaluationInput {
  /** The period starts of the evaluation range, oldest first (N = EvaluationPeriods of them). */
  readonly periods: readonly number[];
  /** The alarm metric's value per period start (missing periods absent). */
  readonly datapoints: ReadonlyMap<number, number>;
  readonly threshold: number;
  readonly operator: ComparisonOperator;
  /** M of "M out of N"; default N. */
  readonly datapointsToAlarm: number;
  readonly treatMissingData: TreatMissingData;
  readonly currentState: AlarmState;
  readonly periodSeconds: number;
}

const formatValue = (value: number): string => String(Number(value.toFixed(6)));
const formatTime = (epochMs: number): string =>
  new Date(epochMs)
    .toISOString()
    .replace('Z', '+0000')
    .replace(/\.\d{3}/, '');

/**
 * Evaluates an alarm over its evaluation range as CloudWatch does
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html): with M datapoints to
 * alarm out of N evaluation periods, ALARM when at least M of the N periods breach; otherwise OK. Missing periods
 * count per TreatMissingData: `notBreaching` as good, `breaching` as bad, `ignore` and `missing` not at all — then
 * a range with no data at all keeps the state (`ignore`) or goes to INSUFFICIENT_DATA (`missing`), and a range with
 * fewer datapoints than M, all breaching, goes to ALARM (`missing`) or keeps the state (`ignore`).
 */
export const evaluateAlarm = (input: EvaluationInput): AlarmEvaluation => {
  const { periods, datapoints, threshold, operator, datapointsToAlarm, treatMissingData } = input;
  const present = periods.filter((t) => datapoints.has(t));
  const recent = [...present].reverse().map((timestamp) => {
    const value = datapoints.get(timestamp) as number;
    return { timestamp, value, breaching: breaches(value, operator, threshold) };
  });
  const missing = periods.length - present.length;
  const breachingPresent = recent.filter((point) => point.breaching).length;
  const breaching = breachingPresent + (treatMissingData === 'breaching' ? missing : 0);
  const words = OPERATOR_WORDS[operator];
  const listed = recent
    .map((point) => `${formatValue(point.value)} (${formatTime(point.timestamp)})`)
    .join(', ');
  if (present.length === 0 && (treatMissingData === 'ignore' || treatMissingData === 'missing')) {
    return treatMissingData === 'ignore'
      ? { state: undefined, reason: 'no datapoints: the state is kept (treat missing data: ignore)', recent }
      : {
          state: 'INSUFFICIENT_DATA',
          reason: `Insufficient Data: ${periods.length} datapoint${periods.length === 1 ? ' was' : 's were'} unknown.`,
          recent,
        };
  }
  // Fewer datapoints than M, all of them breaching: ALARM with `missing`, the state kept with `ignore` (AWS's
  // missing-data table: "- - X" with 3 of 3 is ALARM when missing, "retain current state" when ignored).
  const tooFew =
    (treatMissingData === 'missing' || treatMissingData === 'ignore') && present.length < datapointsToAlarm;
  if (tooFew && breachingPresent === present.length) {
    if (treatMissingData === 'ignore')
      return {
        state: undefined,
        reason: 'too few datapoints, all breaching: the state is kept (treat missing data: ignore)',
        recent,
      };
    return {
      state: 'ALARM',
      reason: `Threshold Crossed: ${breachingPresent} out of the last ${present.length} datapoints ${breachingPresent === 1 ? 'was' : 'were'} ${words} the threshold (${formatValue(threshold)}) (${missing} missing). [${listed}]`,
      recent,
    };
  }
  if (breaching >= datapointsToAlarm) {
    const shown =
      breachingPresent === 0
        ? `${missing} missing datapoint${missing === 1 ? '' : 's'} treated as breaching`
        : `[${listed}]`;
    return {
      state: 'ALARM',
      reason:
        `Threshold Crossed: ${breaching} out of the last ${periods.length} datapoints ${breaching === 1 ? 'was' : 'were'} ${words} the threshold (${formatValue(threshold)}) (minimum ${datapointsToAlarm} datapoint${datapointsToAlarm === 1 ? '' : 's'} for OK -> ALARM transition). ${shown}`.trim(),
      recent,
    };
  }
  const notBreaching = periods.length - breaching;
  const shown =
    present.length === 0
      ? `${missing} missing datapoint${missing === 1 ? '' : 's'} treated as not breaching`
      : `[${listed}]`;
  return {
    state: 'OK',
    reason:
      `Threshold Crossed: ${notBreaching} out of the last ${periods.length} datapoints ${notBreaching === 1 ? 'was' : 'were'} not ${words} the threshold (${formatValue(threshold)}) (minimum ${periods.length - datapointsToAlarm + 1} datapoint${periods.length - datapointsToAlarm + 1 === 1 ? '' : 's'} for ALARM -> OK transition). ${shown}`.trim(),
    recent,
  };
};
