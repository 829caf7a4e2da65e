/**
 * `@breakwater/dlq`: find, peek at and replay the messages of SQS dead-letter queues, with selection, dry runs,
 * reports and no duplicates. What users call; internals stay unexported. The command line is `breakwater-dlq`
 * (`@breakwater/dlq/cli` to embed it); the failure-reason attributes a consumer writes are in
 * `@breakwater/dlq/failure-reason`.
 */
export { type ClientSettings, createClients } from './clients.js';
export { type DiscoveryOptions, findSourceQueues, listDlqs, scanQueues } from './discovery.js';
export {
  DlqError,
  PermissionDeniedError,
  QueueNotFoundError,
  UnsupportedOperationError,
  UsageError,
} from './errors.js';
export { type NativeRedriveOptions, type NativeRedriveProgress, nativeRedrive } from './native.js';
export { type PeekOptions, peekMessages } from './peek.js';
export { parseQueueArn, resolveQueue, type ScannedQueue } from './queues.js';
export { type ReplayOptions, type ReplayProgress, replayDlq } from './replay.js';
export type { ReplayMode, ReplayReport, StopReason } from './report.js';
export type { SelectionSpec } from './selection.js';
export type { ReplayClients } from './senders.js';
export {
  type DlqKind,
  DlqKinds,
  type DlqMessage,
  type DlqSummary,
  DlqTags,
  type EventCheck,
  type MessageOutcome,
  type QueueRef,
  type ReplayResult,
  ReplayResults,
  type ReplayTotals,
} from './types.js';
