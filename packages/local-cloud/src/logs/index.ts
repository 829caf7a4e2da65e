export { compileFilterPattern } from './filter-pattern.js';
export { LocalCloudWatchLogs } from './service.js';
