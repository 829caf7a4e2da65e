/**
 * `@breakwater/circuit-breaker`: a fleet-wide circuit breaker for AWS Lambda. The core: the breaker, its registry,
 * configuration, errors, classification, listeners and metrics, manual states, queue helpers, and the ports a store
 * implements. Stores and middleware on their own entry points: `/dynamodb`, `/redis`, `/middy`, `/testing`.
 */
export {
  CircuitBreaker,
  type CircuitBreakerDependencies,
  type ExecuteOptions,
  type Guard,
} from './breaker.js';
export type { CallContext, GuardedCall } from './call.js';
export {
  type Classification,
  defaultErrorClassifier,
  defaultResultClassifier,
  type ErrorClassifier,
  httpStatusOf,
  isConnectionOrTimeoutError,
  isFailureStatus,
  type ResultClassifier,
} from './classify.js';
export {
  type CircuitBreakerConfig,
  CircuitBreakerDefaults,
  type CircuitBreakerOptions,
  resolveConfig,
} from './config.js';
export {
  CallTimeoutError,
  CircuitBreakerConfigurationError,
  CircuitBreakerError,
  CircuitOpenError,
  CircuitStoreError,
} from './errors.js';
export {
  type BreakerErrorEvent,
  type CircuitBreakerListeners,
  combineListeners,
  type RejectionEvent,
  type SyncEvent,
  type TransitionEvent,
} from './listeners.js';
export { type ManualTransition, writeManualState } from './manual.js';
export { MemoryCircuitStore } from './memory-store.js';
export {
  type BreakerMetricName,
  BreakerMetricNames,
  type BreakerMetricSink,
  CIRCUIT_DIMENSION,
  metricsListeners,
  powertoolsMetricSink,
  type SingleMetricSource,
} from './observability.js';
export {
  MAX_VISIBILITY_TIMEOUT_SECONDS,
  receivesToRideOut,
  type VisibilityLimits,
  visibilityTimeoutSeconds,
} from './queue.js';
export { CircuitBreakers } from './registry.js';
export { type Clock, systemClock } from './replica.js';
export {
  type CircuitSnapshot,
  type CircuitState,
  CircuitStates,
  isCircuitState,
  type ManualTarget,
  manualStates,
  type ProbeLease,
} from './state.js';
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
} from './store.js';
export { type BucketCounts, summarizeWindow, type WindowSummary } from './window.js';
