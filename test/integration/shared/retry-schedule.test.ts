import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SqsServer, startSqsServer } from '../../../packages/local-cloud/src/sqs/server';
import { sqsRetryScheduler } from '../../../shared/batch/retry-schedule';
import { ContractError } from '../../../shared/errors';
import { eventually } from '../../support/eventually';
import { RecordingLog } from '../../support/recording-log';

describe('sqsRetryScheduler against a real SQS engine', () => {
  let engine: SqsServer;
  let sqs: SQSClient;
  beforeAll(async () => {
    engine = await startSqsServer();
    sqs = new SQSClient({
      endpoint: engine.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });
  afterAll(async () => {
    sqs.destroy();
    await engine.stop();
  });

  const receiveOne = async (queueUrl: string): Promise<SQSRecord> => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        VisibilityTimeout: 300,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    const message = Messages[0];
    if (message === undefined) throw new Error('no message');
    return {
      messageId: message.MessageId ?? '',
      receiptHandle: message.ReceiptHandle ?? '',
      body: message.Body ?? '',
      attributes: { ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1' },
      eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${queueUrl.split('/').pop()}`,
    } as SQSRecord;
  };

  const visibleCount = async (queueUrl: string) => {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    return Number(Attributes.ApproximateNumberOfMessages);
  };

  it('makes a contract violation visible again at once and holds a transient failure back', async () => {
    const { QueueUrl: queueUrl = '' } = await sqs.send(
      new CreateQueueCommand({ QueueName: `retry-${Date.now()}` }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'malformed' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'gateway down' }));
    const first = await receiveOne(queueUrl);
    const second = await receiveOne(queueUrl);
    expect(await visibleCount(queueUrl)).toBe(0);

    const log = new RecordingLog();
    const [malformed, transient] = first.body === 'malformed' ? [first, second] : [second, first];
    await sqsRetryScheduler(sqs).schedule(
      [
        { record: malformed, error: new ContractError('not an event') },
        { record: transient, error: new Error('503') },
      ],
      log,
    );

    // The contract violation is back (visibility 0); the transient failure waits its 2 s back-off, not 300 s.
    expect(await visibleCount(queueUrl)).toBe(1);
    const again = await receiveOne(queueUrl);
    expect(again.body).toBe('malformed');
    const waitedFrom = Date.now();
    const back = await eventually(
      'the transient failure back after its back-off',
      () => receiveOne(queueUrl),
      {
        timeoutMs: 30_000,
      },
    );
    expect(back.body).toBe('gateway down');
    expect(Date.now() - waitedFrom).toBeGreaterThanOrEqual(1_000);
    expect(log.lines.filter((line) => line.level === 'warn')).toEqual([]);
  });

  it('logs, and does not throw, when the queue does not exist', async () => {
    const log = new RecordingLog();
    const record = {
      messageId: 'm-1',
      receiptHandle: 'r-1',
      attributes: { ApproximateReceiveCount: '1' },
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:no-such-queue',
    } as unknown as SQSRecord;
    await sqsRetryScheduler(sqs).schedule([{ record, error: new Error('x') }], log);
    expect(log.lines.some((line) => line.level === 'warn' && /retry delays/.test(line.message))).toBe(true);
  });
});
