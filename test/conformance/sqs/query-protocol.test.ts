import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type ConformanceCase, conformanceCases } from '../support/cases';
import { signedRequest } from '../support/signed-request';
import { type ConformanceTarget, startConformanceTarget } from '../support/target';
import { API, createQueue, GUIDE, jsonCall, queryCall, receiveAll, xmlValues } from './support';

/**
 * The query protocol (form-encoded `Action=…` requests answered in XML), which older SDKs and CLIs speak: on the
 * service endpoint, and on a queue's URL, which then stands for QueueUrl; also JSON-protocol requests sent to a
 * queue's URL.
 */

let target: ConformanceTarget;
beforeAll(async () => {
  target = await startConformanceTarget(process.env, { dynamoDb: false });
});
afterAll(async () => {
  await target?.stop();
});

const QUERY = `${GUIDE}/sqs-making-api-requests-xml.html`;

const cases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'CreateQueue by POST answers <CreateQueueResponse> with the queue URL and a request id',
    source: `${API}/API_CreateQueue.html#API_CreateQueue_Examples`,
    run: async (t) => {
      const name = t.uniqueName('query-create');
      const answer = await queryCall(t, {
        Action: 'CreateQueue',
        QueueName: name,
        'Attribute.1.Name': 'VisibilityTimeout',
        'Attribute.1.Value': '40',
        'Tag.1.Key': 'team',
        'Tag.1.Value': 'billing',
      });
      expect(answer.status).toBe(200);
      expect(answer.text).toContain('<CreateQueueResponse');
      const [url = ''] = xmlValues(answer.text, 'QueueUrl');
      t.onStop(() => queryCall(t, { Action: 'DeleteQueue', QueueUrl: url }));
      expect(url.endsWith(`/${name}`)).toBe(true);
      expect(xmlValues(answer.text, 'RequestId')[0]).toEqual(expect.any(String));
      const attributes = await queryCall(t, {
        Action: 'GetQueueAttributes',
        QueueUrl: url,
        'AttributeName.1': 'VisibilityTimeout',
      });
      expect(attributes.text).toContain(
        '<Attribute><Name>VisibilityTimeout</Name><Value>40</Value></Attribute>',
      );
      const tags = await queryCall(t, { Action: 'ListQueueTags', QueueUrl: url });
      expect(tags.text).toContain('<Tag><Key>team</Key><Value>billing</Value></Tag>');
    },
  },
  {
    name: 'GET on a queue URL with Action=GetQueueAttributes answers that queue’s attributes',
    source: QUERY,
    run: async (t) => {
      const queue = await createQueue(t, 'query-get');
      const all = await queryCall(
        t,
        { Action: 'GetQueueAttributes', 'AttributeName.1': 'All' },
        { url: queue.url },
      );
      expect(all.status).toBe(200);
      expect(all.text).toContain('<GetQueueAttributesResponse');
      expect(all.text).toContain(`<Attribute><Name>QueueArn</Name><Value>${queue.arn}</Value></Attribute>`);
      expect(all.text).toContain('<Attribute><Name>VisibilityTimeout</Name><Value>30</Value></Attribute>');
      const one = await queryCall(
        t,
        { Action: 'GetQueueAttributes', 'AttributeName.1': 'QueueArn' },
        { url: queue.url },
      );
      expect(one.text).not.toContain('<Name>VisibilityTimeout</Name>');
    },
  },
  {
    name: 'GET on a FIFO queue URL reports FifoQueue true',
    source: QUERY,
    run: async (t) => {
      const queue = await createQueue(t, 'query-fifo', { fifo: true });
      const answer = await queryCall(
        t,
        { Action: 'GetQueueAttributes', 'AttributeName.1': 'All' },
        { url: queue.url },
      );
      expect(answer.text).toContain('<Name>FifoQueue</Name><Value>true</Value>');
    },
  },
  {
    name: 'GET on queue URLs sends and receives; an empty receive is an empty <ReceiveMessageResult/>',
    source: QUERY,
    run: async (t) => {
      const first = await createQueue(t, 'query-send');
      const second = await createQueue(t, 'query-empty');
      const sent = await queryCall(t, { Action: 'SendMessage', MessageBody: 'foobar' }, { url: first.url });
      expect(sent.status).toBe(200);
      expect(xmlValues(sent.text, 'MD5OfMessageBody')).toEqual(['3858f62230ac3c915f300c664312c63f']);
      const empty = await queryCall(t, { Action: 'ReceiveMessage' }, { url: second.url });
      expect(empty.status).toBe(200);
      expect(empty.text.replace(' />', '/>')).toContain('<ReceiveMessageResult/>');
      const received = await queryCall(
        t,
        { Action: 'ReceiveMessage', WaitTimeSeconds: '5' },
        { url: first.url },
      );
      expect(xmlValues(received.text, 'Body')).toEqual(['foobar']);
      expect(received.text).toContain('<MD5OfBody>');
    },
  },
  {
    name: 'query messages carry attributes and system attributes as Name/Value elements',
    source: `${API}/API_ReceiveMessage.html#API_ReceiveMessage_Examples`,
    run: async (t) => {
      const queue = await createQueue(t, 'query-attrs');
      const sent = await queryCall(t, {
        Action: 'SendMessage',
        QueueUrl: queue.url,
        MessageBody: 'with attributes',
        'MessageAttribute.1.Name': 'Hello',
        'MessageAttribute.1.Value.DataType': 'String',
        'MessageAttribute.1.Value.StringValue': 'There',
      });
      expect(xmlValues(sent.text, 'MD5OfMessageAttributes')).toEqual(['a311262e065454b75da111d535b8dacd']);
      const received = await queryCall(t, {
        Action: 'ReceiveMessage',
        QueueUrl: queue.url,
        'AttributeName.1': 'All',
        'MessageAttributeName.1': 'All',
        WaitTimeSeconds: '5',
      });
      expect(received.text).toContain(
        '<MessageAttribute><Name>Hello</Name><Value><StringValue>There</StringValue><DataType>String</DataType></Value></MessageAttribute>',
      );
      expect(received.text).toContain(
        '<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>',
      );
    },
  },
  {
    name: 'query bodies keep XML-special characters and carriage returns both ways',
    source: QUERY,
    run: async (t) => {
      const queue = await createQueue(t, 'query-escape');
      const body = '{"foo": "ba\rr", "foo2": "ba&quot;r&quot;", "tag": "<x>&"}';
      await queryCall(t, { Action: 'SendMessage', QueueUrl: queue.url, MessageBody: body });
      const received = await queryCall(t, {
        Action: 'ReceiveMessage',
        QueueUrl: queue.url,
        VisibilityTimeout: '0',
      });
      expect(xmlValues(received.text, 'Body')).toEqual([body]);
      const [viaSdk] = await receiveAll(t, { QueueUrl: queue.url }, 1);
      expect(viaSdk?.Body).toBe(body);
    },
  },
  {
    name: 'CreateQueue and ListQueues are not valid on a queue URL: InvalidAction',
    source: QUERY,
    run: async (t) => {
      const queue = await createQueue(t, 'query-endpoint');
      const calls: Record<string, string>[] = [
        { Action: 'CreateQueue', QueueName: t.uniqueName('nope') },
        { Action: 'ListQueues' },
      ];
      for (const params of calls) {
        const answer = await queryCall(t, params, { url: queue.url });
        expect(answer.status).toBe(400);
        expect(answer.code).toBe('InvalidAction');
        expect(answer.message).toBe(`The action ${params.Action} is not valid for this endpoint.`);
      }
    },
  },
  {
    name: 'GetQueueUrl works on any queue’s URL, for that queue or another',
    source: QUERY,
    run: async (t) => {
      const first = await createQueue(t, 'query-url-1');
      const second = await createQueue(t, 'query-url-2');
      const answer = await queryCall(
        t,
        { Action: 'GetQueueUrl', QueueName: second.name },
        { url: first.url },
      );
      expect(answer.status).toBe(200);
      expect(xmlValues(answer.text, 'QueueUrl')).toEqual([second.url]);
    },
  },
  {
    name: 'a QueueUrl parameter overrides the queue URL the request was sent to',
    source: QUERY,
    run: async (t) => {
      const first = await createQueue(t, 'query-path');
      const second = await createQueue(t, 'query-param');
      const answer = await queryCall(
        t,
        { Action: 'GetQueueAttributes', QueueUrl: second.url, 'AttributeName.1': 'QueueArn' },
        { url: first.url },
      );
      expect(answer.text).toContain(second.arn);
      expect(answer.text).not.toContain(`${first.name}<`);
    },
  },
  {
    name: 'GET on a queue URL without Action is 404 UnknownOperationException',
    source: QUERY,
    run: async (t) => {
      const queue = await createQueue(t, 'query-no-action');
      const answer = await signedRequest(t, { service: 'sqs', method: 'GET', url: queue.url });
      expect(answer.status).toBe(404);
      expect(answer.text).toContain('<UnknownOperationException');
    },
  },
  {
    name: 'DeleteQueue by GET on the queue URL deletes it',
    source: QUERY,
    run: async (t) => {
      const name = t.uniqueName('query-delete');
      const created = await queryCall(t, { Action: 'CreateQueue', QueueName: name });
      const [url = ''] = xmlValues(created.text, 'QueueUrl');
      const deleted = await queryCall(t, { Action: 'DeleteQueue' }, { url });
      expect(deleted.status).toBe(200);
      expect(deleted.text).toContain('<DeleteQueueResponse');
      const gone = await queryCall(
        t,
        { Action: 'GetQueueAttributes', 'AttributeName.1': 'QueueArn' },
        { url },
      );
      expect(gone.status).toBe(400);
      expect(gone.code).toBe('AWS.SimpleQueueService.NonExistentQueue');
      expect(gone.message).toMatch(/^The specified queue does not exist for this wsdl version/);
    },
  },
  {
    name: 'ListQueues by GET answers XML, or JSON when the client accepts only JSON',
    source: `${API}/API_ListQueues.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'query-list');
      const xml = await queryCall(
        t,
        { Action: 'ListQueues', QueueNamePrefix: queue.name },
        { method: 'GET' },
      );
      expect(xml.status).toBe(200);
      expect(xml.text).toContain('<ListQueuesResponse');
      expect(xmlValues(xml.text, 'QueueUrl')).toEqual([queue.url]);
      const json = await queryCall(
        t,
        { Action: 'ListQueues', QueueNamePrefix: queue.name },
        { method: 'GET', accept: 'application/json' },
      );
      expect(json.status).toBe(200);
      expect(JSON.parse(json.text)).toHaveProperty('ListQueuesResponse');
    },
  },
  {
    name: 'batches over the query protocol report their entries',
    source: `${API}/API_SendMessageBatch.html#API_SendMessageBatch_Examples`,
    run: async (t) => {
      const queue = await createQueue(t, 'query-batch');
      const answer = await queryCall(t, {
        Action: 'SendMessageBatch',
        QueueUrl: queue.url,
        'SendMessageBatchRequestEntry.1.Id': 'test_msg_001',
        'SendMessageBatchRequestEntry.1.MessageBody': 'test message body 1',
        'SendMessageBatchRequestEntry.2.Id': 'test_msg_002',
        'SendMessageBatchRequestEntry.2.MessageBody': '\u0001',
      });
      expect(answer.status).toBe(200);
      expect(answer.text).toContain('<SendMessageBatchResultEntry><Id>test_msg_001</Id>');
      expect(answer.text).toContain('<BatchResultErrorEntry><Id>test_msg_002</Id>');
      expect(xmlValues(answer.text, 'SenderFault')).toEqual(['true']);
      expect(answer.code).toBe('InvalidMessageContents');
    },
  },
  {
    name: 'a JSON-protocol request sent to a queue URL is answered in JSON',
    source: `${GUIDE}/sqs-making-api-requests-json.html`,
    run: async (t) => {
      const queue = await createQueue(t, 'json-on-url');
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'hello' }));
      const answer = await jsonCall(
        t,
        'ReceiveMessage',
        { QueueUrl: queue.url, WaitTimeSeconds: 1 },
        { url: queue.url },
      );
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('application/x-amz-json-1.0');
      expect((answer.body.Messages as { Body: string }[])[0]?.Body).toBe('hello');
      expect((await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url }))).Messages).toBeUndefined();
    },
  },
];

describe('SQS over the query protocol', () => {
  conformanceCases(cases, () => target, { concurrent: true });
});
