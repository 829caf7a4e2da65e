import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { passesFilters } from './event-filter.js';
import { sqsBatchOutcome, sqsFilterView, toSqsRecord } from './sqs-batch.js';
import { abortableSleep, isAbort, parseArn } from './support.js';
import type { InvocationResult, LogSink, PatternMatcher, SqsEventSourceMapping } from './types.js';

/** What an SQS poller needs from the runner. */
export interface SqsPollerDependencies {
  readonly sqs: SQSClient;
  readonly invoke: (event: SQSEvent) => Promise<InvocationResult>;
  readonly matcher: PatternMatcher;
  readonly log: LogSink;
  readonly region: string;
  /** Local cap on concurrent batches per mapping (Lambda starts with 5 pollers); `MaximumConcurrency` caps it too. */
  readonly maxPollers: number;
}

const LONG_POLL_SECONDS = 20;

/**
 * Lambda's SQS event source mapping: pollers long-poll the queue, gather up to `BatchSize` messages within the
 * batching window, invoke the function, and delete what succeeded. The queue's own visibility timeout brings failed
 * messages back and its redrive policy moves them to the DLQ after `maxReceiveCount` receives: the poller never
 * changes visibility. Messages that no filter matches are deleted without an invocation, as on AWS.
 */
export class SqsPoller {
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];

  public constructor(
    private readonly mapping: SqsEventSourceMapping,
    private readonly deps: SqsPollerDependencies,
  ) {}

  /** Starts the pollers (as many as `MaximumConcurrency` and the local cap allow). */
  public start(): void {
    const count = Math.max(
      1,
      Math.min(this.mapping.maximumConcurrency ?? Number.MAX_SAFE_INTEGER, this.deps.maxPollers),
    );
    this.loops = Array.from({ length: count }, () => this.run());
  }

  /** Ends every poller; a batch in flight is abandoned (its messages return after the visibility timeout). */
  public async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
  }

  private get source(): string {
    return `esm:${this.mapping.functionName}`;
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    let queueUrl: string | undefined;
    while (!signal.aborted) {
      try {
        queueUrl ??= await this.queueUrl();
        const messages = await this.gather(queueUrl);
        if (messages.length > 0) await this.process(queueUrl, messages);
      } catch (error) {
        if (isAbort(error) || signal.aborted) return;
        this.deps.log(
          this.source,
          `polling ${this.mapping.eventSourceArn} failed: ${String(error)}; retrying in 1 s`,
        );
        await abortableSleep(1000, signal);
      }
    }
  }

  private async queueUrl(): Promise<string> {
    const { account, resource } = parseArn(this.mapping.eventSourceArn);
    const found = await this.deps.sqs.send(
      new GetQueueUrlCommand({ QueueName: resource, QueueOwnerAWSAccountId: account }),
      { abortSignal: this.abort.signal },
    );
    if (found.QueueUrl === undefined) throw new Error(`no URL for ${this.mapping.eventSourceArn}`);
    return found.QueueUrl;
  }

  /** Long-polls once, then keeps receiving until the batch is full or the batching window has passed. */
  private async gather(queueUrl: string): Promise<Message[]> {
    const { batchSize, maximumBatchingWindowSeconds } = this.mapping;
    const batch: Message[] = [];
    let deadline: number | undefined;
    while (batch.length < batchSize) {
      const remainingMs = deadline === undefined ? LONG_POLL_SECONDS * 1000 : deadline - Date.now();
      if (remainingMs <= 0) break;
      const received = await this.deps.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, batchSize - batch.length),
          WaitTimeSeconds: Math.min(LONG_POLL_SECONDS, Math.ceil(remainingMs / 1000)),
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: this.abort.signal },
      );
      batch.push(...(received.Messages ?? []));
      if (batch.length === 0) continue;
      if (maximumBatchingWindowSeconds <= 0) break;
      deadline ??= Date.now() + maximumBatchingWindowSeconds * 1000;
    }
    return batch;
  }

  private async process(queueUrl: string, messages: readonly Message[]): Promise<void> {
    const { region, matcher, log } = this.deps;
    const records = messages.map((message) => toSqsRecord(message, this.mapping.eventSourceArn, region));
    const matching = records.filter((record) =>
      passesFilters(this.mapping.filterPatterns, sqsFilterView(record), matcher),
    );
    const filteredOut = records.filter((record) => !matching.includes(record));
    await this.delete(queueUrl, filteredOut);
    if (matching.length === 0) return;
    const result = await this.deps.invoke({ Records: matching });
    const outcome = sqsBatchOutcome(result, matching, this.mapping.reportBatchItemFailures);
    if (outcome.batchFailure !== undefined) {
      log(
        this.source,
        `batch of ${matching.length} failed, messages return to the queue: ${outcome.batchFailure}`,
      );
    } else if (outcome.failed.length > 0) {
      log(
        this.source,
        `${outcome.failed.length} of ${matching.length} messages reported failed, they return to the queue`,
      );
    }
    await this.delete(queueUrl, outcome.succeeded);
  }

  private async delete(queueUrl: string, records: readonly SQSRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += 10) {
      const chunk = records.slice(start, start + 10);
      const answer = await this.deps.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
        }),
      );
      for (const failure of answer.Failed ?? []) {
        this.deps.log(this.source, `could not delete a message: ${failure.Code} ${failure.Message ?? ''}`);
      }
    }
  }
}
