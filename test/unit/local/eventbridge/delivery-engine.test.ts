import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeliveryEngine, type DeliveryJob } from '../../../../packages/local-cloud/src/eventbridge/delivery';
import { QUEUE_ARN, RecordingDelivery } from './support';

const job = (overrides: Partial<DeliveryJob> = {}): DeliveryJob => ({
  ruleArn: 'arn:aws:events:us-east-1:000000000000:rule/r',
  targetId: 't',
  targetArn: QUEUE_ARN,
  eventId: 'e-1',
  eventJson: '{}',
  body: '{}',
  ingestedAt: Date.now(),
  maximumRetryAttempts: 185,
  maximumEventAgeInSeconds: 86_400,
  ...overrides,
});

/** Lets the engine's first attempt (started on setImmediate, which stays real) and its promise chains run. */
const settleImmediates = async (): Promise<void> => {
  for (let round = 0; round < 5; round += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe('delivery engine backoff', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('doubles the delay per retry from retryBaseDelayMs, capped by retryMaxDelayMs (lower jitter bound)', async () => {
    const delivery = new RecordingDelivery();
    delivery.failNext(QUEUE_ARN, 4);
    // random() = 0 takes the lowest delay of each step: half of min(max, base × 2^(retry-1)).
    const engine = new DeliveryEngine({
      delivery,
      retryBaseDelayMs: 1000,
      retryMaxDelayMs: 3000,
      random: () => 0,
    });
    engine.submit(job());
    await settleImmediates();
    const attemptsAfter = async (ms: number): Promise<number> => {
      await vi.advanceTimersByTimeAsync(ms);
      await settleImmediates();
      return delivery.attempts.length;
    };
    expect(delivery.attempts).toHaveLength(1);
    expect(await attemptsAfter(499)).toBe(1);
    expect(await attemptsAfter(1)).toBe(2); // retry 1 after 500 ms
    expect(await attemptsAfter(999)).toBe(2);
    expect(await attemptsAfter(1)).toBe(3); // retry 2 after 1000 ms
    expect(await attemptsAfter(1499)).toBe(3);
    expect(await attemptsAfter(1)).toBe(4); // retry 3: 4000 ms capped to 3000, so 1500 ms
    expect(await attemptsAfter(1499)).toBe(4);
    expect(await attemptsAfter(1)).toBe(5); // retry 4: capped again
    await engine.whenIdle();
    expect(engine.metrics()).toMatchObject({
      successfulInvocations: 1,
      retryInvocationAttempts: 4,
      failedAttempts: 4,
    });
  });

  it('spreads delays up to the full step with jitter', async () => {
    const delivery = new RecordingDelivery();
    delivery.failNext(QUEUE_ARN, 1);
    const engine = new DeliveryEngine({ delivery, retryBaseDelayMs: 1000, random: () => 0.999 });
    engine.submit(job());
    await settleImmediates();
    await vi.advanceTimersByTimeAsync(998);
    await settleImmediates();
    expect(delivery.attempts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2);
    await settleImmediates();
    expect(delivery.attempts).toHaveLength(2);
    await engine.whenIdle();
  });

  it('is idle when nothing is pending', async () => {
    const engine = new DeliveryEngine({ delivery: new RecordingDelivery() });
    expect(engine.idle).toBe(true);
    await expect(engine.whenIdle()).resolves.toBeUndefined();
  });
});
