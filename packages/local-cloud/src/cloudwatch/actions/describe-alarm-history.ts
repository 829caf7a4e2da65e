import { CloudWatchErrors } from '../errors.js';
import { optionalInteger, optionalString, optionalTimestamp, stringList } from '../input.js';
import { type Action, InvalidToken, page } from './context.js';

const TYPES = ['ConfigurationUpdate', 'StateUpdate', 'Action'];

/**
 * DescribeAlarmHistory: by alarm name (or every alarm), HistoryItemType, StartDate/EndDate, newest first unless
 * `ScanBy: TimestampAscending`; MaxRecords 1–100 (default 50). See
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html.
 */
export const describeAlarmHistory: Action = (input, { alarms }) => {
  const name = optionalString(input, 'AlarmName', 255);
  const type = optionalString(input, 'HistoryItemType');
  if (type !== undefined && !TYPES.includes(type))
    throw CloudWatchErrors.invalidParameterValue(
      `The value ${type} for parameter HistoryItemType is not valid.`,
    );
  const start = optionalTimestamp(input, 'StartDate');
  const end = optionalTimestamp(input, 'EndDate');
  const types = stringList(input, 'AlarmTypes');
  const maxRecords = optionalInteger(input, 'MaxRecords', 1, 100) ?? 50;
  const scanBy = optionalString(input, 'ScanBy') ?? 'TimestampDescending';
  const items = alarms
    .historyItems()
    .filter(
      (item) =>
        (name === undefined || item.AlarmName === name) &&
        (type === undefined || item.HistoryItemType === type) &&
        (types.length === 0 || types.includes(item.AlarmType)) &&
        (start === undefined || item.Timestamp >= start) &&
        (end === undefined || item.Timestamp <= end),
    );
  if (scanBy === 'TimestampAscending') items.reverse();
  try {
    const { items: shown, nextToken } = page(items, optionalString(input, 'NextToken'), maxRecords);
    return {
      AlarmHistoryItems: shown.map((item) => ({ ...item, Timestamp: new Date(item.Timestamp) })),
      ...(nextToken === undefined ? {} : { NextToken: nextToken }),
    };
  } catch (error) {
    if (error instanceof InvalidToken) throw CloudWatchErrors.invalidNextToken();
    throw error;
  }
};
