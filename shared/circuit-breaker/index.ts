export { CircuitBreaker, type CircuitBreakerDependencies, type ExecuteOptions, type Guard } from './breaker';
export { toTransitionEvent, transitionEventListeners } from './bus';
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
export { FastPath, type FastPathHost, hintOf } from './fast-path';
export {
  type BreakerErrorEvent,
  type CircuitBreakerListeners,
  combineListeners,
  type RejectionEvent,
  type SyncEvent,
  type TransitionEvent,
} from './listeners';
export { type ManualTransition, writeManualState } from './manual';
export { MemoryStateSignal } from './memory-signal';
export { MemoryCircuitStore } from './memory-store';
export {
  type BreakerMetricName,
  BreakerMetricNames,
  type BreakerMetricSink,
  CIRCUIT_DIMENSION,
  metricsListeners,
  powertoolsMetricSink,
  type SingleMetricSource,
  toBreakerTransitionV1,
  transitionEventType,
} from './observability';
export {
  type CacheView,
  type CallBudget,
  type CoordinationIntervals,
  callBudget,
  coordinationIntervals,
  deadlineOf,
  probesRationed,
  type SyncNeed,
  syncNeed,
} from './policy';
export {
  MAX_VISIBILITY_TIMEOUT_SECONDS,
  receivesToRideOut,
  retryAfterMsOf,
  type VisibilityLimits,
  visibilityTimeoutSeconds,
} from './queue';
export { RedisOutcomeCounters, type RedisOutcomeCountersOptions } from './redis-counters';
export { RedisStateSignal, type RedisStateSignalOptions, type StateSignalRedis } from './redis-signal';
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
  CircuitStateSignal,
  CircuitStateStore,
  CompareAndSetResult,
  FlushContext,
  FlushResult,
  OutcomeCounterStore,
  StateHint,
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
