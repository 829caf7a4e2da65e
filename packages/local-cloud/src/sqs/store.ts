import { SqsErrors } from './errors.js';
import type { StoredMessage } from './message.js';
import { type QueueIdentity, SqsQueue } from './queue.js';
import type { StoredQueueAttributes } from './queue-attributes.js';
import { parseQueueUrl, queueArn, queueUrl } from './sqs-names.js';

/** What one request brings to the engine besides its input. */
export interface SqsRequestContext {
  /** The region of the request (its SigV4 scope), else the engine's default. */
  readonly region: string;
  /** `host[:port]` the client called, for the queue URLs handed back. */
  readonly host: string;
  readonly protocol: 'json' | 'query';
  /** The request's `X-Amzn-Trace-Id`, which SendMessage keeps as the AWSTraceHeader system attribute. */
  readonly traceHeader?: string | undefined;
  /** Aborted when the client goes away (a long poll then takes nothing). */
  readonly signal?: AbortSignal | undefined;
}

/** Queues deleted in the last minute cannot be created again (AWS's QueueDeletedRecently). */
const RECENTLY_DELETED_MS = 60_000;

/** Every queue of the engine, by ARN, and the rules that span queues (lookups, dead-lettering). */
export class SqsStore {
  private readonly queues = new Map<string, SqsQueue>();
  private readonly deletedAt = new Map<string, number>();

  public constructor(
    public readonly defaultRegion: string,
    public readonly accountId: string,
  ) {}

  public arnOf(region: string, name: string): string {
    return queueArn(region, this.accountId, name);
  }

  public byArn(arn: string): SqsQueue | undefined {
    return this.queues.get(arn);
  }

  /** The queue a QueueUrl parameter names, or AWS's QueueDoesNotExist. */
  public resolve(value: string | undefined, request: SqsRequestContext): SqsQueue {
    if (value === undefined || value === '') throw SqsErrors.missingParameter('QueueUrl');
    const location = parseQueueUrl(value);
    if (location === undefined) throw SqsErrors.queueDoesNotExist();
    if (location.accountId !== undefined && location.accountId !== this.accountId) {
      throw SqsErrors.queueDoesNotExist();
    }
    const region = location.region ?? (location.url ? this.defaultRegion : request.region);
    const queue = this.queues.get(this.arnOf(region, location.name));
    if (queue === undefined) throw SqsErrors.queueDoesNotExist();
    return queue;
  }

  public urlOf(queue: SqsQueue, host: string): string {
    return queueUrl(host, queue, this.defaultRegion);
  }

  public create(identity: QueueIdentity, attributes: StoredQueueAttributes, now: number): SqsQueue {
    const queue = new SqsQueue(identity, attributes, now);
    this.queues.set(identity.arn, queue);
    this.deletedAt.delete(identity.arn);
    return queue;
  }

  public deletedRecently(arn: string, now: number): boolean {
    const at = this.deletedAt.get(arn);
    return at !== undefined && now - at < RECENTLY_DELETED_MS;
  }

  public delete(queue: SqsQueue, now: number): void {
    this.queues.delete(queue.arn);
    this.deletedAt.set(queue.arn, now);
    queue.close();
  }

  /** Every queue of every region. */
  public all(): SqsQueue[] {
    return [...this.queues.values()];
  }

  /** The queues of a region, sorted by name. */
  public list(region: string): SqsQueue[] {
    return [...this.queues.values()]
      .filter((queue) => queue.region === region)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The queues whose redrive policy names `arn` as their dead-letter queue, sorted by name. */
  public sourcesOf(arn: string): SqsQueue[] {
    return [...this.queues.values()]
      .filter((queue) => queue.redrive?.deadLetterTargetArn === arn)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Moves a message past its receive count to its queue's dead-letter queue: same id, body, attributes, sent
   * time and receive count, plus DeadLetterQueueSourceArn. False when the dead-letter queue is gone (the message
   * then stays, as receives go on).
   */
  public moveToDeadLetter(source: SqsQueue, message: StoredMessage, now: number): boolean {
    const target = source.redrive === undefined ? undefined : this.byArn(source.redrive.deadLetterTargetArn);
    if (target === undefined) return false;
    const moved: StoredMessage = {
      ...message,
      deadLetterSourceArn: source.arn,
      state: 'visible',
      visibleAt: now,
      receipt: 0,
      availableOrder: 0,
    };
    target.enqueue(moved, 0, now);
    return true;
  }

  /** Ends waiting long polls and timers. */
  public close(): void {
    for (const queue of this.queues.values()) queue.close();
  }
}
