export { CircuitBreaker, type CircuitBreakerDependencies, type ExecuteOptions, type Guard } from './breaker';
export { type CallContext, type GuardedCall, runWithTimeout } from './call';
export {
  type Classification,
  defaultErrorClassifier,
  defaultResultClassifier,
  type ErrorClassifier,
  httpStatusOf,
  isConnectionOrTimeoutError,
  isFailureStatus,
  type ResultClassifier,
} from './classify';
export {
  type CircuitBreakerConfig,
  CircuitBreakerDefaults,
  type CircuitBreakerOptions,
  resolveConfig,
} from './config';
export { breakerItemSchema, DynamoDbCircuitStore, type DynamoDbCircuitStoreOptions } from './dynamodb-store';
export { CallTimeoutError, CircuitBreakerError, CircuitOpenError, CircuitStoreError } from './errors';
export {
  type BreakerErrorEvent,
  type CircuitBreakerListeners,
  combineListeners,
  type RejectionEvent,
  type SyncEvent,
  type TransitionEvent,
} from './listeners';
export { type ManualTransition, writeManualState } from './manual';
export { MemoryCircuitStore } from './memory-store';
export {
  type BreakerMetricName,
  BreakerMetricNames,
  type BreakerMetricSink,
  metricsListeners,
  toBreakerTransitionV1,
  transitionEventType,
} from './observability';
export { type CacheView, type CallBudget, callBudget, deadlineOf, type SyncNeed, syncNeed } from './policy';
export {
  MAX_VISIBILITY_TIMEOUT_SECONDS,
  retryAfterMsOf,
  type VisibilityLimits,
  visibilityTimeoutSeconds,
} from './queue';
export { RedisOutcomeCounters, type RedisOutcomeCountersOptions } from './redis-counters';
export { CircuitBreakers, type DynamoDbCircuitBreakersOptions, dynamoDbCircuitBreakers } from './registry';
export {
  CircuitReplica,
  type Clock,
  type ReplicaDependencies,
  systemClock,
  type WriteResult,
} from './replica';
export {
  type CircuitSnapshot,
  type CircuitState,
  CircuitStates,
  initialSnapshot,
  isCircuitState,
  type ManualTarget,
  manualStates,
  type ProbeLease,
} from './state';
export {
  canApply,
  cooldownFor,
  type Decision,
  decide,
  liveLeases,
  type ProbeResult,
  planManual,
  planProbeResult,
  planTrip,
} from './state-machine';
export type {
  CircuitStateStore,
  CompareAndSetResult,
  FlushContext,
  FlushResult,
  OutcomeCounterStore,
  StoredCircuit,
  WriteContext,
} from './store';
export {
  type BucketCounts,
  bucketIndex,
  type CallOutcome,
  firstWindowBucket,
  OutcomeAccumulator,
  summarizeWindow,
  tripReason,
  type WindowSummary,
} from './window';
