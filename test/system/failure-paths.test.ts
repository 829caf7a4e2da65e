import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, EventTypes } from '../../shared/contracts';
import { connectToSystem, drainQueue, eventually, type System } from './support/system';

const depth = async (system: System, queueUrl: string): Promise<number> => {
  const { Attributes = {} } = await system.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
};

/** Bodies that the dead-letter queue holds right now (received with a zero visibility timeout, so left in place). */
const dlqBodies = async (system: System, queueUrl: string): Promise<string[]> => {
  const bodies: string[] = [];
  for (let i = 0; i < 5; i += 1) {
    const { Messages = [] } = await system.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
    );
    bodies.push(...Messages.map((message) => message.Body ?? ''));
  }
  return bodies;
};

describe('bad input on a queue', () => {
  let system: System;
  beforeAll(() => {
    system = connectToSystem();
  });
  afterAll(() => system.close());

  it('sends a malformed message to the DLQ (at once: it can never succeed) without failing the valid records beside it', async () => {
    const queueUrl = system.output('NotificationsQueueUrl');
    const dlqUrl = system.output('NotificationsDlqUrl');
    await drainQueue(system, dlqUrl);
    const marker = `malformed-${Date.now()}`;
    const valid = createEvent({
      type: EventTypes.paymentFailed,
      data: { orderId: marker, amountCents: 100, currency: 'EUR', reason: 'declined' },
      correlationId: marker,
    });
    const validBody = JSON.stringify({
      version: '0',
      id: valid.id,
      'detail-type': valid.type,
      source: valid.source,
      account: '000000000000',
      time: valid.occurredAt,
      region: system.description.region,
      resources: [],
      detail: valid,
    });
    await Promise.all([
      system.sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: `{"not": "an event", "marker": "${marker}"}`,
        }),
      ),
      system.sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `${marker} is not JSON at all` }),
      ),
      system.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: validBody })),
    ]);
    const deadLetters = await eventually(
      'both malformed messages in the DLQ',
      async () => {
        const bodies = (await dlqBodies(system, dlqUrl)).filter((body) => body.includes(marker));
        return new Set(bodies).size >= 2 ? bodies : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    expect(deadLetters.some((body) => body.includes(valid.id))).toBe(false);
    // The valid record was processed: nothing of this test is left on the source queue.
    await eventually('the source queue to drain', async () =>
      (await depth(system, queueUrl)) === 0 ? true : undefined,
    );
  });
});
