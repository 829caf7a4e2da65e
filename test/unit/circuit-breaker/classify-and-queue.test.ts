import {
  CallTimeoutError,
  CircuitOpenError,
  defaultErrorClassifier,
  httpStatusOf,
  isConnectionOrTimeoutError,
  MAX_VISIBILITY_TIMEOUT_SECONDS,
  receivesToRideOut,
  resolveConfig,
  visibilityTimeoutSeconds,
} from '@breakwater/circuit-breaker';
import { describe, expect, it } from 'vitest';
import { retryAfterMsOf } from '../../../packages/circuit-breaker/src/queue';

const withStatus = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });

describe('defaultErrorClassifier', () => {
  it.each([500, 502, 503, 504, 429, 408])('counts HTTP %i as a failure', (status) => {
    expect(defaultErrorClassifier(withStatus(status))).toBe('failure');
  });

  it.each([400, 401, 402, 404, 409, 422])('counts HTTP %i as an answer (not a breaker failure)', (status) => {
    expect(defaultErrorClassifier(withStatus(status))).toBe('success');
  });

  it('reads the status from statusCode, the SDK $metadata and response.status', () => {
    expect(httpStatusOf({ statusCode: 503 })).toBe(503);
    expect(httpStatusOf({ $metadata: { httpStatusCode: 429 } })).toBe(429);
    expect(httpStatusOf({ response: { status: 402 } })).toBe(402);
    expect(httpStatusOf(new Error('x'))).toBeUndefined();
  });

  it('lets an error decide for itself with countsAsFailure (declines say false)', () => {
    const decline = Object.assign(new Error('card_declined'), { status: 503, countsAsFailure: false });
    expect(defaultErrorClassifier(decline)).toBe('success');
    expect(defaultErrorClassifier(new CallTimeoutError('c', 10))).toBe('failure');
    expect(defaultErrorClassifier(new CircuitOpenError('c', 'OPEN', 10, 'open'))).toBe('ignore');
  });

  it('counts timeouts, connection errors and unexplained errors as failures', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
    });
    expect(isConnectionOrTimeoutError(refused)).toBe(true);
    expect(isConnectionOrTimeoutError(new DOMException('timed out', 'TimeoutError'))).toBe(true);
    expect(isConnectionOrTimeoutError(new Error('bug'))).toBe(false);
    expect(defaultErrorClassifier(refused)).toBe('failure');
    expect(defaultErrorClassifier(new Error('bug'))).toBe('failure');
  });
});

describe('visibilityTimeoutSeconds', () => {
  it('rounds the wait up to whole seconds', () => {
    expect(visibilityTimeoutSeconds(12_001)).toBe(13);
    expect(visibilityTimeoutSeconds(12_000)).toBe(12);
  });

  it('never answers 0 (immediate redelivery) nor more than the SQS maximum or the given cap', () => {
    expect(visibilityTimeoutSeconds(0)).toBe(1);
    expect(visibilityTimeoutSeconds(-5)).toBe(1);
    expect(visibilityTimeoutSeconds(1e12)).toBe(MAX_VISIBILITY_TIMEOUT_SECONDS);
    expect(visibilityTimeoutSeconds(Number.POSITIVE_INFINITY)).toBe(MAX_VISIBILITY_TIMEOUT_SECONDS);
    expect(visibilityTimeoutSeconds(600_000, { maxSeconds: 300 })).toBe(300);
    expect(visibilityTimeoutSeconds(100, { minSeconds: 5 })).toBe(5);
  });

  it('spreads returns with a caller-supplied random number, staying pure', () => {
    expect(visibilityTimeoutSeconds(10_000, { jitterRatio: 0.5, random: 0 })).toBe(10);
    expect(visibilityTimeoutSeconds(10_000, { jitterRatio: 0.5, random: 0.999 })).toBe(15);
  });

  it('reads the wait from a circuit rejection only', () => {
    expect(retryAfterMsOf(new CircuitOpenError('c', 'OPEN', 1_234, 'open'))).toBe(1_234);
    expect(retryAfterMsOf(new Error('other'))).toBeUndefined();
  });
});

describe('receivesToRideOut', () => {
  const config = resolveConfig();
  it('counts the rounds of growing cooldowns an outage lasts, two receives each at most', () => {
    expect(receivesToRideOut(0, config)).toBe(0);
    // 30 + 60 + 120 + 240 s = 450 s: four rounds.
    expect(receivesToRideOut(450_000, config)).toBe(8);
    // Then 300 s per round: one hour is 4 + 11 rounds; two hours 4 + 23.
    expect(receivesToRideOut(3_600_000, config)).toBe(30);
    expect(receivesToRideOut(7_200_000, config)).toBe(54);
    expect(receivesToRideOut(3_600_000, config, 1)).toBe(15);
  });
});
