import { CloudWatchErrors } from '../errors.js';
import { stringList } from '../input.js';
import type { Action } from './context.js';

/**
 * DeleteAlarms: up to 100 alarms; if any of them does not exist, none is deleted (`ResourceNotFound`). See
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DeleteAlarms.html.
 */
export const deleteAlarms: Action = (input, { alarms }) => {
  const names = stringList(input, 'AlarmNames', 100);
  if (input.AlarmNames === undefined)
    throw CloudWatchErrors.missingParameter('The parameter AlarmNames is required.');
  const missing = names.filter((name) => alarms.get(name) === undefined);
  if (missing.length > 0)
    throw CloudWatchErrors.resourceNotFound(
      `Alarm${missing.length === 1 ? '' : 's'} ${missing.join(', ')} not found`,
    );
  alarms.delete(names);
  return {};
};
