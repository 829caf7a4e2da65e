/**
 * The clock that drives scheduled rules, injectable so that tests (and a demo) need not wait real minutes: the
 * wall clock, the wall clock sped up, or a manual clock that a test advances.
 */
export interface Scheduler {
  /** Epoch milliseconds on this clock. */
  now(): number;
  /** Runs `fire` once this clock reaches `at`; returns a function that cancels it. */
  at(at: number, fire: () => void): () => void;
}

/**
 * The wall clock, optionally running `speedup` times faster from the moment it is created (a 5-minute schedule
 * fires every 3 s at `speedup: 100`). Default speed 1: AWS's own timing.
 */
export const realTimeScheduler = ({ speedup = 1 }: { readonly speedup?: number } = {}): Scheduler => {
  if (!(speedup > 0)) throw new RangeError(`speedup must be positive, got ${speedup}`);
  const origin = Date.now();
  const now = () => origin + (Date.now() - origin) * speedup;
  return {
    now,
    at: (at, fire) => {
      const timer = setTimeout(fire, Math.max(0, (at - now()) / speedup));
      // A schedule never keeps the process alive on its own.
      timer.unref();
      return () => clearTimeout(timer);
    },
  };
};

/** A clock that only moves when told: `advance()` fires every due timer in time order. For tests. */
export class ManualScheduler implements Scheduler {
  private current: number;
  private readonly timers = new Set<{ readonly at: number; readonly fire: () => void }>();

  public constructor(start = Date.parse('2026-01-01T00:00:00Z')) {
    this.current = start;
  }

  public now(): number {
    return this.current;
  }

  public at(at: number, fire: () => void): () => void {
    const timer = { at, fire };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }

  /** Moves the clock forward by `ms`, firing each timer due on the way at its own time (timers it arms included). */
  public advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const due = [...this.timers].filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.timers.delete(due);
      this.current = Math.max(this.current, due.at);
      due.fire();
    }
    this.current = end;
  }

  /** Timers waiting to fire. */
  public get pending(): number {
    return this.timers.size;
  }
}
