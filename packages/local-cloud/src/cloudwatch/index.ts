export type { AlarmHistoryItem, AlarmState, AlarmStateChange, MetricAlarm } from './alarm-model';
export { alarmNotification } from './alarm-notification';
export { CLOUDWATCH_CLOCK_PATH, type CloudWatchClock, scaledClock } from './clock';
export { extractEmfMetrics } from './emf';
export { LocalCloudWatch, type LocalCloudWatchOptions } from './service';
