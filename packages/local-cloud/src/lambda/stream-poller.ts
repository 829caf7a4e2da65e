import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { passesFilters } from './event-filter.js';
import {
  type DiscardedBatch,
  processStreamBatch,
  streamFailureRecord,
  toStreamRecord,
} from './stream-batch.js';
import { abortableSleep, isAbort, parseArn } from './support.js';
import type { InvocationResult, LogSink, PatternMatcher, StreamEventSourceMapping } from './types.js';

/** What a stream poller needs from the runner. */
export interface StreamPollerDependencies {
  readonly streams: DynamoDBStreamsClient;
  readonly sqs: SQSClient;
  readonly invoke: (event: DynamoDBStreamEvent) => Promise<InvocationResult>;
  readonly matcher: PatternMatcher;
  readonly log: LogSink;
  readonly region: string;
  readonly functionArn: string;
  /** Pause between polls of a shard with nothing new (Lambda polls four times a second). */
  readonly pollIntervalMs: number;
  readonly retryDelayMs: number;
}

const SHARD_DISCOVERY_MS = 5_000;

interface ShardState {
  readonly shardId: string;
  readonly parentShardId?: string;
  readonly initialPosition: ShardIteratorType;
  iterator?: string;
  lastSequenceNumber?: string;
  done: boolean;
}

/**
 * Lambda's DynamoDB Streams event source mapping: reads each shard in order (children after their parents), applies
 * the filter criteria, invokes the function with batches, retries and bisects failed batches, and sends what it gives
 * up on to the on-failure destination. Limits: one batch at a time per mapping (no `ParallelizationFactor`), no
 * `MaximumRecordAgeInSeconds` and no tumbling windows.
 */
export class StreamPoller {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly shards = new Map<string, ShardState>();

  public constructor(
    private readonly mapping: StreamEventSourceMapping,
    private readonly deps: StreamPollerDependencies,
  ) {}

  public start(): void {
    this.loop = this.run();
  }

  /** Ends polling; a batch being retried is abandoned. */
  public async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private get source(): string {
    return `esm:${this.mapping.functionName}`;
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    let streamArn: string | undefined;
    let lastDescribe = 0;
    while (!signal.aborted) {
      try {
        streamArn ??= await this.engineStreamArn();
        // New shards appear rarely (splits, roughly every few hours on AWS): look for them every few seconds, and
        // at once when every known shard is finished.
        if (Date.now() - lastDescribe > SHARD_DISCOVERY_MS || this.readyShards().length === 0) {
          await this.discoverShards(streamArn, lastDescribe === 0);
          lastDescribe = Date.now();
        }
        let received = 0;
        for (const shard of this.readyShards()) received += await this.pollShard(streamArn, shard);
        if (received === 0) await abortableSleep(this.deps.pollIntervalMs, signal);
      } catch (error) {
        if (isAbort(error) || signal.aborted) return;
        this.deps.log(
          this.source,
          `polling ${this.mapping.eventSourceArn} failed: ${String(error)}; retrying in 1 s`,
        );
        for (const shard of this.shards.values()) shard.iterator = undefined;
        await abortableSleep(1000, signal);
      }
    }
  }

  /**
   * The stream ARN the engine answers to. DynamoDB Local names its ARNs with region `ddblocal`, so a deployed
   * (us-east-1) ARN is matched to the engine's by table name and stream label.
   */
  private async engineStreamArn(): Promise<string> {
    const arn = this.mapping.eventSourceArn;
    const [, tableName = '', , label = ''] = parseArn(arn).resource.split('/');
    const listed = await this.deps.streams.send(new ListStreamsCommand({ TableName: tableName }), {
      abortSignal: this.abort.signal,
    });
    const candidates = (listed.Streams ?? []).map((stream) => stream.StreamArn ?? '');
    return (
      candidates.find((candidate) => candidate === arn) ??
      candidates.find((c) => c.endsWith(`/${label}`)) ??
      arn
    );
  }

