import { randomBytes } from 'node:crypto';
import { DueHeap } from './due-heap.js';
import type { StoredMessage } from './message.js';
import { defaultAttributes, type StoredQueueAttributes } from './queue-attributes.js';

/**
 * One queue's messages and their life cycle, with SQS's semantics:
 * - a message is delayed, visible, in flight (received, hidden until its visibility timeout) or gone;
 * - delayed and in-flight messages wait in a heap keyed by the time they become visible, taken out lazily on
 *   each request (and by a timer while long polls wait), so idle queues cost nothing;
 * - standard queues serve visible messages oldest-available first;
 * - FIFO queues keep each message group in send order and serve groups by when their first message became
 *   available; one receive takes, from each group whose first message is visible, the consecutive visible
 *   messages (up to 10 in all); a group whose first message is in flight is locked
 *   (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html);
 * - a receive that would exceed the redrive policy's maxReceiveCount moves the message to the dead-letter queue
 *   instead (same message id, receive count and sent time; DeadLetterQueueSourceArn added);
 * - messages older than the retention period are dropped.
 * Validation, receipt handles and output shapes belong to the actions; this class trusts its callers.
 */

/** The redrive policy, parsed. */
export interface Redrive {
  readonly deadLetterTargetArn: string;
  readonly maxReceiveCount: number;
}

interface ReadySlot {
  readonly message: StoredMessage;
  readonly slot: number;
}

const DEDUPLICATION_INTERVAL_MS = 5 * 60 * 1000;

/** A queue's identity. */
export interface QueueIdentity {
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly arn: string;
  readonly fifo: boolean;
}

export class SqsQueue {
  /** Distinguishes this queue from an earlier one of the same name (receipt handles name it). */
  public readonly id = randomBytes(8).toString('hex');
  public readonly name: string;
  public readonly region: string;
  public readonly accountId: string;
  public readonly arn: string;
  public readonly fifo: boolean;
  public readonly createdTimestamp: number;
  public lastModifiedTimestamp: number;
  public attributes: StoredQueueAttributes;
  public readonly tags = new Map<string, string>();
  /** The deduplication scope in force: set at creation; AWS keeps deduplicating so after a later change. */
  public readonly deduplicationScope: string;
  public lastPurgeAt: number | undefined;

  private readonly messages = new Map<string, StoredMessage>();
  private ready: ReadySlot[] = [];
  private readyHead = 0;
  private readonly slots = new WeakMap<StoredMessage, number>();
  private nextSlot = 0;
  private readonly groups = new Map<string, StoredMessage[]>();
  private readonly due = new DueHeap<StoredMessage>();
  private readonly deduplication = new Map<
    string,
    { messageId: string; sequenceNumber: string; expiresAt: number }
  >();
  private sequence = 0n;
  private order = 0;
  private readonly counts = { visible: 0, inflight: 0, delayed: 0 };
  private readonly waiters = new Set<() => void>();
  private wakeTimer: NodeJS.Timeout | undefined;
  private wakeAt = Number.POSITIVE_INFINITY;

  public constructor(identity: QueueIdentity, attributes: StoredQueueAttributes, now: number) {
    this.name = identity.name;
    this.region = identity.region;
    this.accountId = identity.accountId;
    this.arn = identity.arn;
    this.fifo = identity.fifo;
    this.attributes = { ...defaultAttributes(identity.fifo), ...attributes };
    this.createdTimestamp = Math.floor(now / 1000);
    this.lastModifiedTimestamp = this.createdTimestamp;
    this.deduplicationScope = this.attributes.DeduplicationScope ?? 'queue';
    this.sequence = BigInt(now) * 1_000_000n;
  }

  private numberAttribute(name: string, fallback: number): number {
    const value = Number(this.attributes[name]);
    return Number.isFinite(value) ? value : fallback;
  }

  public get visibilityTimeoutSeconds(): number {
    return this.numberAttribute('VisibilityTimeout', 30);
  }
  public get delaySeconds(): number {
    return this.numberAttribute('DelaySeconds', 0);
  }
  public get maximumMessageSize(): number {
    return this.numberAttribute('MaximumMessageSize', 1_048_576);
  }
  public get receiveWaitTimeSeconds(): number {
    return this.numberAttribute('ReceiveMessageWaitTimeSeconds', 0);
  }
  public get contentBasedDeduplication(): boolean {
    return this.attributes.ContentBasedDeduplication === 'true';
  }
  public get redrive(): Redrive | undefined {
    const policy = this.attributes.RedrivePolicy;
    if (policy === undefined) return undefined;
    const parsed = JSON.parse(policy) as Redrive;
    return parsed;
  }
  private get retentionMs(): number {
    return this.numberAttribute('MessageRetentionPeriod', 345_600) * 1000;
  }

