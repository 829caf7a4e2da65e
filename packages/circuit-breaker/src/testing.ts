/**
 * `@breakwater/circuit-breaker/testing`: test doubles of the breaker's ports, for your unit tests: a memory store (the
 * state store and the counters), a memory fast path, and a clock you move by hand.
 */
export { ManualClock } from './manual-clock.js';
export { MemoryStateSignal } from './memory-signal.js';
export { MemoryCircuitStore } from './memory-store.js';
