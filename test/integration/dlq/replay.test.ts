import { replayDlq } from '@breakwater/dlq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEventEnvelope } from '../../../shared/contracts';
import {
  createQueue,
  createRedrivePair,
  depthOf,
  drain,
  eventIdOf,
  type LocalSqs,
  orderCreatedBody,
  seed,
  startLocalSqs,
  str,
} from './fixtures';

describe('replay against real SQS semantics (fauxqs)', () => {
  let local: LocalSqs;
  let run = 0;
  const pair = () => {
    run += 1;
    return createRedrivePair(local.sqs, `replay-${run}`);
  };

  beforeAll(async () => {
    local = await startLocalSqs();
  });
  afterAll(async () => {
    await local.stop();
  });

  it('dry run reports what would be replayed and changes nothing', async () => {
    const { source, dlq } = await pair();
    await seed(local.sqs, dlq, [
      { body: orderCreatedBody() },
      { body: orderCreatedBody() },
      { body: 'not json' },
    ]);

    const report = await replayDlq({ sqs: local.sqs }, dlq.url, { dryRun: true });

    expect(report.mode).toBe('dry-run');
    expect(report.totals).toMatchObject({ received: 3, wouldReplay: 2, skipped: 1, replayed: 0, failed: 0 });
    expect(report.messages.filter((m) => m.result === 'would-replay').map((m) => m.destination)).toEqual([
      source.arn,
      source.arn,
    ]);
    expect(await depthOf(local.sqs, dlq)).toEqual({ visible: 3, inFlight: 0 });
    expect(await depthOf(local.sqs, source)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('moves only the selected messages back to the source, attributes preserved', async () => {
    const { source, dlq } = await pair();
    const eur = orderCreatedBody({ currency: 'EUR' });
    await seed(local.sqs, dlq, [
      { body: eur, attributes: { tenant: str('t-1'), traceparent: str('00-abc-01') } },
      { body: orderCreatedBody({ currency: 'USD' }), attributes: { tenant: str('t-2') } },
      { body: orderCreatedBody({ currency: 'GBP' }) },
    ]);

    const report = await replayDlq({ sqs: local.sqs }, dlq.name, {
      selection: { types: ['order.created'], where: ['detail.data.currency=EUR'] },
    });

    expect(report.totals).toMatchObject({ replayed: 1, skipped: 2, failed: 0 });
    const replayed = report.messages.find((m) => m.result === 'replayed');
    expect(replayed).toMatchObject({
      eventId: eventIdOf(eur),
      eventType: 'order.created',
      destination: source.arn,
    });
    const moved = await drain(local.sqs, source);
    expect(moved).toHaveLength(1);
    expect(moved[0]?.Body).toBe(eur);
    expect(moved[0]?.MessageAttributes).toEqual({ tenant: str('t-1'), traceparent: str('00-abc-01') });
    expect((await depthOf(local.sqs, dlq)).visible).toBe(2);
  });

  it('--keep copies: the source gets the message and the DLQ keeps it', async () => {
    const { source, dlq } = await pair();
    await seed(local.sqs, dlq, [{ body: orderCreatedBody() }, { body: orderCreatedBody() }]);

    const report = await replayDlq({ sqs: local.sqs }, dlq.url, { keep: true });

    expect(report.mode).toBe('copy');
    expect(report.totals.replayed).toBe(2);
    expect(await drain(local.sqs, source)).toHaveLength(2);
    expect(await depthOf(local.sqs, dlq)).toEqual({ visible: 2, inFlight: 0 });
  });

  it("keeps malformed messages (by the consumers' contract) in the DLQ and reports them", async () => {
    const { source, dlq } = await pair();
    const badEnvelope = JSON.stringify({
      'detail-type': 'order.created',
      source: 'x',
      detail: { id: 'nope' },
    });
    await seed(local.sqs, dlq, [{ body: '{oops' }, { body: badEnvelope }, { body: orderCreatedBody() }]);

    const report = await replayDlq({ sqs: local.sqs }, dlq.url, { checkEvent: checkEventEnvelope });

    expect(report.totals).toMatchObject({ replayed: 1, skipped: 2, failed: 0 });
    const reasons = report.messages.filter((m) => m.result === 'skipped').map((m) => m.reason ?? '');
    expect(reasons.some((r) => r.startsWith('malformed: body is not JSON'))).toBe(true);
    expect(reasons.some((r) => r.startsWith('malformed: malformed event envelope'))).toBe(true);
    expect(await drain(local.sqs, source)).toHaveLength(1);
    const left = await drain(local.sqs, dlq);
    expect(left.map((m) => m.Body).sort()).toEqual(['{oops', badEnvelope].sort());
  });

  it('an interrupted replay resumed later sends every message exactly once', async () => {
    const { source, dlq } = await pair();
    const bodies = Array.from({ length: 120 }, () => orderCreatedBody());
    await seed(
      local.sqs,
      dlq,
      bodies.map((body) => ({ body })),
    );
    const controller = new AbortController();

    const first = await replayDlq({ sqs: local.sqs }, dlq.url, {
      concurrency: 4,
      signal: controller.signal,
      onProgress: ({ totals }) => {
        if (totals.replayed >= 30) controller.abort();
      },
    });

    expect(first.interrupted).toBe(true);
    expect(first.stoppedBecause).toBe('interrupted');
    expect(first.totals.replayed).toBeGreaterThanOrEqual(30);
    expect(first.totals.replayed).toBeLessThan(120);
    // Nothing is left hidden: what was not replayed is visible again at once.
    expect(await depthOf(local.sqs, dlq)).toEqual({ visible: 120 - first.totals.replayed, inFlight: 0 });

    const second = await replayDlq({ sqs: local.sqs }, dlq.url, { concurrency: 4 });

    expect(second.interrupted).toBe(false);
    expect(first.totals.replayed + second.totals.replayed).toBe(120);
    const delivered = await drain(local.sqs, source);
    expect(delivered).toHaveLength(120);
    expect(new Set(delivered.map((m) => eventIdOf(m.Body ?? ''))).size).toBe(120);
    expect(await depthOf(local.sqs, dlq)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('never sends one domain event twice in a run and honours --max', async () => {
    const { source, dlq } = await pair();
    const twice = orderCreatedBody();
    await seed(local.sqs, dlq, [
      { body: twice },
      { body: twice },
      ...Array.from({ length: 5 }, () => ({ body: orderCreatedBody() })),
    ]);

    const deduped = await replayDlq({ sqs: local.sqs }, dlq.url, { selection: { ids: [eventIdOf(twice)] } });
    expect(deduped.totals).toMatchObject({ replayed: 1, skipped: 6 });
    expect(deduped.messages.some((m) => m.reason?.startsWith('duplicate: event'))).toBe(true);

    const capped = await replayDlq({ sqs: local.sqs }, dlq.url, { max: 2, concurrency: 1 });
    expect(capped.totals.replayed).toBe(2);
    expect(capped.stoppedBecause).toBe('max-reached');
    expect(await drain(local.sqs, source)).toHaveLength(3);
  });

  it('--max with parallel workers replays exactly max and gives the rest back at once', async () => {
    const { source, dlq } = await pair();
    await seed(
      local.sqs,
      dlq,
      Array.from({ length: 100 }, () => ({ body: orderCreatedBody() })),
    );

    const report = await replayDlq({ sqs: local.sqs }, dlq.url, { max: 25, concurrency: 4 });

    expect(report.totals.replayed).toBe(25);
    expect(report.stoppedBecause).toBe('max-reached');
    expect(await depthOf(local.sqs, dlq)).toEqual({ visible: 75, inFlight: 0 });
    expect(await drain(local.sqs, source)).toHaveLength(25);
  });

  it('fails messages whose source cannot be told, and keeps them', async () => {
    const { dlq } = await createRedrivePair(local.sqs, 'orphan');
    // A second source on the same DLQ: without DeadLetterQueueSourceArn the destination is ambiguous.
    await createQueue(local.sqs, 'orphan-second', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }),
    });
    await seed(local.sqs, dlq, [{ body: orderCreatedBody() }]);

    const report = await replayDlq({ sqs: local.sqs }, dlq.url);

    expect(report.totals.failed).toBe(1);
    expect(report.messages[0]?.reason).toMatch(/2 source queues .* pass --to/);
    expect((await depthOf(local.sqs, dlq)).visible).toBe(1);
  });
});
