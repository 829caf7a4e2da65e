import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type ConformanceCase, conformanceCases } from '../support/cases';
import { type ConformanceTarget, startConformanceTarget } from '../support/target';
import { API, clientIn, createQueue, eventually, expectSdkError, jsonCall } from './support';

/** Queues: create (idempotent when nothing differs), find, list with prefixes and pages, delete. */

let target: ConformanceTarget;
beforeAll(async () => {
  target = await startConformanceTarget(process.env, { dynamoDb: false });
});
afterAll(async () => {
  await target?.stop();
});

const CREATE = `${API}/API_CreateQueue.html`;
const LIST = `${API}/API_ListQueues.html`;

const cases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'GetQueueUrl finds a queue by name',
    source: `${API}/API_GetQueueUrl.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'named');
      const { QueueUrl } = await t.sqs.send(new GetQueueUrlCommand({ QueueName: queue.name }));
      expect(QueueUrl).toBe(queue.url);
      expect(queue.url.endsWith(`/${queue.name}`)).toBe(true);
    },
  },
  {
    name: 'GetQueueUrl of a missing queue fails with QueueDoesNotExist',
    source: `${API}/API_GetQueueUrl.html#API_GetQueueUrl_Errors`,
    run: async (t) => {
      await expectSdkError(t.sqs.send(new GetQueueUrlCommand({ QueueName: t.uniqueName('missing') })), {
        name: 'QueueDoesNotExist',
      });
    },
  },
  {
    name: 'CreateQueue of an existing queue without attributes, or with the same ones, answers its URL',
    source: CREATE,
    run: async (t) => {
      const queue = await createQueue(t, 'idempotent', {
        attributes: { VisibilityTimeout: '69', ReceiveMessageWaitTimeSeconds: '1' },
      });
      const again = (attributes?: Record<string, string>) =>
        t.sqs.send(
          new CreateQueueCommand({
            QueueName: queue.name,
            ...(attributes === undefined ? {} : { Attributes: attributes }),
          }),
        );
      expect((await again()).QueueUrl).toBe(queue.url);
      expect((await again({ VisibilityTimeout: '69' })).QueueUrl).toBe(queue.url);
      expect((await again({ VisibilityTimeout: '69', ReceiveMessageWaitTimeSeconds: '1' })).QueueUrl).toBe(
        queue.url,
      );
    },
  },
  {
    name: 'CreateQueue of an existing FIFO queue with the same attributes answers its URL',
    source: CREATE,
    run: async (t) => {
      const queue = await createQueue(t, 'fifo-idempotent', { fifo: true });
      const { QueueUrl } = await t.sqs.send(
        new CreateQueueCommand({ QueueName: queue.name, Attributes: { FifoQueue: 'true' } }),
      );
      expect(QueueUrl).toBe(queue.url);
      expect(queue.url.endsWith('.fifo')).toBe(true);
      await expectSdkError(
        t.sqs.send(
          new CreateQueueCommand({
            QueueName: queue.name,
            Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
          }),
        ),
        {
          name: 'QueueNameExists',
          message:
            'A queue already exists with the same name and a different value for attribute ContentBasedDeduplication',
        },
      );
    },
  },
  {
    name: 'messages in a queue do not stop CreateQueue from answering its URL',
    source: CREATE,
    run: async (t) => {
      const queue = await createQueue(t, 'with-messages');
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'a', DelaySeconds: 1 }));
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'b' }));
      expect((await t.sqs.send(new CreateQueueCommand({ QueueName: queue.name }))).QueueUrl).toBe(queue.url);
    },
  },
  {
    name: 'ListQueues filters by name prefix and leaves QueueUrls out when none match',
    source: LIST,
    run: async (t) => {
      const prefix = t.uniqueName('list');
      const urls: string[] = [];
      for (const suffix of ['a-1', 'a-2', 'b-1']) {
        const { QueueUrl = '' } = await t.sqs.send(
          new CreateQueueCommand({ QueueName: `${prefix}-${suffix}` }),
        );
        t.onStop(() => t.sqs.send(new DeleteQueueCommand({ QueueUrl })));
        urls.push(QueueUrl);
      }
      const listed = await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: `${prefix}-a` }));
      expect([...(listed.QueueUrls ?? [])].sort()).toEqual(urls.slice(0, 2).sort());
      const none = await jsonCall(t, 'ListQueues', { QueueNamePrefix: `${prefix}-nonexisting` });
      expect(none.status).toBe(200);
      expect(none.body.QueueUrls).toBeUndefined();
    },
  },
  {
    name: 'ListQueues pages with MaxResults and NextToken',
    source: LIST,
    run: async (t) => {
      const prefix = t.uniqueName('pages');
      for (let i = 0; i < 5; i++) {
        const { QueueUrl = '' } = await t.sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-${i}` }));
        t.onStop(() => t.sqs.send(new DeleteQueueCommand({ QueueUrl })));
      }
      const first = await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2 }));
      expect(first.QueueUrls).toHaveLength(2);
      expect(first.NextToken).toEqual(expect.any(String));
      const rest = await t.sqs.send(
        new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 10, NextToken: first.NextToken }),
      );
      expect(rest.QueueUrls).toHaveLength(3);
      expect(rest.NextToken).toBeUndefined();
      expect(new Set([...(first.QueueUrls ?? []), ...(rest.QueueUrls ?? [])]).size).toBe(5);
    },
  },
  {
    name: 'a deleted queue is soon gone for GetQueueUrl',
    source: `${API}/API_DeleteQueue.html`,
    run: async (t) => {
      const name = t.uniqueName('deleted');
      const { QueueUrl } = await t.sqs.send(new CreateQueueCommand({ QueueName: name }));
      await t.sqs.send(new DeleteQueueCommand({ QueueUrl }));
      await eventually(() =>
        expectSdkError(t.sqs.send(new GetQueueUrlCommand({ QueueName: name })), {
          name: 'QueueDoesNotExist',
        }),
      );
    },
  },
  {
    name: 'a queue name deleted less than 60 s ago cannot be created again: QueueDeletedRecently',
    source: `${API}/API_CreateQueue.html#API_CreateQueue_Errors`,
    run: async (t) => {
      const name = t.uniqueName('recreate');
      const { QueueUrl } = await t.sqs.send(new CreateQueueCommand({ QueueName: name }));
      await t.sqs.send(new DeleteQueueCommand({ QueueUrl }));
      await expectSdkError(t.sqs.send(new CreateQueueCommand({ QueueName: name })), {
        name: 'QueueDeletedRecently',
        code: 'AWS.SimpleQueueService.QueueDeletedRecently',
        message:
          'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
      });
    },
  },
  {
    name: 'queues are regional: the same name in two regions is two queues, each listed and found in its own region',
    source: LIST,
    run: async (t) => {
      const other = t.region === 'eu-central-1' ? 'us-east-1' : 'eu-central-1';
      const remote = clientIn(t, other);
      const name = t.uniqueName('regional');
      const { QueueUrl: here = '' } = await t.sqs.send(new CreateQueueCommand({ QueueName: name }));
      t.onStop(() => t.sqs.send(new DeleteQueueCommand({ QueueUrl: here })));
      const { QueueUrl: there = '' } = await remote.send(new CreateQueueCommand({ QueueName: name }));
      t.onStop(() => remote.send(new DeleteQueueCommand({ QueueUrl: there })));
      expect(there).not.toBe(here);
      expect((await t.sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl).toBe(here);
      expect((await remote.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl).toBe(there);
      expect((await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: name }))).QueueUrls).toEqual([here]);
      expect((await remote.send(new ListQueuesCommand({ QueueNamePrefix: name }))).QueueUrls).toEqual([
        there,
      ]);
    },
  },
  {
    name: 'messages sent in one region stay in that region’s queue',
    source: `${API}/API_SendMessage.html`,
    run: async (t) => {
      const other = t.region === 'eu-central-1' ? 'us-east-1' : 'eu-central-1';
      const remote = clientIn(t, other);
      const name = t.uniqueName('regional-messages');
      const { QueueUrl: here = '' } = await t.sqs.send(new CreateQueueCommand({ QueueName: name }));
      t.onStop(() => t.sqs.send(new DeleteQueueCommand({ QueueUrl: here })));
      const { QueueUrl: there = '' } = await remote.send(new CreateQueueCommand({ QueueName: name }));
      t.onStop(() => remote.send(new DeleteQueueCommand({ QueueUrl: there })));
      await remote.send(new SendMessageCommand({ QueueUrl: there, MessageBody: 'foobar' }));
      expect(
        (await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: here, VisibilityTimeout: 0 }))).Messages,
      ).toBeUndefined();
      const { Messages = [] } = await remote.send(
        new ReceiveMessageCommand({ QueueUrl: there, WaitTimeSeconds: 5 }),
      );
      expect(Messages.map((message) => message.Body)).toEqual(['foobar']);
    },
  },
];

describe('SQS queues', () => {
  conformanceCases(cases, () => target, { concurrent: true });
});