  /** The next FIFO sequence number: 20 digits, increasing. */
  public nextSequenceNumber(): string {
    this.sequence += 1n;
    return this.sequence.toString().padStart(20, '0');
  }

  private deduplicationKey(deduplicationId: string, groupId: string | undefined): string {
    return this.deduplicationScope === 'messageGroup'
      ? `${groupId ?? ''}\u0000${deduplicationId}`
      : deduplicationId;
  }

  /** The message a deduplication id already stands for, within the 5-minute interval. */
  public duplicateOf(
    deduplicationId: string,
    groupId: string | undefined,
    now: number,
  ): { messageId: string; sequenceNumber: string } | undefined {
    const key = this.deduplicationKey(deduplicationId, groupId);
    const seen = this.deduplication.get(key);
    if (seen === undefined) return undefined;
    if (seen.expiresAt <= now) {
      this.deduplication.delete(key);
      return undefined;
    }
    return seen;
  }

  /** Adds a message (delayed when `delaySeconds` > 0); records its deduplication id on FIFO queues. */
  public enqueue(message: StoredMessage, delaySeconds: number, now: number): void {
    this.messages.set(message.messageId, message);
    if (message.deduplicationId !== undefined && this.fifo && message.deadLetterSourceArn === undefined) {
      this.deduplication.set(this.deduplicationKey(message.deduplicationId, message.groupId), {
        messageId: message.messageId,
        sequenceNumber: message.sequenceNumber ?? '',
        expiresAt: now + DEDUPLICATION_INTERVAL_MS,
      });
    }
    if (this.fifo) {
      const groupId = message.groupId ?? '';
      const group = this.groups.get(groupId);
      if (group === undefined) this.groups.set(groupId, [message]);
      else group.push(message);
    }
    if (delaySeconds > 0) {
      message.state = 'delayed';
      message.visibleAt = now + delaySeconds * 1000;
      this.counts.delayed++;
      this.schedule(message);
    } else {
      this.makeVisible(message);
    }
  }

  private schedule(message: StoredMessage): void {
    this.due.push(message.visibleAt, message);
    this.armWake();
  }

  private makeVisible(message: StoredMessage): void {
    message.state = 'visible';
    message.availableOrder = ++this.order;
    this.counts.visible++;
    if (!this.fifo) {
      const slot = ++this.nextSlot;
      this.slots.set(message, slot);
      this.ready.push({ message, slot });
    }
    this.notify();
  }

  /** Moves delayed and in-flight messages whose time has come to visible. */
  public refresh(now: number): void {
    for (let entry = this.due.popDue(now); entry !== undefined; entry = this.due.popDue(now)) {
      const message = entry.value;
      if (message.visibleAt !== entry.at) continue;
      if (message.state === 'delayed') this.counts.delayed--;
      else if (message.state === 'inflight') this.counts.inflight--;
      else continue;
      this.makeVisible(message);
    }
  }

  private isExpired(message: StoredMessage, now: number): boolean {
    return now - message.sentTimestamp >= this.retentionMs;
  }

  /** Removes a message for good. */
  public remove(message: StoredMessage): void {
    if (message.state === 'gone') return;
    if (message.state === 'visible') this.counts.visible--;
    else if (message.state === 'inflight') this.counts.inflight--;
    else this.counts.delayed--;
    message.state = 'gone';
    this.messages.delete(message.messageId);
    if (this.fifo) {
      const groupId = message.groupId ?? '';
      const group = this.groups.get(groupId);
      const index = group?.indexOf(message) ?? -1;
      if (group !== undefined && index >= 0) {
        group.splice(index, 1);
        if (group.length === 0) this.groups.delete(groupId);
        else if (index === 0) this.notify();
      }
    }
  }

  /** Every message the queue holds, in any state (for a snapshot of the engine). */
  public allMessages(): StoredMessage[] {
    return [...this.messages.values()];
  }

  public find(messageId: string): StoredMessage | undefined {
    return this.messages.get(messageId);
  }

  /** Hides a message until `now + seconds` (0: visible again at once). */
  public hide(message: StoredMessage, seconds: number, now: number): void {
    if (message.state === 'visible') {
      this.counts.visible--;
      this.counts.inflight++;
    }
    message.state = 'inflight';
    message.visibleAt = now + seconds * 1000;
    this.schedule(message);
  }

