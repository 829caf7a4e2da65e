import { randomUUID } from 'node:crypto';
import {
  GetQueueUrlCommand,
  type MessageAttributeValue,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { abortableSleep, parseArn } from './support.js';
import type { AsyncInvokeConfig, FunctionDefinition, InvocationResult, LogSink } from './types.js';

/** What asynchronous invocation needs from the runner. */
export interface AsyncInvokerDependencies {
  readonly sqs: SQSClient;
  readonly invoke: (functionName: string, event: unknown, requestId: string) => Promise<InvocationResult>;
  /** Queues an asynchronous invocation of another function (a Lambda destination). */
  readonly invokeAsync: (functionArn: string, event: unknown) => void;
  readonly log: LogSink;
  /**
   * Pause before each retry. AWS waits about 1 minute, then 2 minutes; the local default is 1 s, then 2 s, so that a
   * failing event reaches its destination while someone is still watching.
   */
  readonly retryDelaysMs: readonly number[];
}

const DEFAULT_CONFIG = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 } as const;

/**
 * Lambda's asynchronous invocation (`InvocationType: Event`, the way EventBridge invokes a target): the caller gets a
 * request id at once; the event is invoked with up to `MaximumRetryAttempts` retries; then the result goes to the
 * on-success or on-failure destination (SQS or Lambda), or a failure to the function's dead-letter queue.
 */
export class AsyncInvoker {
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();

  public constructor(private readonly deps: AsyncInvokerDependencies) {}

  /** Accepts the event (Lambda answers 202) and returns its request id. */
  public enqueue(
    definition: FunctionDefinition,
    config: AsyncInvokeConfig | undefined,
    event: unknown,
  ): string {
    const requestId = randomUUID();
    const task = this.run(definition, config, event, requestId).catch((error: unknown) =>
      this.deps.log(`async:${definition.functionName}`, `delivery of ${requestId} failed: ${String(error)}`),
    );
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
    return requestId;
  }

  /** Drops pending retries and waits for the invocations in flight to settle. */
  public async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all([...this.inFlight]);
  }

  private async run(
    definition: FunctionDefinition,
    config: AsyncInvokeConfig | undefined,
    event: unknown,
    requestId: string,
  ): Promise<void> {
    const { maximumRetryAttempts, maximumEventAgeSeconds } = config ?? DEFAULT_CONFIG;
    const source = `async:${definition.functionName}`;
    const enqueuedAt = Date.now();
    let attempts = 0;
    let result: InvocationResult | undefined;
    let condition = 'RetriesExhausted';
    while (attempts <= maximumRetryAttempts && !this.abort.signal.aborted) {
      if (Date.now() - enqueuedAt > maximumEventAgeSeconds * 1000) {
        condition = 'EventAgeExceeded';
        break;
      }
      attempts += 1;
      result = await this.deps.invoke(definition.functionName, event, requestId);
      if (result.ok) break;
      if (attempts <= maximumRetryAttempts) {
        this.deps.log(
          source,
          `${requestId} failed (attempt ${attempts}): ${result.error.errorMessage}; will retry`,
        );
        await abortableSleep(
          this.deps.retryDelaysMs[attempts - 1] ?? this.deps.retryDelaysMs.at(-1) ?? 1000,
          this.abort.signal,
        );
      }
    }
    if (this.abort.signal.aborted || result === undefined) return;
    const record = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId,
        functionArn: `${definition.functionArn}:$LATEST`,
        condition: result.ok ? 'Success' : condition,
        approximateInvokeCount: attempts,
      },
      requestPayload: event,
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(result.ok ? {} : { functionError: 'Unhandled' }),
      },
      responsePayload: result.ok ? result.payload : result.error,
    };
    if (result.ok) {
      if (config?.onSuccessDestinationArn !== undefined)
        await this.deliver(config.onSuccessDestinationArn, record, source);
      return;
    }
    if (config?.onFailureDestinationArn !== undefined) {
      await this.deliver(config.onFailureDestinationArn, record, source);
    } else if (definition.deadLetterTargetArn !== undefined) {
      await this.sendToQueue(definition.deadLetterTargetArn, JSON.stringify(event), {
        RequestID: { DataType: 'String', StringValue: requestId },
        ErrorCode: { DataType: 'Number', StringValue: '200' },
        ErrorMessage: { DataType: 'String', StringValue: result.error.errorMessage.slice(0, 1000) },
      });
      this.deps.log(
        source,
        `${requestId} failed ${attempts} times; event sent to ${definition.deadLetterTargetArn}`,
      );
    } else {
      this.deps.log(source, `${requestId} failed ${attempts} times; event dropped (no destination, no DLQ)`);
    }
  }

  private async deliver(
    destinationArn: string,
    record: Record<string, unknown>,
    source: string,
  ): Promise<void> {
    const { service } = parseArn(destinationArn);
    if (service === 'sqs') {
      await this.sendToQueue(destinationArn, JSON.stringify(record));
    } else if (service === 'lambda') {
      this.deps.invokeAsync(destinationArn, record);
    } else {
      this.deps.log(
        source,
        `destination ${destinationArn} is not emulated (only SQS and Lambda); record dropped`,
      );
      return;
    }
    this.deps.log(
      source,
      `${String((record.requestContext as { condition: string }).condition)} record sent to ${destinationArn}`,
    );
  }

  private async sendToQueue(
    queueArn: string,
    body: string,
    attributes?: Record<string, MessageAttributeValue>,
  ): Promise<void> {
    const { account, resource } = parseArn(queueArn);
    const { QueueUrl } = await this.deps.sqs.send(
      new GetQueueUrlCommand({ QueueName: resource, QueueOwnerAWSAccountId: account }),
    );
    await this.deps.sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: body, MessageAttributes: attributes }),
    );
  }
}
