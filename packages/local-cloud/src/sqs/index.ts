export type { SqsEngine, SqsEngineOptions } from './engine.js';
export { createSqsEngine } from './engine.js';
export { SqsErrors, SqsServiceError } from './errors.js';
export type { MoveTask } from './move-tasks.js';
export { MoveTaskStatus } from './move-tasks.js';
export type { SqsServer, SqsServerOptions } from './server.js';
export { startSqsServer } from './server.js';
export type { QueueArnParts } from './sqs-names.js';
export { parseQueueArn, queueUrl } from './sqs-names.js';