  private async discoverShards(streamArn: string, firstDescribe: boolean): Promise<void> {
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const page = await this.deps.streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
        { abortSignal: this.abort.signal },
      );
      shards.push(...(page.StreamDescription?.Shards ?? []));
      exclusiveStartShardId = page.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId !== undefined);
    for (const shard of shards) {
      if (shard.ShardId === undefined || this.shards.has(shard.ShardId)) continue;
      this.shards.set(shard.ShardId, {
        shardId: shard.ShardId,
        parentShardId: shard.ParentShardId,
        // Shards that appear later (splits) are read from their start, whatever the starting position.
        initialPosition: firstDescribe ? this.mapping.startingPosition : 'TRIM_HORIZON',
        done: false,
      });
    }
  }

  private readyShards(): ShardState[] {
    return [...this.shards.values()].filter((shard) => {
      if (shard.done) return false;
      const parent = shard.parentShardId === undefined ? undefined : this.shards.get(shard.parentShardId);
      return parent === undefined || parent.done;
    });
  }

  /** Reads one batch from a shard (within the batching window) and processes it; returns how many records came. */
  private async pollShard(streamArn: string, shard: ShardState): Promise<number> {
    const { batchSize, maximumBatchingWindowSeconds } = this.mapping;
    const records: DynamoDBRecord[] = [];
    const deadline = Date.now() + maximumBatchingWindowSeconds * 1000;
    let lastSequenceNumber = shard.lastSequenceNumber;
    do {
      shard.iterator ??= await this.iterator(streamArn, shard);
      const page = await this.deps.streams.send(
        new GetRecordsCommand({
          ShardIterator: shard.iterator,
          Limit: Math.min(1000, batchSize - records.length),
        }),
        { abortSignal: this.abort.signal },
      );
      for (const record of page.Records ?? []) {
        lastSequenceNumber = record.dynamodb?.SequenceNumber ?? lastSequenceNumber;
        records.push(toStreamRecord(record, this.mapping.eventSourceArn, this.deps.region));
      }
      shard.iterator = page.NextShardIterator;
      if (shard.iterator === undefined) shard.done = true;
      if ((page.Records ?? []).length === 0 && records.length > 0)
        await abortableSleep(100, this.abort.signal);
    } while (!shard.done && records.length > 0 && records.length < batchSize && Date.now() < deadline);
    const matching = records.filter((record) =>
      passesFilters(this.mapping.filterPatterns, record, this.deps.matcher),
    );
    if (matching.length > 0) await this.process(matching, shard.shardId);
    shard.lastSequenceNumber = lastSequenceNumber;
    return records.length;
  }

  private async iterator(streamArn: string, shard: ShardState): Promise<string> {
    const after = shard.lastSequenceNumber;
    const answer = await this.deps.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.shardId,
        ShardIteratorType: after === undefined ? shard.initialPosition : 'AFTER_SEQUENCE_NUMBER',
        SequenceNumber: after,
      }),
      { abortSignal: this.abort.signal },
    );
    if (answer.ShardIterator === undefined) throw new Error(`no iterator for shard ${shard.shardId}`);
    return answer.ShardIterator;
  }

  private async process(records: readonly DynamoDBRecord[], shardId: string): Promise<void> {
    const discarded = await processStreamBatch(records, this.deps.invoke, {
      bisectBatchOnFunctionError: this.mapping.bisectBatchOnFunctionError,
      maximumRetryAttempts: this.mapping.maximumRetryAttempts,
      reportBatchItemFailures: this.mapping.reportBatchItemFailures,
      retryDelayMs: this.deps.retryDelayMs,
      signal: this.abort.signal,
    });
    for (const batch of discarded) await this.discard(batch, shardId);
  }

  private async discard(batch: DiscardedBatch, shardId: string): Promise<void> {
    const destination = this.mapping.onFailureDestinationArn;
    const count = batch.records.length;
    if (destination === undefined) {
      this.deps.log(
        this.source,
        `discarded ${count} stream records after retries (no on-failure destination)`,
      );
      return;
    }
    const body = streamFailureRecord(batch, {
      functionArn: this.deps.functionArn,
      streamArn: this.mapping.eventSourceArn,
      shardId,
    });
    const { account, resource, service } = parseArn(destination);
    if (service !== 'sqs') {
      this.deps.log(
        this.source,
        `on-failure destination ${destination} is not emulated; ${count} records dropped`,
      );
      return;
    }
    const { QueueUrl } = await this.deps.sqs.send(
      new GetQueueUrlCommand({ QueueName: resource, QueueOwnerAWSAccountId: account }),
    );
    await this.deps.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(body) }));
    this.deps.log(this.source, `sent ${count} discarded stream records to ${destination}`);
  }
}
