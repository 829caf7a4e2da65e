import { describe, expect, it } from 'vitest';
import { SqsErrors } from '../../../../packages/local-cloud/src/sqs/errors';
import { decodeReceiptHandle, encodeReceiptHandle } from '../../../../packages/local-cloud/src/sqs/message';
import { decodeTaskHandle, encodeTaskHandle } from '../../../../packages/local-cloud/src/sqs/move-tasks';
import {
  isValidQueueName,
  parseQueueArn,
  parseQueueUrl,
  queueUrl,
} from '../../../../packages/local-cloud/src/sqs/sqs-names';

describe('queue names, ARNs and URLs', () => {
  it('parses queue ARNs, FIFO included, and rejects others', () => {
    expect(parseQueueArn('arn:aws:sqs:us-east-1:000000000000:orders-dlq')).toEqual({
      region: 'us-east-1',
      accountId: '000000000000',
      name: 'orders-dlq',
    });
    expect(parseQueueArn('arn:aws:sqs:eu-west-1:123456789012:jobs.fifo')?.name).toBe('jobs.fifo');
    expect(parseQueueArn('arn:aws:sns:us-east-1:000000000000:topic')).toBeUndefined();
    expect(parseQueueArn('orders')).toBeUndefined();
  });

  it('checks queue names: 80 characters at most, the .fifo suffix included and required on FIFO queues', () => {
    expect(isValidQueueName('orders_1-a', false)).toBe(true);
    expect(isValidQueueName('a'.repeat(80), false)).toBe(true);
    expect(isValidQueueName('a'.repeat(81), false)).toBe(false);
    expect(isValidQueueName(`${'a'.repeat(75)}.fifo`, true)).toBe(true);
    expect(isValidQueueName(`${'a'.repeat(76)}.fifo`, true)).toBe(false);
    expect(isValidQueueName('orders.fifo', false)).toBe(false);
    expect(isValidQueueName('orders', true)).toBe(false);
    expect(isValidQueueName('a b', false)).toBe(false);
  });

  it('hands out path-style URLs on the caller’s host, with the region in the path outside the default', () => {
    const parts = { region: 'us-east-1', accountId: '000000000000', name: 'q' };
    expect(queueUrl('127.0.0.1:4566', parts, 'us-east-1')).toBe('http://127.0.0.1:4566/000000000000/q');
    expect(queueUrl('edge:1', { ...parts, region: 'eu-west-1' }, 'us-east-1')).toBe(
      'http://edge:1/queue/eu-west-1/000000000000/q',
    );
  });

  it('reads QueueUrl values: our URLs, AWS URLs, and bare queue names', () => {
    expect(parseQueueUrl('http://127.0.0.1:4566/000000000000/q')).toEqual({
      region: undefined,
      accountId: '000000000000',
      name: 'q',
      url: true,
    });
    expect(parseQueueUrl('http://edge/queue/eu-west-1/000000000000/q.fifo')?.region).toBe('eu-west-1');
    expect(parseQueueUrl('https://sqs.eu-central-1.amazonaws.com/123456789012/q')).toMatchObject({
      region: 'eu-central-1',
      accountId: '123456789012',
    });
    expect(parseQueueUrl('orders')).toEqual({
      region: undefined,
      accountId: undefined,
      name: 'orders',
      url: false,
    });
    expect(parseQueueUrl('http://edge/not/a/queue/url/x')).toBeUndefined();
  });
});

describe('SQS errors', () => {
  it('carry the JSON type, the query-compatible code and the status of the SQS service model', () => {
    expect(SqsErrors.queueDoesNotExist()).toMatchObject({
      type: 'com.amazonaws.sqs#QueueDoesNotExist',
      status: 400,
      queryErrorHeader: 'AWS.SimpleQueueService.NonExistentQueue;Sender',
      queryMessage: 'The specified queue does not exist for this wsdl version.',
    });
    expect(SqsErrors.invalidParameterValue('x')).toMatchObject({
      code: 'InvalidParameterValue',
      queryErrorHeader: 'InvalidParameterValue;Sender',
    });
    expect(SqsErrors.queueNameExists('DelaySeconds')).toMatchObject({
      type: 'com.amazonaws.sqs#QueueNameExists',
      code: 'QueueAlreadyExists',
    });
    expect(SqsErrors.purgeQueueInProgress('q')).toMatchObject({ status: 403 });
    expect(SqsErrors.resourceNotFound('x')).toMatchObject({ status: 404, code: 'ResourceNotFoundException' });
  });
});

describe('receipt and move task handles', () => {
  it('round-trip a receipt handle and reject anything else', () => {
    const parts = {
      queueId: '0123456789abcdef',
      messageId: '6f9619ff-8b86-d011-b42d-00c04fc964ff',
      receipt: 3,
    };
    expect(decodeReceiptHandle(encodeReceiptHandle(parts))).toEqual(parts);
    expect(decodeReceiptHandle('garbage')).toBeUndefined();
    expect(decodeReceiptHandle(Buffer.from('a:b:c:d'.repeat(10)).toString('base64'))).toBeUndefined();
  });

  it('round-trip the task id and source ARN, and reject anything else', () => {
    const handle = encodeTaskHandle('t-1', 'arn:aws:sqs:us-east-1:000000000000:dlq');
    expect(decodeTaskHandle(handle)).toEqual({
      taskId: 't-1',
      sourceArn: 'arn:aws:sqs:us-east-1:000000000000:dlq',
    });
    expect(decodeTaskHandle('not-a-handle')).toBeUndefined();
    expect(decodeTaskHandle(Buffer.from('{"taskId":1}').toString('base64'))).toBeUndefined();
  });
});
