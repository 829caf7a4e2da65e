import { replayDlq } from '@breakwater/dlq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('replay destinations: FIFO, EventBridge targets, --to (fauxqs)', () => {
  let local: LocalSqs;

  beforeAll(async () => {
    local = await startLocalSqs();
  });
  afterAll(async () => {
    await local.stop();
  });

  it('preserves FIFO group and deduplication ids, in order within a group', async () => {
    const { source, dlq } = await createRedrivePair(local.sqs, 'fifo-orders', true);
    const bodies = Array.from({ length: 6 }, () => orderCreatedBody());
    await seed(
      local.sqs,
      dlq,
      bodies.map((body, index) => ({ body, groupId: `order-${index % 2}`, dedupId: `dedup-${index}` })),
    );

    const report = await replayDlq({ sqs: local.sqs }, dlq.url, { concurrency: 2 });

    expect(report.totals).toMatchObject({ replayed: 6, failed: 0 });
    const moved = await drain(local.sqs, source);
    expect(moved).toHaveLength(6);
    for (const message of moved) {
      const index = bodies.indexOf(message.Body ?? '');
      expect(message.Attributes?.MessageGroupId).toBe(`order-${index % 2}`);
      expect(message.Attributes?.MessageDeduplicationId).toBe(`dedup-${index}`);
    }
    for (const group of ['order-0', 'order-1']) {
      const order = moved
        .filter((m) => m.Attributes?.MessageGroupId === group)
        .map((m) => bodies.indexOf(m.Body ?? ''));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it('re-delivers an EventBridge target dead letter to the SQS target it names, minus the failure attributes', async () => {
    const target = await createQueue(local.sqs, 'billing-target');
    const dlq = await createQueue(
      local.sqs,
      'rule-target-dlq',
      {},
      {
        'breakwater:role': 'dlq',
        'breakwater:dlq-kind': 'eventbridge-target',
      },
    );
    const body = orderCreatedBody();
    await seed(local.sqs, dlq, [
      {
        body,
        attributes: {
          RULE_ARN: str('arn:aws:events:us-east-1:000000000000:rule/breakwater-bus/order-created-to-billing'),
          TARGET_ARN: str(target.arn),
          ERROR_CODE: str('SQSClientException'),
          ERROR_MESSAGE: str('Access to the resource is denied'),
          tenant: str('t-9'),
        },
      },
      {
        body: orderCreatedBody(),
        attributes: {
          TARGET_ARN: str('arn:aws:sqs:us-east-1:000000000000:deleted-queue'),
          ERROR_CODE: str('SQSClientException'),
        },
      },
    ]);

    const dryRun = await replayDlq({ sqs: local.sqs }, dlq.url, {
      dryRun: true,
      selection: { errorCodes: ['SQSClientException'] },
    });
    expect(dryRun.totals).toMatchObject({ wouldReplay: 1, failed: 1 });

    const report = await replayDlq({ sqs: local.sqs }, dlq.url, {
      selection: { errorCodes: ['SQSClientException'] },
    });

    expect(report.totals).toMatchObject({ replayed: 1, failed: 1 });
    expect(report.messages.find((m) => m.result === 'replayed')).toMatchObject({
      eventId: eventIdOf(body),
      destination: target.arn,
    });
    expect(report.messages.find((m) => m.result === 'failed')?.reason).toMatch(
      /destination missing: queue .*deleted-queue/,
    );
    const delivered = await drain(local.sqs, target);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.Body).toBe(body);
    expect(delivered[0]?.MessageAttributes).toEqual({ tenant: str('t-9') });
    expect(await depthOf(local.sqs, dlq)).toEqual({ visible: 1, inFlight: 0 });
  });

  it('--to sends to the named queue and an unknown --to fails before touching anything', async () => {
    const { dlq } = await createRedrivePair(local.sqs, 'redirect');
    const elsewhere = await createQueue(local.sqs, 'redirect-elsewhere');
    await seed(local.sqs, dlq, [{ body: orderCreatedBody() }]);

    await expect(replayDlq({ sqs: local.sqs }, dlq.url, { to: 'no-such-queue' })).rejects.toMatchObject({
      name: 'QueueNotFoundError',
    });
    expect(await depthOf(local.sqs, dlq)).toEqual({ visible: 1, inFlight: 0 });

    const report = await replayDlq({ sqs: local.sqs }, dlq.url, { to: elsewhere.name });
    expect(report.totals.replayed).toBe(1);
    expect(await drain(local.sqs, elsewhere)).toHaveLength(1);
  });

  it('reports messages whose source queue was deleted as failed and keeps them', async () => {
    const { source, dlq } = await createRedrivePair(local.sqs, 'gone');
    await seed(local.sqs, dlq, [{ body: orderCreatedBody() }, { body: orderCreatedBody() }]);
    local.server.deleteQueue(source.name);
    // The redrive policy went with the source: nothing says where these messages belong any more.
    const report = await replayDlq({ sqs: local.sqs }, dlq.url);

    expect(report.totals).toMatchObject({ failed: 2, replayed: 0 });
    expect(report.messages[0]?.reason).toMatch(/no source queue/);
    expect(await depthOf(local.sqs, dlq)).toEqual({ visible: 2, inFlight: 0 });
  });

  it('backs off and retries when the destination throttles, still sending each message once', async () => {
    const { source, dlq } = await createRedrivePair(local.sqs, 'throttled');
    await seed(
      local.sqs,
      dlq,
      Array.from({ length: 30 }, () => ({ body: orderCreatedBody() })),
    );
    let throttled = 0;
    // Emulators do not throttle: refuse the first three send batches as SQS does under load.
    local.sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'SendMessageBatchCommand' && throttled < 3) {
          throttled += 1;
          throw Object.assign(new Error('Rate exceeded'), {
            name: 'RequestThrottled',
            $metadata: { httpStatusCode: 400 },
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'throttleForTest' },
    );

    const report = await replayDlq({ sqs: local.sqs }, dlq.url, { concurrency: 2 });
    local.sqs.middlewareStack.remove('throttleForTest');

    expect(throttled).toBe(3);
    expect(report.totals).toMatchObject({ replayed: 30, failed: 0 });
    const delivered = await drain(local.sqs, source);
    expect(new Set(delivered.map((m) => eventIdOf(m.Body ?? ''))).size).toBe(30);
    expect(delivered).toHaveLength(30);
  });
});
