import { describe, expect, it } from 'vitest';
import {
  SQS_QUERY_OPERATIONS,
  SQS_XML_NAMESPACE,
} from '../../../../packages/local-cloud/src/sqs/query-shapes';
import {
  decodeQueryInput,
  queryErrorXml,
  queryParams,
  queryResponseXml,
} from '../../../../packages/local-cloud/src/support/query-protocol';

const operation = (action: string) => {
  const found = SQS_QUERY_OPERATIONS[action];
  if (found === undefined) throw new Error(`no operation ${action}`);
  return found;
};

describe('SQS over the query protocol', () => {
  it('decodes SendMessage with message attributes into the JSON input', () => {
    const params = queryParams(
      '/',
      'Action=SendMessage&QueueUrl=http%3A%2F%2Flocalhost%3A4566%2F000000000000%2Fq&MessageBody=hi%20%26%20bye&DelaySeconds=5' +
        '&MessageAttribute.1.Name=kind&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=order' +
        '&MessageAttribute.2.Name=n&MessageAttribute.2.Value.DataType=Number&MessageAttribute.2.Value.StringValue=3',
    );
    expect(decodeQueryInput(operation('SendMessage').input, params)).toEqual({
      QueueUrl: 'http://localhost:4566/000000000000/q',
      MessageBody: 'hi & bye',
      DelaySeconds: 5,
      MessageAttributes: {
        kind: { DataType: 'String', StringValue: 'order' },
        n: { DataType: 'Number', StringValue: '3' },
      },
    });
  });

  it('decodes flattened lists, attribute maps and batch entries', () => {
    const receive = queryParams(
      '/?Action=ReceiveMessage',
      'QueueUrl=q&AttributeName.1=All&MessageAttributeName.1=All&MaxNumberOfMessages=10',
    );
    expect(decodeQueryInput(operation('ReceiveMessage').input, receive)).toEqual({
      QueueUrl: 'q',
      AttributeNames: ['All'],
      MessageAttributeNames: ['All'],
      MaxNumberOfMessages: 10,
    });
    const create = queryParams(
      undefined,
      'QueueName=q&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=40&Tag.1.Key=team&Tag.1.Value=pay',
    );
    expect(decodeQueryInput(operation('CreateQueue').input, create)).toEqual({
      QueueName: 'q',
      Attributes: { VisibilityTimeout: '40' },
      tags: { team: 'pay' },
    });
    const batch = queryParams(
      undefined,
      'QueueUrl=q&DeleteMessageBatchRequestEntry.2.Id=b&DeleteMessageBatchRequestEntry.2.ReceiptHandle=rb' +
        '&DeleteMessageBatchRequestEntry.1.Id=a&DeleteMessageBatchRequestEntry.1.ReceiptHandle=ra',
    );
    expect(decodeQueryInput(operation('DeleteMessageBatch').input, batch)).toEqual({
      QueueUrl: 'q',
      Entries: [
        { Id: 'a', ReceiptHandle: 'ra' },
        { Id: 'b', ReceiptHandle: 'rb' },
      ],
    });
  });

  it('passes a malformed number on as text, for the service to reject', () => {
    const params = queryParams(undefined, 'QueueUrl=q&MaxNumberOfMessages=ten');
    expect(decodeQueryInput(operation('ReceiveMessage').input, params).MaxNumberOfMessages).toBe('ten');
  });

  it('encodes ReceiveMessage output as AWS does, escaping text', () => {
    const xml = queryResponseXml({
      action: 'ReceiveMessage',
      xmlNamespace: SQS_XML_NAMESPACE,
      requestId: 'r-1',
      output: operation('ReceiveMessage').output,
      value: {
        Messages: [
          {
            MessageId: 'm-1',
            Body: 'a < b & "c"\r\n',
            Attributes: { ApproximateReceiveCount: '1' },
            MessageAttributes: { kind: { DataType: 'String', StringValue: 'x' } },
          },
        ],
      },
    });
    expect(xml).toBe(
      `<?xml version="1.0"?><ReceiveMessageResponse xmlns="${SQS_XML_NAMESPACE}"><ReceiveMessageResult><Message>` +
        '<MessageId>m-1</MessageId><Body>a &#60; b &#38; &#34;c&#34;&#13;\n</Body>' +
        '<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>' +
        '<MessageAttribute><Name>kind</Name><Value><StringValue>x</StringValue><DataType>String</DataType></Value></MessageAttribute>' +
        '</Message></ReceiveMessageResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></ReceiveMessageResponse>',
    );
  });

  it('encodes flattened URL lists, actions without output, and errors', () => {
    const list = queryResponseXml({
      action: 'ListQueues',
      xmlNamespace: SQS_XML_NAMESPACE,
      requestId: 'r',
      output: operation('ListQueues').output,
      value: { QueueUrls: ['u1', 'u2'] },
    });
    expect(list).toContain(
      '<ListQueuesResult><QueueUrl>u1</QueueUrl><QueueUrl>u2</QueueUrl></ListQueuesResult>',
    );
    const none = queryResponseXml({
      action: 'DeleteMessage',
      xmlNamespace: SQS_XML_NAMESPACE,
      requestId: 'r',
    });
    expect(none).not.toContain('DeleteMessageResult');
    const error = queryErrorXml({
      xmlNamespace: SQS_XML_NAMESPACE,
      requestId: 'r',
      code: 'AWS.SimpleQueueService.NonExistentQueue',
      message: 'gone',
    });
    expect(error).toContain(
      '<Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>gone</Message>',
    );
  });
});
