import { UsageError } from './errors.js';
import type { DlqMessage } from './types.js';

/**
 * Which messages to replay, as an operator writes it (CLI flags, the Lambda event, the report). Every given
 * criterion must hold (AND); the values within one criterion are alternatives (OR). Empty selects everything.
 *
 * @example
 * ```ts
 * const selection: SelectionSpec = { types: ['payment.failed'], where: ['detail.data.reason=declined'] };
 * await replayDlq(clients, 'billing-dlq', { selection });
 * ```
 */
export interface SelectionSpec {
  /** Event types (the envelope `type`, which is also the EventBridge `detail-type`). */
  readonly types?: readonly string[];
  /** Sent at or after: ISO date-time, epoch milliseconds, or a duration ago (`90s`, `30m`, `2h`, `7d`). */
  readonly since?: string;
  /** Sent before: same forms as `since`. */
  readonly until?: string;
  /** EventBridge `ERROR_CODE` attribute values. */
  readonly errorCodes?: readonly string[];
  /** Path predicates on the JSON body, `detail.data.currency=EUR` or `detail.data.currency!=EUR`. */
  readonly where?: readonly string[];
  /** SQS message ids or domain event ids. */
  readonly ids?: readonly string[];
}

/** A path predicate on the JSON body. */
export interface PathPredicate {
  readonly path: readonly string[];
  readonly negate: boolean;
  readonly value: string;
  /** As written, for reasons in the report. */
  readonly text: string;
}

/** A checked, ready-to-match selection. */
export interface Selection {
  readonly types: ReadonlySet<string> | undefined;
  readonly since: number | undefined;
  readonly until: number | undefined;
  readonly errorCodes: ReadonlySet<string> | undefined;
  readonly where: readonly PathPredicate[];
  readonly ids: ReadonlySet<string> | undefined;
}

const durationUnits: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses an instant: ISO date-time, epoch milliseconds, or a duration before `now` (`30m`, `2h`, `7d`). */
export const parseInstant = (text: string, now: number): number => {
  const trimmed = text.trim();
  const duration = /^(\d+(?:\.\d+)?)([smhd])$/.exec(trimmed);
  if (duration !== null) {
    return now - Number(duration[1]) * (durationUnits[duration[2] ?? 's'] ?? 1_000);
  }
  if (/^\d{10,}$/.test(trimmed)) return Number(trimmed);
  const parsed = Date.parse(trimmed);
  if (/^\d{4}-\d{2}-\d{2}/.test(trimmed) && Number.isFinite(parsed)) return parsed;
  throw new UsageError(
    `cannot read '${text}' as a time: use an ISO date-time (2025-01-31T02:00:00Z), epoch milliseconds, or a duration ago (30m, 2h, 7d)`,
  );
};

/** Splits `a.b[0].c` or `a.b.0.c` into path segments. */
export const parsePath = (text: string): string[] => {
  const segments = text
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .map((segment) => segment.trim());
  if (segments.length === 0 || segments.some((segment) => segment === '')) {
    throw new UsageError(`invalid path '${text}': use dots between fields, e.g. detail.data.currency`);
  }
  return segments;
};

/** Parses `path=value` or `path!=value`. */
export const parsePredicate = (text: string): PathPredicate => {
  const match = /^([^=!]+?)\s*(!?=)\s*(.*)$/s.exec(text);
  if (match === null || match[1] === undefined || match[3] === undefined) {
    throw new UsageError(`invalid --where '${text}': use <json path>=<value>, e.g. detail.data.currency=EUR`);
  }
  return { path: parsePath(match[1]), negate: match[2] === '!=', value: match[3], text };
};

/** Reads a value at a path of parsed JSON; undefined when any step is missing. */
export const getPath = (json: unknown, path: readonly string[]): unknown => {
  let current: unknown = json;
  for (const segment of path) {
    if (Array.isArray(current)) {
      current = /^\d+$/.test(segment) ? current[Number(segment)] : undefined;
    } else if (typeof current === 'object' && current !== null && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return current;
};

/** Strings compare as written; numbers, booleans and null by their JSON text (so `amount=100`, `paid=true`). */
const valueEquals = (actual: unknown, expected: string): boolean => {
  if (actual === undefined) return false;
  if (typeof actual === 'string') return actual === expected;
  return JSON.stringify(actual) === expected;
};

/** True when the predicate holds on the JSON body. A missing path never equals, so `!=` holds for it. */
export const predicateHolds = (predicate: PathPredicate, json: unknown): boolean =>
  valueEquals(getPath(json, predicate.path), predicate.value) !== predicate.negate;

const nonEmptySet = (values: readonly string[] | undefined): ReadonlySet<string> | undefined => {
  const cleaned = (values ?? []).map((value) => value.trim()).filter((value) => value !== '');
  return cleaned.length > 0 ? new Set(cleaned) : undefined;
};

/** Checks and compiles a selection; throws `UsageError` naming the bad part. */
export const compileSelection = (spec: SelectionSpec, now: number = Date.now()): Selection => {
  const since = spec.since === undefined ? undefined : parseInstant(spec.since, now);
  const until = spec.until === undefined ? undefined : parseInstant(spec.until, now);
  if (since !== undefined && until !== undefined && since >= until) {
    throw new UsageError(
      `--since (${new Date(since).toISOString()}) must be before --until (${new Date(until).toISOString()})`,
    );
  }
  return {
    types: nonEmptySet(spec.types),
    since,
    until,
    errorCodes: nonEmptySet(spec.errorCodes),
    where: (spec.where ?? []).map(parsePredicate),
    ids: nonEmptySet(spec.ids),
  };
};

/** True when the selection has no criterion (selects every message). */
export const selectsEverything = (selection: Selection): boolean =>
  selection.types === undefined &&
  selection.since === undefined &&
  selection.until === undefined &&
  selection.errorCodes === undefined &&
  selection.where.length === 0 &&
  selection.ids === undefined;

/** Whether a message is selected, and if not, the first criterion it misses (for the report). */
export type SelectionVerdict =
  | { readonly selected: true }
  | { readonly selected: false; readonly reason: string };

/** Matches one message against a selection. Pure. */
export const matchSelection = (selection: Selection, message: DlqMessage): SelectionVerdict => {
  const miss = (reason: string): SelectionVerdict => ({ selected: false, reason: `not selected: ${reason}` });
  if (selection.ids !== undefined) {
    const byMessage = selection.ids.has(message.messageId);
    const byEvent = message.eventId !== undefined && selection.ids.has(message.eventId);
    if (!byMessage && !byEvent) return miss('id not in --ids');
  }
  if (selection.types !== undefined && !selection.types.has(message.eventType ?? '')) {
    return miss(`event type ${message.eventType ?? '(none)'} not in --type`);
  }
  if (selection.since !== undefined && (message.sentAt === undefined || message.sentAt < selection.since)) {
    return miss('sent before --since');
  }
  if (selection.until !== undefined && (message.sentAt === undefined || message.sentAt >= selection.until)) {
    return miss('sent at or after --until');
  }
  if (selection.errorCodes !== undefined && !selection.errorCodes.has(message.errorCode ?? '')) {
    return miss(`error code ${message.errorCode ?? '(none)'} not in --error-code`);
  }
  for (const predicate of selection.where) {
    if (!predicateHolds(predicate, message.json)) return miss(`--where ${predicate.text}`);
  }
  return { selected: true };
};
