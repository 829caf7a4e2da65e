import type { AlarmStateChange, CompositeAlarm, MetricAlarm } from './alarm-model.js';

const REGION_NAMES: Readonly<Record<string, string>> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'eu-west-1': 'EU (Ireland)',
  'eu-central-1': 'EU (Frankfurt)',
};

const iso = (epochMs: number): string => new Date(epochMs).toISOString().replace('Z', '+0000');

/**
 * The SNS message CloudWatch publishes when an alarm changes state: subject `ALARM: "<name>" in <region name>`
 * (trimmed to SNS's 100 characters) and the JSON body with the alarm, the states, the reason and the trigger. See
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html (Amazon SNS notification
 * message format, "alarm-notification-format").
 */
export const alarmNotification = (
  change: AlarmStateChange,
  region: string,
  accountId: string,
): { subject: string; message: string } => {
  const { alarm } = change;
  const regionName = REGION_NAMES[region] ?? region;
  const subject = `${change.newState}: "${alarm.AlarmName}" in ${regionName}`.slice(0, 100);
  const body: Record<string, unknown> = {
    AlarmName: alarm.AlarmName,
    AlarmDescription: alarm.AlarmDescription ?? null,
    AWSAccountId: accountId,
    AlarmConfigurationUpdatedTimestamp: iso(alarm.AlarmConfigurationUpdatedTimestamp),
    NewStateValue: change.newState,
    NewStateReason: change.reason,
    StateChangeTime: iso(change.at),
    Region: regionName,
    AlarmArn: alarm.AlarmArn,
    OldStateValue: change.oldState,
    OKActions: alarm.OKActions,
    AlarmActions: alarm.AlarmActions,
    InsufficientDataActions: alarm.InsufficientDataActions,
  };
  if ('AlarmRule' in alarm) body.AlarmRule = (alarm as CompositeAlarm).AlarmRule;
  else body.Trigger = trigger(alarm as MetricAlarm);
  return { subject, message: JSON.stringify(body) };
};

const trigger = (alarm: MetricAlarm): Record<string, unknown> => ({
  ...(alarm.MetricName === undefined
    ? {
        Metrics: (alarm.Metrics ?? []).map((query) => ({
          Id: query.Id,
          ...(query.Expression === undefined ? {} : { Expression: query.Expression }),
          ...(query.Label === undefined ? {} : { Label: query.Label }),
          ...(query.MetricStat === undefined ? {} : { MetricStat: query.MetricStat }),
          ReturnData: query.ReturnData !== false,
        })),
      }
    : {
        MetricName: alarm.MetricName,
        Namespace: alarm.Namespace,
        StatisticType: alarm.ExtendedStatistic === undefined ? 'Statistic' : 'ExtendedStatistic',
        Statistic: (alarm.ExtendedStatistic ?? alarm.Statistic ?? '').toUpperCase(),
        Unit: alarm.Unit ?? null,
        Dimensions: alarm.Dimensions.map((d) => ({ value: d.Value, name: d.Name })),
        Period: alarm.Period,
      }),
  EvaluationPeriods: alarm.EvaluationPeriods,
  DatapointsToAlarm: alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods,
  ComparisonOperator: alarm.ComparisonOperator,
  Threshold: alarm.Threshold,
  TreatMissingData: alarm.TreatMissingData ?? 'missing',
  EvaluateLowSampleCountPercentile: alarm.EvaluateLowSampleCountPercentile ?? '',
});
