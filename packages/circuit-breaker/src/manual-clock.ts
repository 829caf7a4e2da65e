import type { Clock } from './replica.js';

/**
 * A clock that moves only when told: the breaker's time (windows, cooldowns, leases) under a test's control.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const breaker = new CircuitBreaker('gateway', { stateStore: store, counterStore: store, clock });
 * clock.advance(30_000); // the cooldown has passed
 * ```
 */
export class ManualClock implements Clock {
  public constructor(public time = 1_700_000_000_000) {}

  public now(): number {
    return this.time;
  }

  /** Moves the clock forward by `ms`. */
  public advance(ms: number): void {
    this.time += ms;
  }
}
