import { isFailureReasonAttribute } from './failure-reason.js';
import type { NativeRedriveProgress } from './native.js';
import type { ReplayProgress } from './replay.js';
import { type ReplayReport, reasonCounts } from './report.js';
import { type DlqMessage, type DlqSummary, EventBridgeDlqAttributes, type QueueRef } from './types.js';

const eventBridgeAttributeNames: ReadonlySet<string> = new Set(Object.values(EventBridgeDlqAttributes));

/** `3h12m`, `45s`, `2d4h`: an age an operator reads at a glance. */
export const formatAge = (seconds: number | undefined): string => {
  if (seconds === undefined) return '-';
  const units: [number, string][] = [
    [86_400, 'd'],
    [3_600, 'h'],
    [60, 'm'],
    [1, 's'],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(seconds));
  for (const [size, unit] of units) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.length === 0 ? '0s' : parts.join('');
};

const table = (rows: readonly (readonly string[])[]): string => {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

/** The `list` table. */
export const renderDlqList = (dlqs: readonly DlqSummary[]): string => {
  if (dlqs.length === 0)
    return 'no DLQs found (redrive policies and the tag breakwater:role=dlq were searched)\n';
  const rows = dlqs.map((dlq) => [
    dlq.queue.name,
    dlq.kind,
    String(dlq.depth),
    String(dlq.inFlight),
    `${formatAge(dlq.oldestAgeSeconds)}${dlq.oldestAgeSource === 'peek' ? '~' : ''}`,
    [...dlq.sources.map((source) => source.name), ...dlq.targets].join(', ') || '-',
  ]);
  const note = dlqs.some((dlq) => dlq.oldestAgeSource === 'peek') ? '\n~ oldest of a peeked sample\n' : '\n';
  return `${table([['DLQ', 'KIND', 'DEPTH', 'IN FLIGHT', 'OLDEST', 'SOURCES / TARGETS'], ...rows])}\n${note}`;
};

const clip = (text: string, full: boolean): string =>
  full || text.length <= 600 ? text : `${text.slice(0, 600)}… (--full)`;

const prettyBody = (message: DlqMessage): string =>
  message.json === undefined ? message.body : JSON.stringify(message.json, null, 2);

/** The `peek` view: one block per message. */
export const renderPeek = (queue: QueueRef, messages: readonly DlqMessage[], full: boolean): string => {
  if (messages.length === 0) return `${queue.name}: no visible messages\n`;
  const now = Date.now();
  const blocks = messages.map((message, index) => {
    const sent = message.sentAt === undefined ? '-' : new Date(message.sentAt).toISOString();
    const ago = message.sentAt === undefined ? '' : ` (${formatAge((now - message.sentAt) / 1000)} ago)`;
    const lines = [
      `── ${index + 1}/${messages.length}  message ${message.messageId}`,
      `  event       ${message.eventType ?? '-'}  id ${message.eventId ?? '-'}`,
      `  sent        ${sent}${ago}   receive count ${message.receiveCount}`,
    ];
    if (message.messageGroupId !== undefined) {
      lines.push(
        `  fifo        group ${message.messageGroupId}  dedup ${message.messageDeduplicationId ?? '-'}`,
      );
    }
    if (message.failure !== undefined) {
      const { errorName, errorMessage, functionName, eventId, firstFailedAt } = message.failure;
      lines.push(`  reason      ${errorName}: ${errorMessage}`);
      lines.push(
        `  failed in   ${functionName || '-'}  first at ${firstFailedAt || '-'}${eventId === undefined ? '' : `  event ${eventId}`}`,
      );
      lines.push('              (not retryable: sent here at once; fix the cause, then replay)');
    }
    if (message.errorCode !== undefined || message.errorMessage !== undefined) {
      lines.push(`  error       ${message.errorCode ?? '-'}: ${message.errorMessage ?? ''}`);
    }
    if (message.ruleArn !== undefined) lines.push(`  rule        ${message.ruleArn}`);
    if (message.targetArn !== undefined) lines.push(`  target      ${message.targetArn}`);
    if (message.deadLetterSourceArn !== undefined) lines.push(`  source      ${message.deadLetterSourceArn}`);
    // The EventBridge failure attributes and the consumer's failure reason are shown above, by name.
    const attributes = Object.entries(message.attributes)
      .filter(([name]) => !eventBridgeAttributeNames.has(name) && !isFailureReasonAttribute(name))
      .map(([name, value]) => `${name}=${value.StringValue ?? `(${value.DataType})`}`)
      .join('  ');
    if (attributes !== '') lines.push(`  attributes  ${attributes}`);
    if (message.malformed !== undefined)
      lines.push(`  MALFORMED   ${message.malformed} (a replay leaves it in place)`);
    lines.push(`  body\n${clip(prettyBody(message), full).replace(/^/gm, '    ')}`);
    return lines.join('\n');
  });
  return `${queue.name}: ${messages.length} message(s) peeked, all still in the queue\n\n${blocks.join('\n\n')}\n`;
};

/** The human summary after a replay. */
export const renderReplaySummary = (report: ReplayReport, reportPath: string): string => {
  const { totals } = report;
  const head =
    report.mode === 'dry-run'
      ? `dry run on ${report.queue.name}: ${totals.wouldReplay} would be replayed, ${totals.skipped} skipped, ${totals.failed} without destination`
      : `${report.mode} from ${report.queue.name}: ${totals.replayed} replayed, ${totals.skipped} skipped, ${totals.failed} failed`;
  const lines = [
    `${head} (${report.messagesPerSecond} msgs/s, ${(report.durationMs / 1000).toFixed(1)} s, stopped: ${report.stoppedBecause})`,
  ];
  for (const { result, reason, count } of reasonCounts(report).slice(0, 10)) {
    lines.push(`  ${String(count).padStart(6)}  ${result.padEnd(12)} ${reason}`);
  }
  if (report.interrupted) lines.push('interrupted: run the same command again to continue (no duplicates)');
  lines.push(`report: ${reportPath}`);
  return `${lines.join('\n')}\n`;
};

/** Progress on stderr: a bar redrawn in place on a terminal, a plain line every few seconds otherwise. */
export const reportProgress = (stderr: {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}): {
  replay: (progress: ReplayProgress) => void;
  native: (progress: NativeRedriveProgress) => void;
  done: () => void;
} => {
  const tty = stderr.isTTY === true;
  let last = 0;
  let drawn = false;
  const emit = (line: string, force = false): void => {
    const now = Date.now();
    if (!force && now - last < (tty ? 100 : 2_000)) return;
    last = now;
    drawn = tty;
    stderr.write(tty ? `\r\u001b[2K${line}` : `${line}\n`);
  };
  return {
    replay: ({ totals, held, expected }) => {
      const done = totals.replayed + totals.wouldReplay + totals.skipped + totals.failed;
      const share = expected !== undefined && expected > 0 ? Math.min(1, done / expected) : undefined;
      const bar = share === undefined ? '' : `[${'#'.repeat(Math.round(share * 30)).padEnd(30, '.')}] `;
      emit(
        `${bar}${done}/${expected ?? '?'}  replayed ${totals.replayed + totals.wouldReplay}  skipped ${totals.skipped}  failed ${totals.failed}  held ${held}`,
      );
    },
    // The final state is the command's result, printed once on stdout: progress shows only a task under way.
    native: ({ status, moved, toMove }) => {
      if (status === 'RUNNING' || status === 'CANCELLING')
        emit(`move task ${status}: ${moved}/${toMove ?? '?'} moved`, true);
    },
    done: () => {
      if (drawn) stderr.write('\n');
    },
  };
};
