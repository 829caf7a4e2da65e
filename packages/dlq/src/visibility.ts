import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { chunk } from './async.js';
import { releaseMessages } from './peek.js';

interface Tracked {
  /** The latest receipt handle: SQS deletes (and extends) a message received twice only by its newest handle. */
  receiptHandle: string;
  extendedAt: number;
}

/**
 * Keeps the messages a replay holds (received and not yet deleted) invisible while the run works on them, so that
 * no other receive in this run, or elsewhere, gets them mid-flight; and makes them visible again at the end.
 * Every `timeout / 4` it extends the ones that have used half their timeout.
 */
export class VisibilityKeeper {
  private readonly tracked = new Map<string, Tracked>();
  private timer: NodeJS.Timeout | undefined;
  private extending: Promise<void> = Promise.resolve();

  public constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly timeoutSeconds: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** How many messages are held. */
  public get size(): number {
    return this.tracked.size;
  }

  /** Starts the periodic extension. */
  public start(): void {
    const everyMs = Math.max(1_000, (this.timeoutSeconds * 1000) / 4);
    this.timer = setInterval(() => {
      this.extending = this.extending.then(() => this.extendDue());
    }, everyMs);
    this.timer.unref();
  }

  /** Holds a just-received message; a message received again is held by its new handle. */
  public track(messageId: string, receiptHandle: string): void {
    this.tracked.set(messageId, { receiptHandle, extendedAt: this.clock() });
  }

  /** The newest receipt handle of a held message. */
  public handleOf(messageId: string): string | undefined {
    return this.tracked.get(messageId)?.receiptHandle;
  }

  /** Forgets a message (deleted, or released by the caller). */
  public untrack(messageId: string): void {
    this.tracked.delete(messageId);
  }

  /** Extends the visibility of every held message that has used half its timeout. */
  public async extendDue(): Promise<void> {
    const now = this.clock();
    const due = [...this.tracked.entries()].filter(
      ([, entry]) => now - entry.extendedAt >= (this.timeoutSeconds * 1000) / 2,
    );
    for (const batch of chunk(due, 10)) {
      try {
        const out = await this.sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: batch.map(([, entry], index) => ({
              Id: String(index),
              ReceiptHandle: entry.receiptHandle,
              VisibilityTimeout: this.timeoutSeconds,
            })),
          }),
        );
        for (const ok of out.Successful ?? []) {
          const entry = batch[Number(ok.Id)];
          if (entry !== undefined) entry[1].extendedAt = now;
        }
        // A handle that can no longer be extended has expired; if the message comes back, the run's record of
        // processed message ids keeps it from being sent twice.
        for (const failed of out.Failed ?? []) {
          const entry = batch[Number(failed.Id)];
          if (entry !== undefined && failed.SenderFault === true && this.tracked.get(entry[0]) === entry[1]) {
            this.tracked.delete(entry[0]);
          }
        }
      } catch {
        // Transient: the next tick tries again, well before the timeout runs out.
      }
    }
  }

  /** Stops extending and makes every held message visible again. */
  public async releaseAll(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.extending;
    const handles = [...this.tracked.values()].map((entry) => entry.receiptHandle);
    this.tracked.clear();
    await releaseMessages(this.sqs, this.queueUrl, handles);
  }
}
