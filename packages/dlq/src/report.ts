import type { SelectionSpec } from './selection.js';
import { type MessageOutcome, type ReplayResult, ReplayResults, type ReplayTotals } from './types.js';

/** Why a run ended. */
export const StopReasons = {
  drained: 'drained',
  maxReached: 'max-reached',
  interrupted: 'interrupted',
  heldLimit: 'held-limit',
  error: 'error',
} as const;
/**
 * One of {@link StopReasons}.
 *
 * @example
 * ```ts
 * const { stopReason } = await replayDlq(clients, 'billing-dlq', { max: 100 });
 * ```
 */
export type StopReason = (typeof StopReasons)[keyof typeof StopReasons];

/**
 * How a run treats the DLQ: move (replay), copy (`--keep`), look only (`--dry-run`).
 *
 * @example
 * ```ts
 * const { mode } = await replayDlq(clients, 'billing-dlq', { dryRun: true }); // 'dry-run'
 * ```
 */
export type ReplayMode = 'replay' | 'copy' | 'dry-run';

/**
 * The JSON report of one replay run: what happened to every message it looked at, and the totals.
 *
 * @example
 * ```ts
 * const report: ReplayReport = await replayDlq(clients, 'billing-dlq');
 * if (report.interrupted) console.log('run it again to continue: no duplicates');
 * ```
 */
export interface ReplayReport {
  readonly runId: string;
  readonly queue: { readonly url: string; readonly arn: string; readonly name: string };
  readonly mode: ReplayMode;
  readonly selection: SelectionSpec;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly stoppedBecause: StopReason;
  /** True when the run was stopped before the DLQ was drained (abort signal, Ctrl-C, deadline). */
  readonly interrupted: boolean;
  /** A fatal error that ended the run early (e.g. permission denied on the destination). */
  readonly error?: { readonly name: string; readonly message: string };
  readonly totals: ReplayTotals;
  /** Replayed (or would-replay) messages per second over the run. */
  readonly messagesPerSecond: number;
  readonly messages: readonly MessageOutcome[];
}

const totalsKey: Readonly<Record<ReplayResult, Exclude<keyof ReplayTotals, 'received'>>> = {
  [ReplayResults.replayed]: 'replayed',
  [ReplayResults.skipped]: 'skipped',
  [ReplayResults.failed]: 'failed',
  [ReplayResults.wouldReplay]: 'wouldReplay',
};

/** Empty totals. */
export const emptyTotals = (): ReplayTotals => ({
  received: 0,
  replayed: 0,
  skipped: 0,
  failed: 0,
  wouldReplay: 0,
});

/** Collects one outcome per message id (the first one recorded wins) and keeps the totals current. Pure. */
export class ReportBuilder {
  private readonly outcomes = new Map<string, MessageOutcome>();
  private readonly counts: ReplayTotals = emptyTotals();

  /** Records a message's outcome; returns false when the message already has one. */
  public record(outcome: MessageOutcome): boolean {
    if (this.outcomes.has(outcome.messageId)) return false;
    this.outcomes.set(outcome.messageId, outcome);
    this.counts.received += 1;
    this.counts[totalsKey[outcome.result]] += 1;
    return true;
  }

  /** Changes the reason of a recorded outcome (its result stays). */
  public amend(messageId: string, reason: string | undefined): void {
    const recorded = this.outcomes.get(messageId);
    if (recorded !== undefined) this.outcomes.set(messageId, { ...recorded, reason });
  }

  /** The outcome recorded for a message id, if any. */
  public get(messageId: string): MessageOutcome | undefined {
    return this.outcomes.get(messageId);
  }

  /** A copy of the totals so far. */
  public get totals(): ReplayTotals {
    return { ...this.counts };
  }

  /** The finished report. */
  public build(
    header: Omit<ReplayReport, 'totals' | 'messages' | 'messagesPerSecond' | 'durationMs' | 'finishedAt'>,
    finishedAt: Date,
  ): ReplayReport {
    const durationMs = Math.max(0, finishedAt.getTime() - Date.parse(header.startedAt));
    const moved = this.counts.replayed + this.counts.wouldReplay;
    return {
      ...header,
      finishedAt: finishedAt.toISOString(),
      durationMs,
      totals: this.totals,
      messagesPerSecond: durationMs > 0 ? Math.round((moved / durationMs) * 1000 * 10) / 10 : 0,
      messages: [...this.outcomes.values()],
    };
  }
}

/** True when some message failed (the CLI exits 1) — skipped messages are not failures. */
export const hasFailures = (report: ReplayReport): boolean =>
  report.totals.failed > 0 || report.error !== undefined;

/** One line per reason with its count, most frequent first: the part of a report an operator reads first. */
export const reasonCounts = (
  report: ReplayReport,
): { result: ReplayResult; reason: string; count: number }[] => {
  const counts = new Map<string, { result: ReplayResult; reason: string; count: number }>();
  for (const outcome of report.messages) {
    if (outcome.reason === undefined) continue;
    // Group malformed and not-selected reasons by their first clause so that a thousand ids make one line.
    const reason = outcome.reason.split(': ').slice(0, 2).join(': ');
    const key = `${outcome.result}\u0000${reason}`;
    const entry = counts.get(key) ?? { result: outcome.result, reason, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count);
};
