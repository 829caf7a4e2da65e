import { ALARM_STATES, type AlarmState } from '../alarm-model.js';
import { CloudWatchErrors } from '../errors.js';
import { optionalString, requiredString } from '../input.js';
import type { Action } from './context.js';

/**
 * SetAlarmState: sets an alarm's state for a while (its actions run when the state changes); the next evaluation
 * puts it back where the data says. StateReasonData must be JSON. See
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html.
 */
export const setAlarmState: Action = (input, { alarms }) => {
  const name = requiredString(input, 'AlarmName', 255);
  const state = requiredString(input, 'StateValue');
  if (!ALARM_STATES.includes(state as AlarmState))
    throw CloudWatchErrors.invalidParameterValue(`The value ${state} for parameter StateValue is not valid.`);
  const reason = requiredString(input, 'StateReason', 1023);
  const reasonData = optionalString(input, 'StateReasonData', 4000);
  if (reasonData !== undefined) {
    try {
      JSON.parse(reasonData);
    } catch {
      throw CloudWatchErrors.invalidFormat('The parameter StateReasonData must be valid JSON.');
    }
  }
  if (alarms.get(name) === undefined) throw CloudWatchErrors.resourceNotFound(`Alarm ${name} not found`);
  alarms.setState(name, state as AlarmState, reason, reasonData);
  return {};
};
