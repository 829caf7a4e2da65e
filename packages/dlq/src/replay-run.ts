import { DeleteMessageBatchCommand, type Message } from '@aws-sdk/client-sqs';
import { chunk } from './async.js';
import { errorMessage, isAccessDenied } from './aws-errors.js';
import type { Destination, DestinationResolver } from './destinations.js';
import { PermissionDeniedError } from './errors.js';
import { toDlqMessage } from './message.js';
import { releaseMessages } from './peek.js';
import type { RateLimiter } from './rate.js';
import { type ReportBuilder, type StopReason, StopReasons } from './report.js';
import { matchSelection, type Selection } from './selection.js';
import { type ReplayClients, sendMessages } from './senders.js';
import {
  type DlqMessage,
  type EventCheck,
  type MessageOutcome,
  type QueueRef,
  ReplayResults,
} from './types.js';
import type { VisibilityKeeper } from './visibility.js';

/** Settings of one run that `ReplayRun` needs. */
export interface RunSettings {
  readonly dlq: QueueRef;
  readonly selection: Selection;
  readonly dryRun: boolean;
  readonly keep: boolean;
  readonly max: number;
  readonly maxAttempts: number;
  /** Keep the consumer's failure reason attributes on replayed messages (default: they are dropped). */
  readonly keepFailureReason: boolean;
  /** Checks an event envelope (see `ReplayOptions.checkEvent`). */
  readonly checkEvent: EventCheck | undefined;
  /** Trace header for messages that lost theirs (see `ReplayOptions.traceHeader`). */
  readonly traceHeader: string | undefined;
}

/** The collaborators of one run (built by `replayDlq`). */
export interface RunParts {
  readonly clients: ReplayClients;
  readonly resolver: DestinationResolver;
  readonly limiter: RateLimiter;
  readonly keeper: VisibilityKeeper;
  readonly report: ReportBuilder;
}

interface Sent {
  readonly message: DlqMessage;
  readonly destination: string | undefined;
}

interface Pending {
  readonly destination: Destination;
  readonly messages: DlqMessage[];
}

const outcome = (
  message: DlqMessage,
  result: MessageOutcome['result'],
  destination: string | undefined,
  reason: string | undefined,
): MessageOutcome => ({
  messageId: message.messageId,
  eventId: message.eventId,
  eventType: message.eventType,
  destination,
  result,
  reason,
});

/**
 * The state of one replay run and the handling of each received batch. The invariants that make a run safe:
 * a message is sent at most once per run (message ids and domain event ids are claimed before sending, and a
 * message received again is never sent again); it is deleted from the DLQ only after its send succeeded; every
 * message that is not deleted stays held until the end of the run and is then made visible again.
 */
export class ReplayRun {
  /** Message ids whose send succeeded: if one comes back (a lapsed visibility), it is deleted, never resent. */
  private readonly sent = new Set<string>();
  private readonly inProgress = new Set<string>();
  private readonly claimedEventIds = new Set<string>();
  /** FIFO groups (per destination) with a failed message: later messages of the group stay, to keep order. */
  private readonly blockedGroups = new Set<string>();
  /** Aborted on any stop: no more receives. */
  private readonly stop = new AbortController();
  /** Aborted on an interrupt or a fatal error only: no new sends (a spent budget lets started batches finish). */
  private readonly cancel = new AbortController();
  private budget: number;
  private reason: StopReason = StopReasons.drained;
  private fatal: unknown;

  public constructor(
    private readonly settings: RunSettings,
    private readonly parts: RunParts,
  ) {
    this.budget = settings.max;
  }

  /** Aborted when the run stops receiving: by the caller, a fatal error, a spent budget or the held limit. */
  public get signal(): AbortSignal {
    return this.stop.signal;
  }

  /** Why the run stopped (or `drained` while it runs). */
  public get stopReason(): StopReason {
    return this.reason;
  }

  /** The fatal error that ended the run, if any. */
  public get error(): unknown {
    return this.fatal;
  }

