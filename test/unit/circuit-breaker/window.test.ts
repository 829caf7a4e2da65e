import { resolveConfig, summarizeWindow } from '@breakwater/circuit-breaker';
import { describe, expect, it } from 'vitest';
import {
  bucketIndex,
  firstWindowBucket,
  OutcomeAccumulator,
} from '../../../packages/circuit-breaker/src/window';

const config = resolveConfig({ windowMs: 10_000, bucketMs: 1_000 });
const bucket = (index: number, calls: number, failures = 0, slow = 0) => ({ index, calls, failures, slow });

describe('summarizeWindow', () => {
  it('sums exactly the buckets of the window ending now', () => {
    const now = 100_500; // bucket 100; the window is buckets 91..100
    const summary = summarizeWindow(
      [bucket(90, 100, 100), bucket(91, 4, 2, 1), bucket(100, 6, 1, 3), bucket(101, 50, 50)],
      now,
      0,
      config,
    );
    expect(summary).toEqual({
      calls: 10,
      failures: 3,
      slow: 4,
      failureRate: 0.3,
      slowCallRate: 0.4,
      containers: 0,
    });
  });

  it('ignores buckets that began before the window was reset (closing starts a fresh window)', () => {
    expect(firstWindowBucket(100_500, 95_200, config)).toBe(96);
    const summary = summarizeWindow([bucket(95, 10, 10), bucket(96, 10)], 100_500, 95_200, config);
    expect(summary.calls).toBe(10);
    expect(summary.failures).toBe(0);
  });

  it('has rates of 0 without calls', () => {
    expect(summarizeWindow([], 0, 0, config)).toEqual({
      calls: 0,
      failures: 0,
      slow: 0,
      failureRate: 0,
      slowCallRate: 0,
      containers: 0,
    });
  });

  it('estimates the fleet from presence: the time containers spent calling over the window span', () => {
    // 12 containers flushing every 2 s over the last 10 s: each adds 2,000 ms five times.
    const buckets = [92, 94, 96, 98, 100].map((index) => ({ ...bucket(index, 12), presenceMs: 12 * 2_000 }));
    expect(summarizeWindow(buckets, 101_999, 0, config).containers).toBe(12);
    // Just after a reset, the span is what elapsed since it, not the whole window.
    const fresh = [{ ...bucket(100, 3), presenceMs: 3 * 1_000 }];
    expect(summarizeWindow(fresh, 101_000, 100_000, config).containers).toBe(3);
  });
});

describe('OutcomeAccumulator', () => {
  it('counts per bucket, flags adverse outcomes, and drains only what can still matter', () => {
    const pending = new OutcomeAccumulator();
    expect(pending.empty).toBe(true);
    pending.record(1_000, { failure: false, slow: false }, config.bucketMs);
    expect(pending.adverse).toBe(false);
    pending.record(50_100, { failure: true, slow: false }, config.bucketMs);
    pending.record(50_900, { failure: false, slow: true }, config.bucketMs);
    expect(pending.adverse).toBe(true);
    expect(pending.drain(51_000, config)).toEqual([bucket(50, 2, 1, 1)]);
    expect(pending.empty).toBe(true);
    expect(pending.adverse).toBe(false);
  });

  it('puts an outcome into the bucket of the instant it was recorded', () => {
    expect(bucketIndex(1_999, 1_000)).toBe(1);
    expect(bucketIndex(2_000, 1_000)).toBe(2);
  });
});
