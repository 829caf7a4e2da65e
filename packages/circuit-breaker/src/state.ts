/**
 * Every state a circuit can be in: three automatic ones and three set by an operator (resilience4j's names).
 *
 * @example
 * ```ts
 * if (breaker.snapshot.state === CircuitStates.open) console.log('calls are refused');
 * ```
 */
export const CircuitStates = {
  closed: 'CLOSED',
  open: 'OPEN',
  halfOpen: 'HALF_OPEN',
  forcedOpen: 'FORCED_OPEN',
  disabled: 'DISABLED',
  metricsOnly: 'METRICS_ONLY',
} as const;

/**
 * The name of a circuit state.
 *
 * @example
 * ```ts
 * const state: CircuitState = breaker.snapshot.state;
 * ```
 */
export type CircuitState = (typeof CircuitStates)[keyof typeof CircuitStates];

/**
 * States only an operator enters or leaves (the breaker itself never transitions out of them).
 *
 * @example
 * ```ts
 * manualStates.has(breaker.snapshot.state); // FORCED_OPEN, DISABLED, METRICS_ONLY
 * ```
 */
export const manualStates: ReadonlySet<CircuitState> = new Set([
  CircuitStates.forcedOpen,
  CircuitStates.disabled,
  CircuitStates.metricsOnly,
]);

/**
 * States an operator may set with `CircuitBreaker.setState`.
 *
 * @example
 * ```ts
 * const target: ManualTarget = 'DISABLED';
 * await breaker.setState(target, 'incident 42: let every call through');
 * ```
 */
export type ManualTarget = 'CLOSED' | 'OPEN' | 'FORCED_OPEN' | 'DISABLED' | 'METRICS_ONLY';

/**
 * Returns true when the value names a circuit state.
 *
 * @example
 * ```ts
 * isCircuitState('HALF_OPEN'); // true
 * ```
 */
export const isCircuitState = (value: unknown): value is CircuitState =>
  typeof value === 'string' && Object.values<string>(CircuitStates).includes(value);

/**
 * A half-open probe's right to call, held in one of K slots until `until` (epoch ms).
 *
 * @example
 * ```ts
 * const leases: readonly ProbeLease[] = breaker.snapshot.probes;
 * ```
 */
export interface ProbeLease {
  readonly id: string;
  readonly until: number;
}

/**
 * The shared state of one circuit, as stored (DynamoDB is the source of truth; containers cache it briefly).
 * Every write of it goes through a compare-and-set on `version`, and every write increments `version` by one.
 *
 * @example
 * ```ts
 * const { state, version, openUntil }: CircuitSnapshot = breaker.snapshot;
 * ```
 */
export interface CircuitSnapshot {
  readonly state: CircuitState;
  /** Fencing token: the number of state writes so far. 0 = never written. */
  readonly version: number;
  /** When the current state was entered (epoch ms). */
  readonly since: number;
  /** OPEN: end of the cooldown (epoch ms). */
  readonly openUntil?: number;
  /** Consecutive half-open rounds that failed since the circuit last closed (grows the cooldown). */
  readonly reopens: number;
  /** HALF_OPEN: probe leases by slot ("0" … "K-1"). */
  readonly probes: Readonly<Record<string, ProbeLease>>;
  /** HALF_OPEN: successful probes in the current round. */
  readonly successes: number;
  /** Buckets of the window that start before this instant are ignored (the window is reset on closing). */
  readonly windowStart: number;
  /** Why the last transition happened (for events and operators). */
  readonly reason: string;
}

/** The state of a circuit that was never written: CLOSED, version 0. */
export const initialSnapshot: CircuitSnapshot = Object.freeze({
  state: CircuitStates.closed,
  version: 0,
  since: 0,
  reopens: 0,
  probes: Object.freeze({}),
  successes: 0,
  windowStart: 0,
  reason: 'initial',
});
