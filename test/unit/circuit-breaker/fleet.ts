import {
  CircuitBreaker,
  type CircuitBreakerListeners,
  type CircuitBreakerOptions,
  type CircuitStateSignal,
  type TransitionEvent,
} from '@breakwater/circuit-breaker';
import { CountingStore, httpError, ManualClock } from './fakes';

export const options: CircuitBreakerOptions = {
  minimumCalls: 4,
  failureRateThreshold: 0.5,
  slowCallRateThreshold: 1,
  slowCallDurationMs: 1_000,
  windowMs: 10_000,
  bucketMs: 1_000,
  cooldownMs: 5_000,
  cooldownMultiplier: 2,
  maxCooldownMs: 20_000,
  halfOpenMaxProbes: 2,
  halfOpenSuccessesToClose: 2,
  callTimeoutMs: 2_000,
  syncIntervalMs: 1_000,
  quietSyncIntervalMs: 10_000,
  maxStaleMs: 30_000,
};

/**
 * A fleet of containers sharing one store and one clock, each with its own breaker (its own cache); with `signal`,
 * they share a fast path too.
 */
export const fleet = (
  size: number,
  listeners: CircuitBreakerListeners = {},
  config: CircuitBreakerOptions = options,
  signal?: CircuitStateSignal,
) => {
  const store = new CountingStore();
  const clock = new ManualClock();
  const transitions: TransitionEvent[] = [];
  const containers = Array.from(
    { length: size },
    () =>
      new CircuitBreaker('gateway:test', {
        stateStore: store,
        counterStore: store,
        clock,
        config,
        listeners: { onTransition: (event) => void transitions.push(event), ...listeners },
        ...(signal === undefined ? {} : { signal }),
      }),
  );
  return { store, clock, transitions, containers };
};

export const ok = async () => 'ok';
export const fail =
  (status = 503) =>
  async () => {
    throw httpError(status);
  };
export const settle = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => error,
  );
