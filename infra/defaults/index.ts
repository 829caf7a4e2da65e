export {
  bundlingDefaults,
  FunctionDefaults,
  metricsNamespace,
  nodejsFunctionDefaults,
  PowertoolsEnv,
} from './functions';
export { grantSecretValue, SendOnlySqsDlq } from './grants';
export { createDeadLetterQueue, createSourceQueue, QueueDefaults, secureQueueProps } from './queues';
export { createTable, grantIdempotencyAccess } from './tables';
export { DlqKinds, QueueRoles, TagKeys } from './tags';
