import {
  CircuitBreakerConfigurationError,
  CircuitBreakerDefaults,
  resolveConfig,
} from '@breakwater/circuit-breaker';
import { describe, expect, it } from 'vitest';

describe('resolveConfig', () => {
  it('returns the documented defaults, frozen', () => {
    const config = resolveConfig();
    expect(config).toEqual(CircuitBreakerDefaults);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lets later layers win', () => {
    expect(resolveConfig({ minimumCalls: 5 }, { minimumCalls: 7 }).minimumCalls).toBe(7);
  });

  it.each([
    [{ failureRateThreshold: 0 }, /failureRateThreshold must be in \(0, 1\]/],
    [{ slowCallRateThreshold: 1.5 }, /slowCallRateThreshold must be in \(0, 1\]/],
    [{ minimumCalls: 0 }, /minimumCalls must be an integer/],
    [{ halfOpenMaxProbes: 1.5 }, /halfOpenMaxProbes must be an integer/],
    [{ halfOpenSuccessesToClose: 0 }, /halfOpenSuccessesToClose must be an integer/],
    [{ callTimeoutMs: -1 }, /callTimeoutMs must be a positive number/],
    [{ deadlineMarginMs: -1 }, /must not be negative/],
    [{ windowMs: 10_500 }, /multiple of bucketMs/],
    [{ windowMs: 121_000 }, /at most 120 buckets/],
    [{ cooldownMultiplier: 0.5 }, /cooldownMultiplier must be ≥ 1/],
    [{ maxCooldownMs: 1_000 }, /maxCooldownMs must be ≥ cooldownMs/],
    [{ quietSyncIntervalMs: 500 }, /syncIntervalMs ≤ quietSyncIntervalMs ≤ maxStaleMs/],
    [{ maxStaleMs: 1_000 }, /syncIntervalMs ≤ quietSyncIntervalMs ≤ maxStaleMs/],
    [{ signalIntervalMs: 0 }, /signalIntervalMs must be a positive number/],
  ])('rejects %o', (options, message) => {
    expect(() => resolveConfig(options)).toThrow(CircuitBreakerConfigurationError);
    expect(() => resolveConfig(options)).toThrow(message);
  });

  it('rejects unknown options (a typo must not silently keep a default)', () => {
    expect(() => resolveConfig({ cooldown: 5 } as never)).toThrow(/unknown option cooldown/);
  });
});