  /**
   * Stops the run. Every stop ends receiving; an interrupt or an error also cancels sends not yet started (sends
   * under way always settle). An error always names the reason, an interrupt overrides a spent budget, otherwise
   * the first reason wins.
   */
  public halt(reason: StopReason, error?: unknown): void {
    if (error !== undefined) {
      if (this.fatal === undefined) this.fatal = error;
      this.reason = StopReasons.error;
    } else if (
      !this.stop.signal.aborted ||
      (reason === StopReasons.interrupted && this.reason !== StopReasons.error)
    ) {
      this.reason = reason;
    }
    this.stop.abort();
    if (error !== undefined || reason === StopReasons.interrupted) this.cancel.abort();
  }

  /** Handles one received batch: select, resolve, send, delete. Sends already started always settle. */
  public async processBatch(received: readonly Message[]): Promise<void> {
    const { keeper, report, resolver } = this.parts;
    const { dryRun, keep, selection } = this.settings;
    const pending = new Map<string, Pending>();
    const toDelete: Sent[] = [];
    const unreported: DlqMessage[] = [];
    for (const raw of received) {
      const message = toDlqMessage(raw, this.settings.checkEvent);
      keeper.track(message.messageId, message.receiptHandle);
      if (this.sent.has(message.messageId)) {
        // Sent earlier in this run and back again (its delete failed or its visibility lapsed): never resend.
        if (!keep) toDelete.push({ message, destination: report.get(message.messageId)?.destination });
        continue;
      }
      if (report.get(message.messageId) !== undefined || this.inProgress.has(message.messageId)) continue;
      if (message.malformed !== undefined) {
        report.record(outcome(message, ReplayResults.skipped, undefined, `malformed: ${message.malformed}`));
        continue;
      }
      const verdict = matchSelection(selection, message);
      if (!verdict.selected) {
        report.record(outcome(message, ReplayResults.skipped, undefined, verdict.reason));
        continue;
      }
      if (message.eventId !== undefined && this.claimedEventIds.has(message.eventId)) {
        const reason = `duplicate: event ${message.eventId} was already replayed in this run`;
        report.record(outcome(message, ReplayResults.skipped, undefined, reason));
        continue;
      }
      const resolution = await resolver.resolve(message);
      if (!resolution.ok) {
        report.record(outcome(message, ReplayResults.failed, undefined, resolution.reason));
        continue;
      }
      const { destination } = resolution;
      const group = this.groupKey(destination, message);
      if (group !== undefined && this.blockedGroups.has(group)) {
        const reason = `kept to preserve order: an earlier message of group ${message.messageGroupId} failed`;
        report.record(outcome(message, ReplayResults.skipped, destination.label, reason));
        continue;
      }
      if (this.budget <= 0 || this.cancel.signal.aborted) {
        unreported.push(message);
        continue;
      }
      this.budget -= 1;
      if (message.eventId !== undefined) this.claimedEventIds.add(message.eventId);
      if (dryRun) {
        report.record(outcome(message, ReplayResults.wouldReplay, destination.label, undefined));
        continue;
      }
      this.inProgress.add(message.messageId);
      const entry = pending.get(destination.label) ?? { destination, messages: [] };
      entry.messages.push(message);
      pending.set(destination.label, entry);
    }
    // Over the budget or stopping: give these back now; they were not looked at, so they are not reported.
    for (const message of unreported) keeper.untrack(message.messageId);
    const handles = unreported.map((message) => message.receiptHandle);
    await releaseMessages(this.parts.clients.sqs, this.settings.dlq.url, handles);
    for (const { destination, messages } of pending.values()) {
      await this.sendGroup(destination, messages, toDelete);
    }
    await this.deleteSent(toDelete);
    if (this.budget <= 0) this.halt(StopReasons.maxReached);
  }

