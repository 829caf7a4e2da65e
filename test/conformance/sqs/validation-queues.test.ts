import { CreateQueueCommand, DeleteQueueCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe } from 'vitest';
import { type ConformanceCase, conformanceCases } from '../support/cases';
import { type ConformanceTarget, startConformanceTarget } from '../support/target';
import { API, createQueue, expectSdkError, GUIDE } from './support';

/** Validation AWS performs on queues: names, the queue type, attribute values, redrive policies, encryption. */

let target: ConformanceTarget;
beforeAll(async () => {
  target = await startConformanceTarget(process.env, { dynamoDb: false });
});
afterAll(async () => {
  await target?.stop();
});

const NAME_RULE = 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length';

const cases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'queue names: characters outside alphanumerics, hyphens and underscores are InvalidParameterValue',
    source: `${API}/API_CreateQueue.html#API_CreateQueue_RequestParameters`,
    run: async (t) => {
      for (const name of [`${t.uniqueName('a')}/b`, `${t.uniqueName('a')} b`, `${t.uniqueName('in')}.fo`]) {
        await expectSdkError(t.sqs.send(new CreateQueueCommand({ QueueName: name })), {
          name: 'InvalidParameterValue',
          message: NAME_RULE,
        });
      }
    },
  },
  {
    name: 'queue names: 80 characters are allowed, 81 are InvalidParameterValue',
    source: `${API}/API_CreateQueue.html#API_CreateQueue_RequestParameters`,
    run: async (t) => {
      const base = t.uniqueName('long');
      const ok = base + 'x'.repeat(80 - base.length);
      const { QueueUrl } = await t.sqs.send(new CreateQueueCommand({ QueueName: ok }));
      t.onStop(() => t.sqs.send(new DeleteQueueCommand({ QueueUrl })));
      await expectSdkError(t.sqs.send(new CreateQueueCommand({ QueueName: `${ok}x` })), {
        name: 'InvalidParameterValue',
        message: NAME_RULE,
      });
    },
  },
  {
    name: 'a standard queue cannot have the .fifo suffix',
    source: `${API}/API_CreateQueue.html#API_CreateQueue_RequestParameters`,
    run: async (t) => {
      await expectSdkError(t.sqs.send(new CreateQueueCommand({ QueueName: `${t.uniqueName('std')}.fifo` })), {
        name: 'InvalidParameterValue',
      });
    },
  },
  {
    name: 'a FIFO queue needs the .fifo suffix',
    source: `${API}/API_CreateQueue.html#API_CreateQueue_RequestParameters`,
    run: async (t) => {
      await expectSdkError(
        t.sqs.send(
          new CreateQueueCommand({ QueueName: t.uniqueName('fifo'), Attributes: { FifoQueue: 'true' } }),
        ),
        { name: 'InvalidParameterValue' },
      );
    },
  },
  {
    name: 'FIFO-only attributes on a standard queue are InvalidAttributeName',
    source: `${API}/API_CreateQueue.html#API_CreateQueue_RequestParameters`,
    run: async (t) => {
      const name = t.uniqueName('std-fifo-attrs');
      const expectations: [Record<string, string>, string][] = [
        [{ FifoQueue: 'false' }, 'Unknown Attribute FifoQueue.'],
        [{ ContentBasedDeduplication: 'false' }, 'Unknown Attribute ContentBasedDeduplication.'],
        [
          { DeduplicationScope: 'queue' },
          'You can specify the DeduplicationScope only when FifoQueue is set to true.',
        ],
        [
          { FifoThroughputLimit: 'perQueue' },
          'You can specify the FifoThroughputLimit only when FifoQueue is set to true.',
        ],
      ];
      for (const [attributes, message] of expectations) {
        await expectSdkError(
          t.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes })),
          {
            name: 'InvalidAttributeName',
            message,
          },
        );
      }
    },
  },
  {
    name: 'the queue type cannot change: FifoQueue on a standard queue is unknown, false on a FIFO queue invalid',
    source: `${API}/API_SetQueueAttributes.html#API_SetQueueAttributes_RequestParameters`,
    run: async (t) => {
      const standard = await createQueue(t, 'set-std');
      for (const value of ['true', 'false']) {
        await expectSdkError(
          t.sqs.send(
            new SetQueueAttributesCommand({ QueueUrl: standard.url, Attributes: { FifoQueue: value } }),
          ),
          { name: 'InvalidAttributeName', message: 'Unknown Attribute FifoQueue.' },
        );
      }
      const fifo = await createQueue(t, 'set-fifo', { fifo: true });
      await t.sqs.send(
        new SetQueueAttributesCommand({ QueueUrl: fifo.url, Attributes: { FifoQueue: 'true' } }),
      );
      await expectSdkError(
        t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: fifo.url, Attributes: { FifoQueue: 'false' } })),
        {
          name: 'InvalidAttributeValue',
          message:
            'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.',
        },
      );
    },
  },
  {
    name: 'attribute values out of range are InvalidAttributeValue “Invalid value for the parameter …”',
    source: `${API}/API_SetQueueAttributes.html#API_SetQueueAttributes_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'ranges');
      const invalid: [string, string][] = [
        ['VisibilityTimeout', '43201'],
        ['VisibilityTimeout', '-1'],
        ['DelaySeconds', '901'],
        ['MessageRetentionPeriod', '59'],
        ['MessageRetentionPeriod', '1209601'],
        ['MaximumMessageSize', '1023'],
        ['MaximumMessageSize', '1048577'],
        ['ReceiveMessageWaitTimeSeconds', '21'],
        ['DelaySeconds', 'abc'],
        ['DelaySeconds', '5.5'],
        ['KmsDataKeyReusePeriodSeconds', '59'],
      ];
      for (const [name, value] of invalid) {
        await expectSdkError(
          t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { [name]: value } })),
          { name: 'InvalidAttributeValue', message: `Invalid value for the parameter ${name}.` },
        );
      }
    },
  },
  {
    name: 'attribute values at the ends of their ranges are accepted',
    source: `${API}/API_SetQueueAttributes.html#API_SetQueueAttributes_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'range-ends');
      await t.sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: queue.url,
          Attributes: {
            VisibilityTimeout: '43200',
            DelaySeconds: '900',
            MessageRetentionPeriod: '60',
            MaximumMessageSize: '1024',
            ReceiveMessageWaitTimeSeconds: '20',
          },
        }),
      );
      await t.sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: queue.url,
          Attributes: {
            VisibilityTimeout: '0',
            DelaySeconds: '0',
            MessageRetentionPeriod: '1209600',
            MaximumMessageSize: '1048576',
          },
        }),
      );
    },
  },
  {
    name: 'an unknown queue attribute is InvalidAttributeName',
    source: `${API}/API_CreateQueue.html#API_CreateQueue_Errors`,
    run: async (t) => {
      await expectSdkError(
        t.sqs.send(
          new CreateQueueCommand({ QueueName: t.uniqueName('unknown'), Attributes: { Foo: 'bar' } as never }),
        ),
        { name: 'InvalidAttributeName', message: 'Unknown Attribute Foo.' },
      );
    },
  },
  {
    name: 'RedrivePolicy: maxReceiveCount outside 1–1000 or missing members are InvalidParameterValue',
    source: `${API}/API_SetQueueAttributes.html#API_SetQueueAttributes_RequestParameters`,
    run: async (t) => {
      const dlq = await createQueue(t, 'redrive-dlq');
      const queue = await createQueue(t, 'redrive-bad');
      const policies = [
        { deadLetterTargetArn: dlq.arn, maxReceiveCount: 0 },
        { deadLetterTargetArn: dlq.arn, maxReceiveCount: 1001 },
        { deadLetterTargetArn: dlq.arn },
        { maxReceiveCount: 5 },
      ];
      for (const policy of policies) {
        const value = JSON.stringify(policy);
        await expectSdkError(
          t.sqs.send(
            new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { RedrivePolicy: value } }),
          ),
          {
            name: 'InvalidParameterValue',
            message: /^Value .* for parameter RedrivePolicy is invalid\. Reason: /,
          },
        );
      }
    },
  },
  {
    name: 'RedrivePolicy: a dead-letter target that does not exist, or of the other queue type, is InvalidParameterValue',
    source: `${GUIDE}/sqs-dead-letter-queues.html`,
    run: async (t) => {
      const standard = await createQueue(t, 'redrive-std');
      const fifoDlq = await createQueue(t, 'redrive-fifo-dlq', { fifo: true });
      const set = (target: string) =>
        t.sqs.send(
          new SetQueueAttributesCommand({
            QueueUrl: standard.url,
            Attributes: {
              RedrivePolicy: JSON.stringify({ deadLetterTargetArn: target, maxReceiveCount: 3 }),
            },
          }),
        );
      await expectSdkError(set(`${standard.arn}-missing`), {
        name: 'InvalidParameterValue',
        message: /Reason: Dead letter target does not exist\.$/,
      });
      await expectSdkError(set(fifoDlq.arn), {
        name: 'InvalidParameterValue',
        message: /Reason: Dead-letter queue must be same type of queue as the source\./,
      });
    },
  },
  {
    name: 'KMS and SQS-managed encryption together are InvalidAttributeName',
    source: `${API}/API_SetQueueAttributes.html#API_SetQueueAttributes_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'sse-both');
      await expectSdkError(
        t.sqs.send(
          new SetQueueAttributesCommand({
            QueueUrl: queue.url,
            Attributes: { KmsMasterKeyId: 'testKeyId', SqsManagedSseEnabled: 'true' },
          }),
        ),
        {
          name: 'InvalidAttributeName',
          message:
            'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.',
        },
      );
    },
  },
  {
    name: 'FifoThroughputLimit perMessageGroupId needs DeduplicationScope messageGroup',
    source: `${GUIDE}/high-throughput-fifo.html`,
    run: async (t) => {
      await expectSdkError(
        t.sqs.send(
          new CreateQueueCommand({
            QueueName: `${t.uniqueName('throughput')}.fifo`,
            Attributes: {
              FifoQueue: 'true',
              DeduplicationScope: 'queue',
              FifoThroughputLimit: 'perMessageGroupId',
            },
          }),
        ),
        { name: 'InvalidAttributeValue', message: /^Invalid value for the parameter FifoThroughputLimit\./ },
      );
    },
  },
];

describe('SQS validation: queues', () => {
  conformanceCases(cases, () => target, { concurrent: true });
});
