export { compileFilterPattern } from './filter-pattern';
export { LocalCloudWatchLogs } from './service';
