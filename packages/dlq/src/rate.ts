import { sleep } from './async.js';

/** Options of `RateLimiter`. */
export interface RateLimiterOptions {
  /** Messages per second at most; undefined = as fast as the service allows. */
  readonly ratePerSecond?: number;
  /** First pause after a throttling error, in ms. Default 200. */
  readonly initialBackoffMs?: number;
  /** Longest pause, in ms. Default 10,000. */
  readonly maxBackoffMs?: number;
  /** Monotonic clock in ms (injected by tests). */
  readonly clock?: () => number;
  /** Jitter source in [0, 1) (injected by tests). */
  readonly random?: () => number;
}

/**
 * A token bucket shared by all replay workers, adaptive on throttling: every throttling error pauses all workers
 * (exponential back-off with jitter) and halves the current rate; each successful send then wins back a tenth of the
 * target rate, so the replay settles just under what the destination accepts. Without a target rate it only
 * pauses. Pure apart from `acquire`, which sleeps.
 */
export class RateLimiter {
  private readonly target: number | undefined;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly clock: () => number;
  private readonly random: () => number;
  private current: number | undefined;
  private tokens: number;
  private refilledAt: number;
  private pausedUntil = 0;
  private throttleStreak = 0;

  public constructor(options: RateLimiterOptions = {}) {
    this.target =
      options.ratePerSecond !== undefined && options.ratePerSecond > 0 ? options.ratePerSecond : undefined;
    this.current = this.target;
    this.initialBackoffMs = options.initialBackoffMs ?? 200;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.clock = options.clock ?? (() => performance.now());
    this.random = options.random ?? Math.random;
    this.tokens = Math.min(this.target ?? 0, 10);
    this.refilledAt = this.clock();
  }

  /** The rate in force now (msgs/s), or undefined when unlimited. */
  public get currentRate(): number | undefined {
    return this.current;
  }

  /** Takes `count` tokens (possibly going into debt) and returns how many ms the caller must wait first. */
  public reserve(count: number): number {
    const now = this.clock();
    const pause = Math.max(0, this.pausedUntil - now);
    if (this.current === undefined) return pause;
    const burst = Math.max(this.current, 10);
    this.tokens = Math.min(burst, this.tokens + ((now - this.refilledAt) / 1000) * this.current);
    this.refilledAt = now;
    this.tokens -= count;
    const debtMs = this.tokens >= 0 ? 0 : (-this.tokens / this.current) * 1000;
    return Math.max(pause, debtMs);
  }

  /** Records a throttling error; returns the pause (ms) every worker now observes. */
  public throttled(): number {
    this.throttleStreak += 1;
    const base = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** (this.throttleStreak - 1));
    const pause = base / 2 + (this.random() * base) / 2;
    this.pausedUntil = Math.max(this.pausedUntil, this.clock() + pause);
    if (this.current !== undefined) this.current = Math.max(1, this.current / 2);
    return pause;
  }

  /** Records a successful send of `count` messages: the back-off resets and the rate recovers step by step. */
  public succeeded(count = 1): void {
    this.throttleStreak = 0;
    if (this.current !== undefined && this.target !== undefined && this.current < this.target) {
      this.current = Math.min(this.target, this.current + (this.target / 10) * Math.min(count, 10));
    }
  }

  /** Waits until `count` messages may be sent (or the signal aborts). */
  public async acquire(count: number, signal?: AbortSignal): Promise<void> {
    await sleep(this.reserve(count), signal);
  }
}
