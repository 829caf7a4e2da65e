export type { SqsEngine, SqsEngineOptions } from './engine';
export { createSqsEngine } from './engine';
export { SqsErrors, SqsServiceError } from './errors';
export type { MoveTask } from './move-tasks';
export { MoveTaskStatus } from './move-tasks';
export type { SqsServer, SqsServerOptions } from './server';
export { startSqsServer } from './server';
export type { QueueArnParts } from './sqs-names';
export { parseQueueArn, queueUrl } from './sqs-names';
