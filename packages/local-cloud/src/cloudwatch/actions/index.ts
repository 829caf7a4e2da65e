import type { Action } from './context.js';
import { deleteAlarms } from './delete-alarms.js';
import { describeAlarmHistory } from './describe-alarm-history.js';
import { describeAlarms } from './describe-alarms.js';
import { getMetricData } from './get-metric-data.js';
import { getMetricStatistics } from './get-metric-statistics.js';
import { listMetrics } from './list-metrics.js';
import { putMetricAlarm } from './put-metric-alarm.js';
import { putMetricData } from './put-metric-data.js';
import { setAlarmState } from './set-alarm-state.js';

/** Every CloudWatch action the local cloud answers. */
export const CLOUDWATCH_ACTIONS: Readonly<Record<string, Action>> = {
  PutMetricData: putMetricData,
  GetMetricData: getMetricData,
  GetMetricStatistics: getMetricStatistics,
  ListMetrics: listMetrics,
  PutMetricAlarm: putMetricAlarm,
  DescribeAlarms: describeAlarms,
  DescribeAlarmHistory: describeAlarmHistory,
  SetAlarmState: setAlarmState,
  DeleteAlarms: deleteAlarms,
};
