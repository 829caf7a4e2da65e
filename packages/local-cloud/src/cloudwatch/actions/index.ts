import type { Action } from './context';
import { deleteAlarms } from './delete-alarms';
import { describeAlarmHistory } from './describe-alarm-history';
import { describeAlarms } from './describe-alarms';
import { getMetricData } from './get-metric-data';
import { getMetricStatistics } from './get-metric-statistics';
import { listMetrics } from './list-metrics';
import { putMetricAlarm } from './put-metric-alarm';
import { putMetricData } from './put-metric-data';
import { setAlarmState } from './set-alarm-state';

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
