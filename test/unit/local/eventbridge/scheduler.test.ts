import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { realTimeScheduler } from '../../../../packages/local-cloud/src/eventbridge';

describe('the real-time scheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse('2026-12-02T10:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires on the wall clock, sped up', () => {
    const scheduler = realTimeScheduler({ speedup: 100 });
    const fired: string[] = [];
    scheduler.at(scheduler.now() + 300_000, () => fired.push('five minutes'));
    vi.advanceTimersByTime(2_999);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['five minutes']);
  });

  it('jumped forward, fires what came due at once, in time order, and nothing later', () => {
    const scheduler = realTimeScheduler();
    const start = scheduler.now();
    const fired: string[] = [];
    scheduler.at(start + 600_000, () => fired.push('ten minutes'));
    scheduler.at(start + 300_000, () => fired.push('five minutes'));
    scheduler.at(start + 240_000, () => fired.push('four minutes'));
    scheduler.advance(300_000);
    expect(scheduler.now()).toBe(start + 300_000);
    vi.advanceTimersByTime(0);
    expect(fired).toEqual(['four minutes', 'five minutes']);
    vi.advanceTimersByTime(299_999);
    expect(fired).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['four minutes', 'five minutes', 'ten minutes']);
  });

  it('does not fire a cancelled timer, and only moves forward', () => {
    const scheduler = realTimeScheduler();
    const fire = vi.fn();
    const cancel = scheduler.at(scheduler.now() + 1_000, fire);
    cancel();
    scheduler.advance(5_000);
    vi.advanceTimersByTime(10_000);
    expect(fire).not.toHaveBeenCalled();
    expect(() => scheduler.advance(-1)).toThrow(RangeError);
  });
});
