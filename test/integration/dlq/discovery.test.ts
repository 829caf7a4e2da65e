import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { findSourceQueues, listDlqs, nativeRedrive, peekMessages, resolveQueue } from '@breakwater/dlq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createQueue,
  createRedrivePair,
  depthOf,
  eventIdOf,
  type LocalSqs,
  orderCreatedBody,
  seed,
  startLocalSqs,
  str,
} from './fixtures';

describe('DLQ discovery and peek (fauxqs)', () => {
  let local: LocalSqs;

  beforeAll(async () => {
    local = await startLocalSqs();
  });
  afterAll(async () => {
    await local.stop();
  });

  it('finds a DLQ through the redrive policy of its source after real redrives', async () => {
    const dlq = await createQueue(local.sqs, 'billing-dlq');
    const source = await createQueue(local.sqs, 'billing', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }),
      VisibilityTimeout: '0',
    });
    await seed(local.sqs, source, [{ body: orderCreatedBody() }, { body: orderCreatedBody() }]);
    // Receive past maxReceiveCount so that SQS itself moves the messages to the DLQ.
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await local.sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 10 }));
    }
    await createQueue(local.sqs, 'unrelated');

    const dlqs = await listDlqs(local.sqs, { namePattern: 'billing*' });

    expect(dlqs).toHaveLength(1);
    expect(dlqs[0]).toMatchObject({ kind: 'sqs-redrive', depth: 2, inFlight: 0, oldestAgeSource: 'peek' });
    expect(dlqs[0]?.queue.arn).toBe(dlq.arn);
    expect(dlqs[0]?.sources.map((s) => s.arn)).toEqual([source.arn]);
    expect(dlqs[0]?.oldestAgeSeconds).toBeGreaterThanOrEqual(0);
    expect((await findSourceQueues(local.sqs, dlq)).map((s) => s.name)).toEqual(['billing']);
    // Listing peeks, and peeking leaves everything in place.
    expect(await depthOf(local.sqs, dlq)).toEqual({ visible: 2, inFlight: 0 });
  });

  it('finds tagged DLQs and tells an EventBridge target DLQ by its tag or its messages', async () => {
    await createQueue(
      local.sqs,
      'tagged-eb-dlq',
      {},
      { 'breakwater:role': 'dlq', 'breakwater:dlq-kind': 'eventbridge-target' },
    );
    const untaggedKind = await createQueue(local.sqs, 'tagged-plain-dlq', {}, { 'breakwater:role': 'dlq' });
    await seed(local.sqs, untaggedKind, [
      {
        body: orderCreatedBody(),
        attributes: {
          RULE_ARN: str('arn:aws:events:us-east-1:000000000000:rule/r'),
          TARGET_ARN: str('arn:aws:lambda:us-east-1:000000000000:function:f'),
        },
      },
    ]);

    const dlqs = await listDlqs(local.sqs, { namePattern: 'tagged-*' });

    expect(dlqs.map((d) => [d.queue.name, d.kind])).toEqual([
      ['tagged-eb-dlq', 'eventbridge-target'],
      ['tagged-plain-dlq', 'eventbridge-target'],
    ]);
    expect(dlqs[1]?.targets).toEqual(['arn:aws:lambda:us-east-1:000000000000:function:f']);
  });

  it('peek shows messages with their event fields and leaves them in the queue', async () => {
    const { dlq } = await createRedrivePair(local.sqs, 'peeked');
    const body = orderCreatedBody({ currency: 'EUR' });
    await seed(local.sqs, dlq, [
      { body, attributes: { ERROR_CODE: str('SQSClientException'), ERROR_MESSAGE: str('boom') } },
      { body: 'plain text' },
    ]);

    const first = await peekMessages(local.sqs, dlq, { max: 10 });
    const second = await peekMessages(local.sqs, dlq, { max: 10 });

    expect(first).toHaveLength(2);
    const event = first.find((m) => m.body === body);
    expect(event).toMatchObject({
      eventId: eventIdOf(body),
      eventType: 'order.created',
      malformed: undefined,
      errorCode: 'SQSClientException',
      errorMessage: 'boom',
      receiveCount: 1,
    });
    expect(event?.sentAt).toBeGreaterThan(0);
    expect(first.find((m) => m.body === 'plain text')?.malformed).toBe('body is not JSON');
    expect(second.find((m) => m.body === body)?.receiveCount).toBe(2);
    expect(await depthOf(local.sqs, dlq)).toEqual({ visible: 2, inFlight: 0 });
  });

  it('resolves names, URLs and ARNs, and rejects unknown queues clearly', async () => {
    const queue = await createQueue(local.sqs, 'resolvable');
    for (const reference of [queue.name, queue.url, queue.arn]) {
      expect(await resolveQueue(local.sqs, reference)).toEqual(queue);
    }
    await expect(resolveQueue(local.sqs, 'missing-queue')).rejects.toMatchObject({
      name: 'QueueNotFoundError',
      message: expect.stringContaining('missing-queue'),
    });
  });

  it('--native says clearly that this endpoint has no move tasks', async () => {
    const { dlq } = await createRedrivePair(local.sqs, 'native');
    await expect(nativeRedrive(local.sqs, dlq.url, { pollIntervalMs: 10 })).rejects.toMatchObject({
      name: 'UnsupportedOperationError',
      message: expect.stringContaining('StartMessageMoveTask'),
    });
  });
});
