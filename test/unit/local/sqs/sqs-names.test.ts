import { describe, expect, it } from 'vitest';
import { decodeTaskHandle, encodeTaskHandle } from '../../../../local/sqs/move-tasks';
import {
  parseQueueArn,
  publicQueueUrl,
  queueNameFromUrl,
  rewriteQueueUrls,
  SqsErrors,
} from '../../../../local/sqs/sqs-names';

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

  it('moves queue URLs onto the host the client used', () => {
    expect(publicQueueUrl('http://sqs.us-east-1.localhost:4566/000000000000/q', '127.0.0.1:4566')).toBe(
      'http://127.0.0.1:4566/000000000000/q',
    );
    expect(queueNameFromUrl('http://localhost:4566/000000000000/q/')).toBe('q');
    expect(
      rewriteQueueUrls(
        {
          QueueUrl: 'http://a:1/0/q',
          QueueUrls: ['http://a:1/0/r'],
          queueUrls: ['http://a:1/0/s'],
          NextToken: 't',
        },
        'edge:4566',
      ),
    ).toEqual({
      QueueUrl: 'http://edge:4566/0/q',
      QueueUrls: ['http://edge:4566/0/r'],
      queueUrls: ['http://edge:4566/0/s'],
      NextToken: 't',
    });
  });

  it('carries the query code and fault of SQS errors', () => {
    expect(SqsErrors.queueDoesNotExist()).toMatchObject({
      type: 'com.amazonaws.sqs#QueueDoesNotExist',
      status: 400,
      queryErrorHeader: 'AWS.SimpleQueueService.NonExistentQueue;Sender',
    });
    expect(SqsErrors.resourceNotFound('x')).toMatchObject({
      status: 404,
      queryCode: 'ResourceNotFoundException',
    });
  });
});

describe('move task handles', () => {
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
