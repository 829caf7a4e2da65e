import {
  ChangeMessageVisibilityCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type ConformanceCase, conformanceCases } from '../support/cases';
import { type ConformanceTarget, startConformanceTarget } from '../support/target';
import { API, createQueue, expectSdkError, GUIDE, receiveAll } from './support';

/**
 * Validation AWS performs on messages: attribute names, types and values, the character rule, message group and
 * deduplication ids, FIFO-only parameters on standard queues, sizes.
 */

let target: ConformanceTarget;
beforeAll(async () => {
  target = await startConformanceTarget(process.env, { dynamoDb: false });
});
afterAll(async () => {
  await target?.stop();
});

const METADATA = `${GUIDE}/sqs-message-metadata.html`;
const SEND = `${API}/API_SendMessage.html`;

const sendWith = (t: ConformanceTarget, url: string, attributes: Record<string, Record<string, unknown>>) =>
  t.sqs.send(
    new SendMessageCommand({
      QueueUrl: url,
      MessageBody: 'test',
      MessageAttributes: attributes as never,
    }),
  );

const cases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'message attribute names: reserved AWS. and Amazon. prefixes, in any case, are InvalidParameterValue',
    source: METADATA,
    run: async (t) => {
      const queue = await createQueue(t, 'reserved');
      for (const prefix of ['AWS.', 'aWs.', 'Amazon.', 'AMAZON.']) {
        await expectSdkError(
          sendWith(t, queue.url, { [`${prefix}x`]: { DataType: 'String', StringValue: 'v' } }),
          {
            name: 'InvalidParameterValue',
          },
        );
      }
    },
  },
  {
    name: 'message attribute names: a leading or trailing period, or periods in succession, are InvalidParameterValue',
    source: METADATA,
    run: async (t) => {
      const queue = await createQueue(t, 'periods');
      for (const name of ['.x', 'x.', 'a..b']) {
        await expectSdkError(sendWith(t, queue.url, { [name]: { DataType: 'String', StringValue: 'v' } }), {
          name: 'InvalidParameterValue',
        });
      }
    },
  },
  {
    name: 'message attribute names: other characters than alphanumerics, _, - and . are InvalidParameterValue',
    source: METADATA,
    run: async (t) => {
      const queue = await createQueue(t, 'name-chars');
      for (const char of ['!', '"', '§', '(', '?', ' ']) {
        await expectSdkError(
          sendWith(t, queue.url, { [`bad${char}name`]: { DataType: 'String', StringValue: 'v' } }),
          {
            name: 'InvalidParameterValue',
          },
        );
      }
      await sendWith(t, queue.url, { 'attr.1_-x': { DataType: 'String', StringValue: 'valid' } });
    },
  },
  {
    name: 'message attribute names: up to 256 characters',
    source: METADATA,
    run: async (t) => {
      const queue = await createQueue(t, 'name-length');
      await sendWith(t, queue.url, { ['n'.repeat(256)]: { DataType: 'String', StringValue: 'v' } });
      await expectSdkError(
        sendWith(t, queue.url, { ['n'.repeat(257)]: { DataType: 'String', StringValue: 'v' } }),
        {
          name: 'InvalidParameterValue',
        },
      );
    },
  },
  {
    name: 'message attribute types: String, Number and Binary, with custom labels; anything else is refused',
    source: `${API}/API_MessageAttributeValue.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'types');
      await sendWith(t, queue.url, {
        s: { DataType: 'String.custom', StringValue: 'x' },
        n: { DataType: 'Number.float', StringValue: '1.5' },
        b: { DataType: 'Binary.gif', BinaryValue: new Uint8Array([1, 2, 3]) },
      });
      for (const dataType of ['Invalid', 'string', `Number.${'L'.repeat(256)}`]) {
        await expectSdkError(sendWith(t, queue.url, { a: { DataType: dataType, StringValue: '1' } }), {
          name: 'InvalidParameterValue',
        });
      }
    },
  },
  {
    name: 'an empty String attribute value is InvalidParameterValue with AWS’s message',
    source: METADATA,
    run: async (t) => {
      const queue = await createQueue(t, 'empty-value');
      await expectSdkError(
        sendWith(t, queue.url, { ErrorDetails: { DataType: 'String', StringValue: '' } }),
        {
          name: 'InvalidParameterValue',
          message: "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.",
        },
      );
    },
  },
  {
    name: 'a String attribute value with control characters is InvalidParameterValue',
    source: `${SEND}#API_SendMessage_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'value-chars');
      await expectSdkError(
        sendWith(t, queue.url, {
          attr1: {
            DataType: 'String',
            StringValue: `Invalid-${String.fromCharCode(8)},${String.fromCharCode(11)}`,
          },
        }),
        { name: 'InvalidParameterValue' },
      );
    },
  },
  {
    name: 'a Number attribute must be a number of at most 38 digits within ±10^126',
    source: METADATA,
    run: async (t) => {
      const queue = await createQueue(t, 'numbers');
      await sendWith(t, queue.url, { n: { DataType: 'Number', StringValue: '-1.25e10' } });
      await sendWith(t, queue.url, {
        n: { DataType: 'Number', StringValue: '12345678901234567890123456789012345678' },
      });
      for (const value of ['abc', '1e200', '123456789012345678901234567890123456789']) {
        await expectSdkError(sendWith(t, queue.url, { n: { DataType: 'Number', StringValue: value } }), {
          name: 'InvalidParameterValue',
        });
      }
    },
  },
  {
    name: 'at most 10 message attributes',
    source: METADATA,
    run: async (t) => {
      const queue = await createQueue(t, 'ten-attrs');
      const attributes = (n: number) =>
        Object.fromEntries(
          Array.from({ length: n }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]),
        );
      await sendWith(t, queue.url, attributes(10));
      await expectSdkError(sendWith(t, queue.url, attributes(11)), { name: 'InvalidParameterValue' });
    },
  },
  {
    name: 'message bodies: characters outside the allowed set are InvalidMessageContents',
    source: `${SEND}#API_SendMessage_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'body-chars');
      for (const char of ['\u0000', '\u0008', '\u0013', '\uFFFF', '\uFFFE']) {
        await expectSdkError(
          t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: `Invalid-${char}` })),
          {
            name: 'InvalidMessageContents',
            code: 'InvalidMessageContents',
          },
        );
      }
    },
  },
  {
    name: 'message bodies: characters outside the Basic Multilingual Plane (#x10000–#x10FFFF, an emoji) are allowed',
    source: `${SEND}#API_SendMessage_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'emoji');
      const body = 'order for 🎉 party 🍕 — tab\t, newline\n, CR\r, \uE000 and \u{10FFFF}';
      await t.sqs.send(
        new SendMessageCommand({
          QueueUrl: queue.url,
          MessageBody: body,
          MessageAttributes: { note: { DataType: 'String', StringValue: 'thanks 🙏' } },
        }),
      );
      const [message] = await receiveAll(t, { QueueUrl: queue.url, MessageAttributeNames: ['All'] }, 1);
      expect(message?.Body).toBe(body);
      expect(message?.MessageAttributes?.note?.StringValue).toBe('thanks 🙏');
    },
  },
  {
    name: 'a batch fails only the entry with an invalid character, with InvalidMessageContents',
    source: `${API}/API_SendMessageBatch.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'batch-chars');
      const entries = [
        ...Array.from({ length: 9 }, (_, i) => ({ Id: String(i), MessageBody: String(i) })),
        { Id: '9', MessageBody: '\u0001' },
      ];
      const { Successful = [], Failed = [] } = await t.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: entries }),
      );
      expect(Successful).toHaveLength(9);
      expect(Failed).toEqual([
        expect.objectContaining({ Id: '9', Code: 'InvalidMessageContents', SenderFault: true }),
      ]);
    },
  },
  {
    name: 'MessageGroupId on a standard queue: accepted as a fair-queue tenant when well formed, invalid otherwise',
    source: `${SEND}#API_SendMessage_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'fair');
      await t.sqs.send(
        new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'm', MessageGroupId: 'tenant-1' }),
      );
      for (const id of ['', 'a'.repeat(129), 'group 123']) {
        await expectSdkError(
          t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'm', MessageGroupId: id })),
          {
            name: 'InvalidParameterValue',
            message: `Value ${id} for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
          },
        );
      }
    },
  },
  {
    name: 'MessageDeduplicationId on a FIFO queue: 128 alphanumerics or punctuation at most',
    source: `${SEND}#API_SendMessage_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'dedup-format', { fifo: true });
      const send = (id: string) =>
        t.sqs.send(
          new SendMessageCommand({
            QueueUrl: queue.url,
            MessageBody: 'Hello',
            MessageGroupId: 'g',
            MessageDeduplicationId: id,
          }),
        );
      await send('a'.repeat(128));
      await send('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
      for (const id of ['', 'a'.repeat(129), 'group 123']) {
        await expectSdkError(send(id), {
          name: 'InvalidParameterValue',
          message: `Value ${id} for parameter MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
        });
      }
    },
  },
  {
    name: 'MessageDeduplicationId is a FIFO-only parameter: on a standard queue it is InvalidParameterValue',
    source: `${SEND}#API_SendMessage_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'dedup-std');
      await expectSdkError(
        t.sqs.send(
          new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'm', MessageDeduplicationId: 'd-1' }),
        ),
        { name: 'InvalidParameterValue' },
      );
    },
  },
  {
    name: 'FIFO queue: a send without MessageGroupId is MissingParameter; without a deduplication id InvalidParameterValue',
    source: `${SEND}#API_SendMessage_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'fifo-needs', { fifo: true });
      await expectSdkError(
        t.sqs.send(
          new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'm', MessageDeduplicationId: 'd' }),
        ),
        { name: 'MissingParameter', message: 'The request must contain the parameter MessageGroupId.' },
      );
      await expectSdkError(
        t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'm', MessageGroupId: 'g' })),
        {
          name: 'InvalidParameterValue',
          message:
            'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
        },
      );
    },
  },
  {
    name: 'FIFO queue: a per-message DelaySeconds other than 0 is InvalidParameterValue',
    source: `${SEND}#API_SendMessage_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'fifo-delay', {
        fifo: true,
        attributes: { ContentBasedDeduplication: 'true' },
      });
      await t.sqs.send(
        new SendMessageCommand({
          QueueUrl: queue.url,
          MessageBody: 'zero',
          MessageGroupId: '1',
          DelaySeconds: 0,
        }),
      );
      await expectSdkError(
        t.sqs.send(
          new SendMessageCommand({
            QueueUrl: queue.url,
            MessageBody: 'two',
            MessageGroupId: '1',
            DelaySeconds: 2,
          }),
        ),
        {
          name: 'InvalidParameterValue',
          message:
            'Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
        },
      );
    },
  },
  {
    name: 'FIFO batch: an entry without MessageGroupId fails the whole request',
    source: `${API}/API_SendMessageBatch.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'fifo-batch-group', { fifo: true });
      await expectSdkError(
        t.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queue.url,
            Entries: [
              { Id: 'a', MessageBody: 'm', MessageGroupId: 'g', MessageDeduplicationId: 'd1' },
              { Id: 'b', MessageBody: 'm', MessageDeduplicationId: 'd2' },
            ],
          }),
        ),
        { name: 'InvalidParameterValue', message: 'The request must contain the parameter MessageGroupId.' },
      );
      await expectSdkError(
        t.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queue.url,
            Entries: [
              { Id: 'a', MessageBody: 'm', MessageGroupId: 'g', MessageDeduplicationId: 'd1' },
              { Id: 'b', MessageBody: 'm', MessageGroupId: 'g' },
            ],
          }),
        ),
        {
          name: 'InvalidParameterValue',
          message:
            'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
        },
      );
    },
  },
  {
    name: 'DelaySeconds above 900 on a send is InvalidParameterValue',
    source: `${SEND}#API_SendMessage_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'delay-max');
      await expectSdkError(
        t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'm', DelaySeconds: 901 })),
        {
          name: 'InvalidParameterValue',
        },
      );
    },
  },
  {
    name: 'a message longer than MaximumMessageSize (body plus attributes) is InvalidParameterValue',
    source: `${GUIDE}/quotas-messages.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'size', { attributes: { MaximumMessageSize: '1024' } });
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'a'.repeat(1024) }));
      await expectSdkError(
        t.sqs.send(
          new SendMessageCommand({
            QueueUrl: queue.url,
            MessageBody: 'a'.repeat(1024 - 8 + 1),
            MessageAttributes: { k: { DataType: 'String', StringValue: 'x' } },
          }),
        ),
        {
          name: 'InvalidParameterValue',
          message: 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
        },
      );
    },
  },
  {
    name: 'a batch reports an entry over MaximumMessageSize as failed and sends the rest',
    source: `${API}/API_SendMessageBatch.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'batch-size', { attributes: { MaximumMessageSize: '1024' } });
      const { Successful = [], Failed = [] } = await t.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: [
            { Id: 'fits', MessageBody: 'a'.repeat(1024) },
            { Id: 'over', MessageBody: 'a'.repeat(1025) },
          ],
        }),
      );
      expect(Successful.map((entry) => entry.Id)).toEqual(['fits']);
      expect(Failed).toEqual([
        expect.objectContaining({ Id: 'over', Code: 'InvalidParameterValue', SenderFault: true }),
      ]);
    },
  },
  {
    name: 'ChangeMessageVisibility beyond 43200 seconds is InvalidParameterValue',
    source: `${API}/API_ChangeMessageVisibility.html#API_ChangeMessageVisibility_RequestParameters`,
    run: async (t) => {
      const queue = await createQueue(t, 'visibility-max');
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'm' }));
      const { Messages = [] } = await t.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 5 }),
      );
      await expectSdkError(
        t.sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queue.url,
            ReceiptHandle: Messages[0]?.ReceiptHandle,
            VisibilityTimeout: 43_201,
          }),
        ),
        { name: 'InvalidParameterValue' },
      );
    },
  },
];

describe('SQS validation: messages', () => {
  conformanceCases(cases, () => target, { concurrent: true });
});
