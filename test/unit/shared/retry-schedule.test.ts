import { CircuitOpenError } from '@breakwater/circuit-breaker';
import { describe, expect, it } from 'vitest';
import { RetryDelayDefaults, retryDelaySeconds } from '../../../shared/batch/retry-schedule';
import { BreakwaterError, ContractError } from '../../../shared/errors';

class OpenCircuit extends BreakwaterError {
  public constructor(public readonly retryAfterMs: number) {
    super('circuit open');
  }
}

describe('retryDelaySeconds', () => {
  it('sends a contract violation back at once, so it reaches the DLQ without waiting', () => {
    expect(retryDelaySeconds(new ContractError('bad'), 1)).toBe(0);
    expect(retryDelaySeconds(new ContractError('bad'), 4)).toBe(0);
  });

  it('waits out an error that says when to come back, rounded up to whole seconds, at least 1 s', () => {
    expect(retryDelaySeconds(new OpenCircuit(12_300), 1)).toBe(13);
    expect(retryDelaySeconds(new OpenCircuit(10), 3)).toBe(1);
    expect(retryDelaySeconds(new OpenCircuit(99_999_999_999), 1)).toBe(43_200);
  });

  it('backs off exponentially on the receive count for anything else, up to the ceiling', () => {
    const policy = { baseSeconds: 2, maxSeconds: 20 };
    expect([1, 2, 3, 4, 5, 6].map((count) => retryDelaySeconds(new Error('503'), count, policy))).toEqual([
      2, 4, 8, 16, 20, 20,
    ]);
  });

  it('treats a missing or nonsensical receive count as the first receive', () => {
    expect(retryDelaySeconds(new Error('x'), 0)).toBe(RetryDelayDefaults.baseSeconds);
    expect(retryDelaySeconds(new Error('x'), Number.NaN)).toBe(RetryDelayDefaults.baseSeconds);
  });

  it('ignores a retryAfterMs that is not a usable number', () => {
    const error = Object.assign(new Error('x'), { retryAfterMs: -5 });
    expect(retryDelaySeconds(error, 1)).toBe(RetryDelayDefaults.baseSeconds);
  });
});

describe('retryDelaySeconds for a call an open circuit refused', () => {
  it('waits out the rest of the cooldown, with up to 20 % jitter', () => {
    expect(retryDelaySeconds(new CircuitOpenError('c', 'OPEN', 20_000, 'open'), 1)).toBe(20);
    expect(
      retryDelaySeconds(new CircuitOpenError('c', 'OPEN', 20_000, 'open'), 1, RetryDelayDefaults, 0.5),
    ).toBe(22);
  });

  it('keeps a half-open rejection away for at least 5 s, so it does not burn a receive every second', () => {
    expect(retryDelaySeconds(new CircuitOpenError('c', 'HALF_OPEN', 800, 'slots taken'), 7)).toBe(5);
  });

  it('recognises a refused call by its shape, whichever breaker threw it (the batch layer imports none)', () => {
    const refused = Object.assign(new Error('refused'), { name: 'CircuitOpenError', retryAfterMs: 800 });
    expect(retryDelaySeconds(refused, 7)).toBe(5);
    const forcedOpen = Object.assign(new Error('forced'), {
      name: 'CircuitOpenError',
      retryAfterMs: Infinity,
    });
    expect(retryDelaySeconds(forcedOpen, 1)).toBe(43_200);
  });
});
