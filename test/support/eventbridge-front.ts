import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  createEventBridgeService,
  type EventBridgeService,
  TargetDeliveryError,
} from '../../packages/local-cloud/src/eventbridge';
import {
  AwsServiceError,
  awsErrorBody,
  LOCAL_ACCOUNT_ID,
  LOCAL_REGION,
} from '../../packages/local-cloud/src/support/aws-protocol';

/** The EventBridge emulator behind a minimal JSON 1.1 HTTP front, delivering SQS targets to the given SQS. */
export interface LocalEventBridge {
  readonly endpoint: string;
  readonly service: EventBridgeService;
  stop(): Promise<void>;
}

/**
 * Starts the project's EventBridge emulator for these tests. Until the local cloud's edge routes to it, a few
 * lines here decode `X-Amz-Target: AWSEvents.<Action>` so that the real EventBridge SDK client can talk to it.
 * SQS targets and dead-letter queues are delivered with SendMessage; a missing queue is EventBridge's NO_RESOURCE.
 */
export const startLocalEventBridge = async (sqs: SQSClient): Promise<LocalEventBridge> => {
  const service = createEventBridgeService({
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 5,
    delivery: {
      deliver: async (request) => {
        const name = request.arn.split(':').at(-1) ?? '';
        let url: string | undefined;
        try {
          url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
        } catch (error) {
          throw new TargetDeliveryError(
            `queue ${request.arn} does not exist`,
            { code: 'NO_RESOURCE', retryable: false },
            { cause: error },
          );
        }
        const attributes = Object.entries(request.messageAttributes ?? {}).map(([key, value]) => [
          key,
          { DataType: 'String', StringValue: value },
        ]);
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: url,
            MessageBody: request.body,
            ...(attributes.length > 0 ? { MessageAttributes: Object.fromEntries(attributes) } : {}),
          }),
        );
      },
    },
  });
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const action =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .at(-1) ?? '';
      const answer = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      service
        .handle({
          action,
          input: JSON.parse(raw || '{}') as Record<string, unknown>,
          region: LOCAL_REGION,
          accountId: LOCAL_ACCOUNT_ID,
        })
        .then((out) => answer(out.status, out.body))
        .catch((error: unknown) =>
          error instanceof AwsServiceError
            ? answer(error.status, awsErrorBody(error))
            : answer(500, { __type: 'InternalFailure', message: String(error) }),
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    service,
    stop: async () => {
      service.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
