import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../packages/dlq/src/rate';
import { hasFailures, ReportBuilder, reasonCounts } from '../../../packages/dlq/src/report';
import type { MessageOutcome } from '../../../packages/dlq/src/types';

const outcome = (messageId: string, result: MessageOutcome['result'], reason?: string): MessageOutcome => ({
  messageId,
  eventId: `e-${messageId}`,
  eventType: 'order.created',
  destination: result === 'skipped' ? undefined : 'arn:aws:sqs:us-east-1:0:billing',
  result,
  reason,
});

const header = {
  runId: 'run-1',
  queue: { url: 'u', arn: 'a', name: 'billing-dlq' },
  mode: 'replay' as const,
  selection: {},
  startedAt: '2025-06-01T12:00:00.000Z',
  stoppedBecause: 'drained' as const,
  interrupted: false,
};

describe('ReportBuilder', () => {
  it('keeps the first outcome per message id and counts each result', () => {
    const report = new ReportBuilder();
    expect(report.record(outcome('1', 'replayed'))).toBe(true);
    expect(report.record(outcome('1', 'failed', 'again'))).toBe(false);
    report.record(outcome('2', 'skipped', 'not selected: --where detail.data.currency=EUR'));
    report.record(outcome('3', 'failed', 'destination missing: queue x does not exist'));
    report.record(outcome('4', 'would-replay'));
    expect(report.totals).toEqual({ received: 4, replayed: 1, skipped: 1, failed: 1, wouldReplay: 1 });
    report.amend('3', 'changed');
    expect(report.get('3')).toMatchObject({ result: 'failed', reason: 'changed' });
  });

  it('builds the report with duration and rate, and tells failures apart from skips', () => {
    const builder = new ReportBuilder();
    for (let index = 0; index < 20; index += 1) builder.record(outcome(String(index), 'replayed'));
    builder.record(outcome('s', 'skipped', 'malformed: body is not JSON'));
    const report = builder.build(header, new Date('2025-06-01T12:00:02.000Z'));
    expect(report).toMatchObject({
      durationMs: 2000,
      messagesPerSecond: 10,
      finishedAt: '2025-06-01T12:00:02.000Z',
    });
    expect(report.messages).toHaveLength(21);
    expect(hasFailures(report)).toBe(false);
    builder.record(outcome('f', 'failed', 'x'));
    expect(hasFailures(builder.build(header, new Date()))).toBe(true);
    expect(hasFailures({ ...report, error: { name: 'PermissionDeniedError', message: 'm' } })).toBe(true);
  });

  it('groups reasons by their first clauses, most frequent first', () => {
    const builder = new ReportBuilder();
    builder.record(outcome('1', 'skipped', 'not selected: event type payment.failed not in --type'));
    builder.record(outcome('2', 'skipped', 'not selected: event type payment.failed not in --type'));
    builder.record(
      outcome('3', 'skipped', 'malformed: invalid data for order.created v1: currency: must be'),
    );
    builder.record(outcome('4', 'replayed'));
    expect(reasonCounts(builder.build(header, new Date()))).toEqual([
      { result: 'skipped', reason: 'not selected: event type payment.failed not in --type', count: 2 },
      { result: 'skipped', reason: 'malformed: invalid data for order.created v1', count: 1 },
    ]);
  });
});

describe('RateLimiter', () => {
  it('is free without a rate until throttled, then pauses with growing back-off', () => {
    let now = 0;
    const limiter = new RateLimiter({ clock: () => now, random: () => 0.5, initialBackoffMs: 100 });
    expect(limiter.reserve(1000)).toBe(0);
    expect(limiter.throttled()).toBe(75);
    expect(limiter.reserve(1)).toBe(75);
    expect(limiter.throttled()).toBe(150);
    now = 1_000;
    expect(limiter.reserve(1)).toBe(0);
    limiter.succeeded();
    expect(limiter.throttled()).toBe(75);
  });

  it('spaces sends to the target rate and halves it on throttling, recovering step by step', () => {
    let now = 0;
    const limiter = new RateLimiter({ ratePerSecond: 100, clock: () => now, random: () => 0 });
    expect(limiter.reserve(10)).toBe(0);
    expect(limiter.reserve(10)).toBe(100);
    now = 200;
    expect(limiter.reserve(10)).toBe(0);
    limiter.throttled();
    expect(limiter.currentRate).toBe(50);
    limiter.succeeded(1);
    expect(limiter.currentRate).toBe(60);
    limiter.succeeded(10);
    expect(limiter.currentRate).toBe(100);
  });
});
