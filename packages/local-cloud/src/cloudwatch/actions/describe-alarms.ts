import { ALARM_STATES, type AlarmState, type MetricAlarm } from '../alarm-model.js';
import { CloudWatchErrors } from '../errors.js';
import { optionalInteger, optionalString, stringList } from '../input.js';
import { type Action, InvalidToken, page } from './context.js';

/** An alarm as the SDK's `MetricAlarm` shape has it (timestamps as dates). */
export const describeMetricAlarm = (alarm: MetricAlarm): Record<string, unknown> => ({
  ...alarm,
  AlarmConfigurationUpdatedTimestamp: new Date(alarm.AlarmConfigurationUpdatedTimestamp),
  StateUpdatedTimestamp: new Date(alarm.StateUpdatedTimestamp),
  StateTransitionedTimestamp: new Date(alarm.StateTransitionedTimestamp),
  Dimensions: [...alarm.Dimensions],
});

/**
 * DescribeAlarms: by AlarmNames (up to 100) or AlarmNamePrefix (not both), StateValue, ActionPrefix, AlarmTypes;
 * MaxRecords 1–100 (default 50). See https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html.
 */
export const describeAlarms: Action = (input, { alarms }) => {
  const names = stringList(input, 'AlarmNames', 100);
  const prefix = optionalString(input, 'AlarmNamePrefix', 255);
  if (names.length > 0 && prefix !== undefined)
    throw CloudWatchErrors.invalidParameterCombination(
      'The parameters AlarmNames and AlarmNamePrefix are mutually exclusive.',
    );
  const state = optionalString(input, 'StateValue');
  if (state !== undefined && !ALARM_STATES.includes(state as AlarmState))
    throw CloudWatchErrors.invalidParameterValue(`The value ${state} for parameter StateValue is not valid.`);
  const actionPrefix = optionalString(input, 'ActionPrefix', 1024);
  const types = stringList(input, 'AlarmTypes');
  const maxRecords = optionalInteger(input, 'MaxRecords', 1, 100) ?? 50;
  const wanted = alarms
    .list()
    .filter(
      (alarm) =>
        (names.length === 0 || names.includes(alarm.AlarmName)) &&
        (prefix === undefined || alarm.AlarmName.startsWith(prefix)) &&
        (state === undefined || alarm.StateValue === state) &&
        (actionPrefix === undefined ||
          [...alarm.AlarmActions, ...alarm.OKActions, ...alarm.InsufficientDataActions].some((arn) =>
            arn.startsWith(actionPrefix),
          )),
    );
  const includeMetric = types.length === 0 || types.includes('MetricAlarm');
  try {
    const { items, nextToken } = page(
      includeMetric ? wanted : [],
      optionalString(input, 'NextToken'),
      maxRecords,
    );
    return {
      MetricAlarms: items.map(describeMetricAlarm),
      CompositeAlarms: [],
      ...(nextToken === undefined ? {} : { NextToken: nextToken }),
    };
  } catch (error) {
    if (error instanceof InvalidToken) throw CloudWatchErrors.invalidNextToken();
    throw error;
  }
};
