export type { AlarmHistoryItem, AlarmState, AlarmStateChange, MetricAlarm } from './alarm-model';
export { alarmNotification } from './alarm-notification';
export { type CloudWatchClock, scaledClock } from './clock';
export { CLOUDWATCH_CLOCK_PATH, clockHandler } from './clock-http';
export { extractEmfMetrics } from './emf';
export { LocalCloudWatch, type LocalCloudWatchOptions } from './service';
