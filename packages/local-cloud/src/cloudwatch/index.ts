export type { AlarmHistoryItem, AlarmState, AlarmStateChange, MetricAlarm } from './alarm-model.js';
export { alarmNotification } from './alarm-notification.js';
export { CLOUDWATCH_CLOCK_PATH, type CloudWatchClock, scaledClock } from './clock.js';
export { extractEmfMetrics } from './emf.js';
export { LocalCloudWatch, type LocalCloudWatchOptions } from './service.js';