  private groupKey(destination: Destination, message: DlqMessage): string | undefined {
    if (destination.kind !== 'sqs' || !destination.queue.fifo || message.messageGroupId === undefined)
      return undefined;
    return `${destination.label}\u0000${message.messageGroupId}`;
  }

  private giveUp(message: DlqMessage): void {
    this.inProgress.delete(message.messageId);
    if (message.eventId !== undefined) this.claimedEventIds.delete(message.eventId);
  }

  private async sendGroup(destination: Destination, messages: DlqMessage[], toDelete: Sent[]): Promise<void> {
    const { limiter, report, clients } = this.parts;
    let pending = messages;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      await limiter.acquire(pending.length, this.cancel.signal);
      if (this.cancel.signal.aborted) break; // not sent: held, and released at the end of the run
      let outcomes: Awaited<ReturnType<typeof sendMessages>>;
      try {
        outcomes = await sendMessages(clients, destination, pending, {
          keepFailureReason: this.settings.keepFailureReason,
          traceHeader: this.settings.traceHeader,
        });
      } catch (error) {
        for (const message of pending) {
          report.record(outcome(message, ReplayResults.failed, destination.label, errorMessage(error)));
          this.giveUp(message);
        }
        this.halt(StopReasons.error, error);
        return;
      }
      const retry: DlqMessage[] = [];
      let throttled = false;
      outcomes.forEach((result, index) => {
        const message = pending[index] as DlqMessage;
        if (result.ok) {
          this.sent.add(message.messageId);
          this.inProgress.delete(message.messageId);
          limiter.succeeded();
          if (this.settings.keep)
            report.record(outcome(message, ReplayResults.replayed, destination.label, undefined));
          else toDelete.push({ message, destination: destination.label });
        } else if (result.retryable && attempt < this.settings.maxAttempts && !this.cancel.signal.aborted) {
          throttled ||= result.reason.startsWith('throttled');
          retry.push(message);
        } else {
          report.record(outcome(message, ReplayResults.failed, destination.label, result.reason));
          this.giveUp(message);
          const group = this.groupKey(destination, message);
          if (group !== undefined) this.blockedGroups.add(group);
        }
      });
      if (retry.length > 0 && (throttled || attempt > 1)) limiter.throttled();
      pending = retry;
    }
    for (const message of pending) this.giveUp(message);
  }

  /** Deletes sent messages from the DLQ (never before their send succeeded) and records them as replayed. */
  private async deleteSent(items: readonly Sent[]): Promise<void> {
    const { keeper, report, clients } = this.parts;
    for (const batch of chunk(items, 10)) {
      const failures = new Map<string, string>();
      try {
        const out = await clients.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.settings.dlq.url,
            Entries: batch.map(({ message }, index) => ({
              Id: String(index),
              // The newest handle: if the message was received again meanwhile, an older one would "succeed"
              // without deleting anything.
              ReceiptHandle: keeper.handleOf(message.messageId) ?? message.receiptHandle,
            })),
          }),
        );
        for (const failed of out.Failed ?? [])
          failures.set(failed.Id ?? '', `${failed.Code}: ${failed.Message ?? ''}`);
      } catch (error) {
        for (let index = 0; index < batch.length; index += 1)
          failures.set(String(index), errorMessage(error));
        if (isAccessDenied(error)) {
          this.halt(StopReasons.error, new PermissionDeniedError('sqs:DeleteMessage', errorMessage(error)));
        }
      }
      batch.forEach(({ message, destination }, index) => {
        const failure = failures.get(String(index));
        if (failure === undefined) keeper.untrack(message.messageId);
        const reason =
          failure === undefined
            ? undefined
            : `replayed, but the delete from the DLQ failed (${failure}); a later run would send it again, which consumers ignore (idempotent on the event id)`;
        // A message sent earlier whose delete failed then is already reported: only its reason changes.
        if (!report.record(outcome(message, ReplayResults.replayed, destination, reason))) {
          report.amend(message.messageId, reason);
        }
      });
    }
  }
}
