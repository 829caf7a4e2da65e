/**
 * `@breakwater/circuit-breaker/redis`: the fast path over Redis (Upstash's REST client or any client with the same
 * commands): a trip seen by every container within about a second, and optional fleet-wide counters.
 */
export { RedisOutcomeCounters, type RedisOutcomeCountersOptions } from './redis-counters.js';
export { RedisStateSignal, type RedisStateSignalOptions, type StateSignalRedis } from './redis-signal.js';
