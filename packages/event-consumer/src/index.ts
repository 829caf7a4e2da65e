/**
 * `@breakwater/event-consumer`: one CDK construct for an event consumer on AWS serverless, EventBridge rule → SQS
 * queue → Lambda function, with a DLQ on each failure path and alarms on both; plus the secure queue defaults it is
 * built from (SSE-SQS, TLS only, 14-day DLQs, tags the DLQ tool reads).
 */
export { EventConsumerConfigurationError } from './errors.js';
export {
  EventConsumer,
  EventConsumerDefaults,
  type EventConsumerProps,
  type HandlerFactory,
} from './event-consumer.js';
export {
  BasicConsumerMonitoring,
  type ConsumerAlarms,
  type ConsumerMonitoring,
  type DeadLetterQueueAlarms,
  type WatchedConsumer,
} from './monitoring.js';
export { acknowledgeTerminalQueue, NagReasons } from './nag.js';
export {
  createDeadLetterQueue,
  createSourceQueue,
  type DeadLetterQueueOptions,
  QueueDefaults,
  type SourceQueueOptions,
  secureQueueProps,
} from './queues.js';
export { type DlqKind, DlqKinds, QueueRoles, TagKeys } from './tags.js';
export { minimumVisibilityTimeout } from './validation.js';
