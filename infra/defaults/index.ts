// The queue defaults and tags live with the consumer construct (the DLQ tool reads the tags): one home.
export {
  createDeadLetterQueue,
  createSourceQueue,
  DlqKinds,
  QueueDefaults,
  QueueRoles,
  secureQueueProps,
  TagKeys,
} from '@breakwater/event-consumer';
export {
  bundlingDefaults,
  FunctionDefaults,
  metricsNamespace,
  nodejsFunctionDefaults,
  PowertoolsEnv,
} from './functions';
export { grantSecretValue, SendOnlySqsDlq } from './grants';
export { createTable, grantIdempotencyAccess } from './tables';
