/** The edge path of the schedules' clock admin API (see `clockHandler`): jump it to see a schedule run now. */
export const SCHEDULE_CLOCK_PATH = '/_breakwater/events/clock';

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

/** A {@link Scheduler} that can also be jumped forward, as the edge's schedule clock API does. */
export interface AdjustableScheduler extends Scheduler {
  /** How many scheduler milliseconds pass per wall-clock millisecond. */
  readonly scale: number;
  /** Jumps this clock forward by `ms` (never backwards): every schedule that comes due fires now. */
  advance(ms: number): void;
}

/**
 * The wall clock, optionally running `speedup` times faster from the moment it is created (a 5-minute schedule
 * fires every 3 s at `speedup: 100`). Default speed 1: AWS's own timing. `advance` jumps it forward, so a test can
 * see a 5-minute schedule fire once, now, without speeding up every other schedule.
 */
export const realTimeScheduler = ({
  speedup = 1,
}: {
  readonly speedup?: number;
} = {}): AdjustableScheduler => {
  if (!(speedup > 0)) throw new RangeError(`speedup must be positive, got ${speedup}`);
  const origin = Date.now();
  let offset = 0;
  const now = () => origin + (Date.now() - origin) * speedup + offset;
  const pending = new Map<
    symbol,
    { readonly at: number; readonly fire: () => void; timer: NodeJS.Timeout }
  >();
  const arm = (key: symbol, at: number, fire: () => void) => {
    const timer = setTimeout(
      () => {
        pending.delete(key);
        fire();
      },
      Math.max(0, (at - now()) / speedup),
    );
    // A schedule never keeps the process alive on its own.
    timer.unref();
    return timer;
  };
  return {
    now,
    scale: speedup,
    at: (at, fire) => {
      const key = Symbol('timer');
      pending.set(key, { at, fire, timer: arm(key, at, fire) });
      return () => {
        clearTimeout(pending.get(key)?.timer);
        pending.delete(key);
      };
    },
    advance: (ms) => {
      if (!(ms >= 0)) throw new RangeError(`a clock only moves forward, got ${ms} ms`);
      offset += ms;
      // Every timer is re-armed against the new time: those now due fire at once, in the order they come due.
      const timers = [...pending].sort(([, a], [, b]) => a.at - b.at);
      for (const [key, entry] of timers) {
        clearTimeout(entry.timer);
        entry.timer = arm(key, entry.at, entry.fire);
      }
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
