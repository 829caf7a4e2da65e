import { ChangeMessageVisibilityCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { replayDlq } from '@breakwater/dlq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VisibilityKeeper } from '../../../packages/dlq/src/visibility';
import {
  createRedrivePair,
  depthOf,
  drain,
  eventIdOf,
  type LocalSqs,
  orderCreatedBody,
  seed,
  startLocalSqs,
} from './fixtures';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('visibility while a replay holds messages (fauxqs)', () => {
  let local: LocalSqs;

  beforeAll(async () => {
    local = await startLocalSqs();
  });
  afterAll(async () => {
    await local.stop();
  });

  it('the keeper extends held messages past their timeout and releases them at the end', async () => {
    const { dlq } = await createRedrivePair(local.sqs, 'kept');
    await seed(local.sqs, dlq, [{ body: orderCreatedBody() }]);
    const out = await local.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, VisibilityTimeout: 2 }));
    const [message] = out.Messages ?? [];
    const keeper = new VisibilityKeeper(local.sqs, dlq.url, 2);
    keeper.track(message?.MessageId ?? '', message?.ReceiptHandle ?? '');

    await pause(1_200);
    await keeper.extendDue();
    await pause(1_500);

    expect(await depthOf(local.sqs, dlq)).toEqual({ visible: 0, inFlight: 1 });
    await keeper.releaseAll();
    expect(await depthOf(local.sqs, dlq)).toEqual({ visible: 1, inFlight: 0 });
  });

  it('sends nothing twice when visibility timeouts lapse mid-run', async () => {
    const { source, dlq } = await createRedrivePair(local.sqs, 'lapsing');
    const eur = Array.from({ length: 20 }, () => orderCreatedBody({ currency: 'EUR' }));
    const usd = Array.from({ length: 10 }, () => orderCreatedBody({ currency: 'USD' }));
    await seed(
      local.sqs,
      dlq,
      [...eur, ...usd].map((body) => ({ body })),
    );
    let receives = 0;
    local.sqs.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'ReceiveMessageCommand') {
          receives += ((result.output as { Messages?: unknown[] }).Messages ?? []).length;
        }
        return result;
      },
      { step: 'initialize', name: 'countReceives' },
    );
    let lapsed = 0;
    const lapse = async (): Promise<void> => {
      // What an expired visibility timeout does: every message the run holds becomes visible again.
      const inflight = local.server.inspectQueue(dlq.name)?.messages.inflight ?? [];
      lapsed += inflight.length;
      for (const { receiptHandle } of inflight) {
        await local.sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: dlq.url,
            ReceiptHandle: receiptHandle,
            VisibilityTimeout: 0,
          }),
        );
      }
    };
    let progressCalls = 0;
    let lapsing = Promise.resolve();

    const report = await replayDlq({ sqs: local.sqs }, dlq.url, {
      selection: { where: ['detail.data.currency=EUR'] },
      ratePerSecond: 10,
      concurrency: 2,
      onProgress: () => {
        progressCalls += 1;
        if (progressCalls <= 2) lapsing = lapsing.then(lapse);
      },
    });
    await lapsing;
    local.sqs.middlewareStack.remove('countReceives');

    expect(lapsed).toBeGreaterThan(0);
    expect(receives).toBeGreaterThan(30);
    expect(report.totals).toMatchObject({ received: 30, replayed: 20, skipped: 10, failed: 0 });
    const delivered = await drain(local.sqs, source);
    expect(delivered).toHaveLength(20);
    expect(new Set(delivered.map((m) => eventIdOf(m.Body ?? '')))).toEqual(new Set(eur.map(eventIdOf)));
    expect(await depthOf(local.sqs, dlq)).toEqual({ visible: 10, inFlight: 0 });
  });
});
