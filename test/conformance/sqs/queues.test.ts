import { CreateQueueCommand, DeleteQueueCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type ConformanceCase, conformanceCases } from '../support/cases';
import { type ConformanceTarget, startConformanceTarget } from '../support/target';

let target: ConformanceTarget;
beforeAll(async () => {
  target = await startConformanceTarget();
});
afterAll(async () => {
  await target?.stop();
});

const createQueue = async (t: ConformanceTarget, prefix: string): Promise<string> => {
  const { QueueUrl } = await t.sqs.send(new CreateQueueCommand({ QueueName: t.uniqueName(prefix) }));
  if (QueueUrl === undefined) throw new Error('CreateQueue returned no QueueUrl');
  t.onStop(() => t.sqs.send(new DeleteQueueCommand({ QueueUrl })));
  return QueueUrl;
};

const cases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'GetQueueUrl finds a queue by name',
    source: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueUrl.html',
    run: async (t) => {
      const url = await createQueue(t, 'named');
      const name = url.split('/').at(-1);
      const { QueueUrl } = await t.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
      expect(QueueUrl).toBe(url);
    },
  },
  {
    name: 'GetQueueUrl of a missing queue fails with QueueDoesNotExist',
    source:
      'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueUrl.html#API_GetQueueUrl_Errors',
    run: async (t) => {
      await expect(
        t.sqs.send(new GetQueueUrlCommand({ QueueName: t.uniqueName('missing') })),
      ).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
    },
  },
];

describe('SQS queues', () => {
  conformanceCases(cases, () => target);
});