  /** Receives up to `max` messages; `moveToDeadLetter` takes those past the redrive policy's count. */
  public receive(
    max: number,
    visibilitySeconds: number,
    now: number,
    moveToDeadLetter: ((message: StoredMessage) => boolean) | undefined,
  ): StoredMessage[] {
    this.refresh(now);
    const received: StoredMessage[] = [];
    const redrive = moveToDeadLetter === undefined ? undefined : this.redrive;
    const take = (message: StoredMessage): boolean => {
      if (this.isExpired(message, now)) {
        this.remove(message);
        return false;
      }
      if (
        redrive !== undefined &&
        message.receiveCount >= redrive.maxReceiveCount &&
        moveToDeadLetter?.(message)
      ) {
        this.remove(message);
        return false;
      }
      message.receiveCount++;
      message.firstReceiveTimestamp ??= now;
      message.lastReceiveTimestamp = now;
      message.receipt++;
      this.hide(message, visibilitySeconds, now);
      received.push(message);
      return true;
    };
    if (!this.fifo) {
      while (received.length < max && this.readyHead < this.ready.length) {
        const entry = this.ready[this.readyHead++];
        if (entry === undefined) break;
        if (entry.message.state !== 'visible' || this.slots.get(entry.message) !== entry.slot) continue;
        take(entry.message);
      }
      this.compactReady();
      return received;
    }
    const available = [...this.groups.values()]
      .filter((group) => group[0]?.state === 'visible')
      .sort((a, b) => (a[0]?.availableOrder ?? 0) - (b[0]?.availableOrder ?? 0));
    for (const group of available) {
      // Copy: taking a message past its count removes it from the group.
      for (const message of [...group]) {
        if (received.length >= max || message.state !== 'visible') break;
        take(message);
      }
      if (received.length >= max) break;
    }
    return received;
  }

  private compactReady(): void {
    if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.readyHead);
      this.readyHead = 0;
    }
  }

  /** Approximate counts, as GetQueueAttributes reports them (expired messages dropped first). */
  public approximateCounts(now: number): { visible: number; inflight: number; delayed: number } {
    this.refresh(now);
    for (const message of this.messages.values()) if (this.isExpired(message, now)) this.remove(message);
    return { ...this.counts };
  }

  /**
   * The sent time (epoch ms) of the oldest message still in the queue (any state), or undefined when it is empty:
   * what CloudWatch's ApproximateAgeOfOldestMessage measures from (a dead-lettered message keeps its first send).
   */
  public oldestSentTimestamp(now: number): number | undefined {
    this.refresh(now);
    let oldest: number | undefined;
    for (const message of this.messages.values()) {
      if (this.isExpired(message, now)) continue;
      if (oldest === undefined || message.sentTimestamp < oldest) oldest = message.sentTimestamp;
    }
    return oldest;
  }

  /** Every message whose visibility is visible now, oldest first (move tasks count and take these). */
  public visibleMessages(now: number): StoredMessage[] {
    this.refresh(now);
    return [...this.messages.values()].filter((message) => message.state === 'visible');
  }

  /** Deletes every message, in flight and delayed ones included, and forgets deduplication ids. */
  public purge(now: number): void {
    this.messages.clear();
    this.ready = [];
    this.readyHead = 0;
    this.groups.clear();
    this.due.clear();
    this.deduplication.clear();
    this.counts.visible = 0;
    this.counts.inflight = 0;
    this.counts.delayed = 0;
    this.lastPurgeAt = now;
  }

  /** Waits until something may have become receivable, `ms` pass or `signal` aborts. */
  public waitForChange(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
      this.armWake();
    });
  }

  private notify(): void {
    if (this.waiters.size === 0) return;
    for (const waiter of [...this.waiters]) waiter();
  }

  /** While long polls wait, wakes them when the earliest delayed or in-flight message becomes visible. */
  private armWake(): void {
    if (this.waiters.size === 0) return;
    const at = this.due.peekAt();
    if (at === undefined || at >= this.wakeAt) return;
    clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = undefined;
        this.wakeAt = Number.POSITIVE_INFINITY;
        this.refresh(Date.now());
        this.armWake();
      },
      Math.max(0, at - Date.now()) + 1,
    );
    this.wakeTimer.unref();
  }

  /** Releases waiting long polls and timers (the queue was deleted or the engine stops). */
  public close(): void {
    clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    this.notify();
  }
}
