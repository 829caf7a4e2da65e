import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  type TargetDelivery,
  TargetDeliveryError,
  type TargetDeliveryRequest,
} from '../eventbridge/index.js';
import { DEFAULT_ERROR_CODE, statusOfCode } from '../faults/aws-fault-errors.js';
import type { FaultStore } from '../faults/fault-store.js';
import type { LambdaRunner } from '../lambda/index.js';
import { FunctionNotFoundError } from '../lambda/index.js';

/** `arn:aws:sqs:<region>:<account>:<name>` → the queue URL at `sqsEndpoint` (path style, as fauxqs serves it). */
export const queueUrlFromArn = (arn: string, sqsEndpoint: string): string => {
  const [, , , , account, name] = arn.split(':');
  if (account === undefined || name === undefined || name === '') {
    throw new TargetDeliveryError(`not an SQS queue ARN: ${arn}`, { code: 'NO_RESOURCE', retryable: false });
  }
  return `${sqsEndpoint.replace(/\/$/, '')}/${account}/${name}`;
};

const isMissingQueue = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === 'QueueDoesNotExist' ||
    error.name === 'AWS.SimpleQueueService.NonExistentQueue' ||
    error.message.includes('does not exist'));

/** Options of {@link createTargetDelivery}. */
export interface TargetDeliveryOptions {
  readonly sqs: SQSClient;
  /** Where queue URLs point (the edge, or fauxqs directly). */
  readonly sqsEndpoint: string;
  /** The Lambda runner; it starts after the deploy, so it is looked up at delivery time. */
  readonly runner: () => LambdaRunner | undefined;
  /** Lambda `error` faults fail EventBridge's invoke of a function target, as a throttled or failing Invoke would. */
  readonly faults?: Pick<FaultStore, 'has' | 'take'>;
}

/** The dead letter's ERROR_CODE for an Invoke answered with this status (the codes the same page lists). */
const deadLetterErrorCode = (status: number): string => {
  if (status === 429) return 'THROTTLING';
  if (status >= 500) return 'INTERNAL_ERROR';
  if (status === 404) return 'NO_RESOURCE';
  if (status === 403) return 'NO_PERMISSIONS';
  return 'INVALID_PARAMETER';
};

/**
 * A Lambda error fault on a function target: EventBridge retries what AWS calls retryable (throttling, 5xx) with
 * the target's retry policy and sends the rest to its DLQ at once ("Event retry policy and using dead-letter
 * queues", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html).
 */
const invokeFault = (faults: TargetDeliveryOptions['faults'], functionArn: string): void => {
  if (faults === undefined || !faults.has('lambda', ['error'])) return;
  const functionName = functionArn.split(':')[6] ?? functionArn;
  const fault = faults.take({ service: 'lambda', action: functionName }, ['error']);
  if (fault?.kind !== 'error') return;
  const code = fault.code ?? DEFAULT_ERROR_CODE.lambda;
  const status = statusOfCode(code, fault.status);
  throw new TargetDeliveryError(`${code}: ${fault.message ?? 'Rate Exceeded.'}`, {
    code: deadLetterErrorCode(status),
    retryable: status === 429 || status >= 500,
  });
};

/**
 * How the EventBridge emulator reaches rule targets: SQS queues by SendMessage (message attributes as strings, FIFO
 * group and deduplication ids), Lambda functions by the runner's asynchronous invoke. A missing queue or function
 * is a non-retryable `NO_RESOURCE` failure (EventBridge then goes straight to the target's DLQ, as AWS does).
 */
export const createTargetDelivery = ({
  sqs,
  sqsEndpoint,
  runner,
  faults,
}: TargetDeliveryOptions): TargetDelivery => ({
  deliver: async (request: TargetDeliveryRequest) => {
    const service = request.arn.split(':')[2];
    if (service === 'sqs') {
      try {
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: queueUrlFromArn(request.arn, sqsEndpoint),
            MessageBody: request.body,
            ...(request.messageGroupId === undefined ? {} : { MessageGroupId: request.messageGroupId }),
            ...(request.messageDeduplicationId === undefined
              ? {}
              : { MessageDeduplicationId: request.messageDeduplicationId }),
            ...(request.messageAttributes === undefined
              ? {}
              : {
                  MessageAttributes: Object.fromEntries(
                    Object.entries(request.messageAttributes).map(([name, value]) => [
                      name,
                      { DataType: 'String', StringValue: value },
                    ]),
                  ),
                }),
          }),
        );
      } catch (error) {
        if (isMissingQueue(error)) {
          throw new TargetDeliveryError(`queue ${request.arn} does not exist`, {
            code: 'NO_RESOURCE',
            retryable: false,
          });
        }
        throw error;
      }
      return;
    }
    if (service === 'lambda') {
      const lambda = runner();
      if (lambda === undefined) {
        throw new TargetDeliveryError('the Lambda runner is not running', {
          code: 'SERVICE_UNAVAILABLE',
          retryable: true,
        });
      }
      invokeFault(faults, request.arn);
      try {
        lambda.invokeAsync(request.arn, JSON.parse(request.body) as unknown);
      } catch (error) {
        if (error instanceof FunctionNotFoundError) {
          throw new TargetDeliveryError(error.message, { code: 'NO_RESOURCE', retryable: false });
        }
        throw error;
      }
      return;
    }
    throw new TargetDeliveryError(`targets of type '${service}' are not emulated: ${request.arn}`, {
      code: 'UNSUPPORTED_TARGET',
      retryable: false,
    });
  },
});
