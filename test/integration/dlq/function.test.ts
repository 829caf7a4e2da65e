import { createClients } from '@breakwater/dlq';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../../functions/dlq-replay/config';
import { parseRequest, runDlqReplay } from '../../../functions/dlq-replay/core';
import { createDlqReplayHandler } from '../../../functions/dlq-replay/handler';
import { lambdaContext } from '../../support/lambda';
import { quietObservability } from '../../support/observability';
import {
  createRedrivePair,
  depthOf,
  drain,
  type LocalSqs,
  orderCreatedBody,
  seed,
  startLocalSqs,
} from './fixtures';

describe('dlq-replay function (fauxqs)', () => {
  let local: LocalSqs;

  beforeAll(async () => {
    local = await startLocalSqs();
  });
  afterAll(async () => {
    await local.stop();
  });

  it('replays a bounded number of messages per invocation; the next invocation continues', async () => {
    const { source, dlq } = await createRedrivePair(local.sqs, 'fn-bounded');
    await seed(
      local.sqs,
      dlq,
      Array.from({ length: 25 }, () => ({ body: orderCreatedBody() })),
    );
    const config = loadConfig({ DLQ_REPLAY_MAX_MESSAGES: '10', DLQ_REPLAY_CONCURRENCY: '2' });

    const first = await runDlqReplay({ sqs: local.sqs }, parseRequest({ queue: dlq.name }), config, 60_000);
    expect(first).toMatchObject({
      stoppedBecause: 'max-reached',
      totals: { replayed: 10 },
      messagesOmitted: 0,
    });
    const second = await runDlqReplay(
      { sqs: local.sqs },
      parseRequest({ queue: dlq.name, max: 50 }),
      config,
      60_000,
    );
    expect(second.totals.replayed).toBe(10);
    expect(await depthOf(local.sqs, dlq)).toEqual({ visible: 5, inFlight: 0 });
    expect(await drain(local.sqs, source)).toHaveLength(20);
  });

  it('stops before the invocation runs out of time, releases what it held and reports', async () => {
    const { source, dlq } = await createRedrivePair(local.sqs, 'fn-deadline');
    await seed(
      local.sqs,
      dlq,
      Array.from({ length: 40 }, () => ({ body: orderCreatedBody() })),
    );
    const config = loadConfig({ DLQ_REPLAY_SAFETY_MARGIN_MS: '1000', DLQ_REPLAY_CONCURRENCY: '2' });

    // 2.5 s left and a 1 s margin: 1.5 s of work at 5 msgs/s cannot finish 40 messages.
    const report = await runDlqReplay(
      { sqs: local.sqs },
      parseRequest({ queue: dlq.name, ratePerSecond: 5 }),
      config,
      2_500,
    );

    expect(report.interrupted).toBe(true);
    expect(report.totals.replayed).toBeGreaterThan(0);
    expect(report.totals.replayed).toBeLessThan(40);
    expect(await depthOf(local.sqs, dlq)).toEqual({ visible: 40 - report.totals.replayed, inFlight: 0 });
    expect(await drain(local.sqs, source)).toHaveLength(report.totals.replayed);
  });

  it('the handler reaches SQS through ordinary SDK configuration and honours dryRun and selection', async () => {
    const { dlq } = await createRedrivePair(local.sqs, 'fn-handler');
    await seed(local.sqs, dlq, [
      { body: orderCreatedBody({ currency: 'EUR' }) },
      { body: orderCreatedBody({ currency: 'USD' }) },
    ]);
    // Only the environment, as the local cloud's Lambda runner would set it.
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: local.server.address,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    onTestFinished(() => {
      process.env = saved;
    });
    const handler = createDlqReplayHandler(
      async () => ({ config: loadConfig({}), clients: createClients() }),
      quietObservability('dlq-replay'),
    );

    const report = await handler(
      { queue: dlq.url, selection: { where: ['detail.data.currency=EUR'] }, dryRun: true },
      lambdaContext({ getRemainingTimeInMillis: () => 60_000 }),
    );

    expect(report).toMatchObject({ mode: 'dry-run', totals: { wouldReplay: 1, skipped: 1 } });
    expect(await depthOf(local.sqs, dlq)).toEqual({ visible: 2, inFlight: 0 });
    await expect(handler({ queue: dlq.url, dryrun: true }, lambdaContext())).rejects.toThrow(
      /invalid DLQ replay request/,
    );
    await expect(handler({ queue: 'no-such-dlq' }, lambdaContext())).rejects.toMatchObject({
      name: 'QueueNotFoundError',
    });
  });
});
