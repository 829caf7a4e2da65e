import { type FunctionLogEntry, parseFunctionLogLine } from '../lambda/log-entry.js';

/** The function logs the local cloud keeps for the status page: the newest `capacity` entries, in memory. */
export class FunctionLogBook {
  readonly #capacity: number;
  readonly #entries: FunctionLogEntry[] = [];

  public constructor(capacity = 20_000) {
    this.#capacity = capacity;
  }

  /** Reads and keeps one line a function printed (a log sink of the Lambda runner). */
  public readonly add = (source: string, line: string): void => {
    this.#entries.push(parseFunctionLogLine(source, line));
    if (this.#entries.length > this.#capacity) this.#entries.splice(0, this.#entries.length - this.#capacity);
  };

  /** The newest `limit` entries, oldest first. */
  public recent(limit: number): FunctionLogEntry[] {
    return this.#entries.slice(-limit);
  }
}

/** One function's part in a traced path. */
export interface TraceStep {
  /** The function's short name (its Powertools service). */
  readonly function: string;
  readonly first: string;
  readonly last: string;
  /** The worst level among its entries. */
  readonly level: string;
  readonly entries: readonly { readonly time: string; readonly level: string; readonly message: string }[];
}

/** The path of one request (or one of the app's entities, by its key field) across functions. */
export interface TracePath {
  readonly query: string;
  /** The values of the key field (e.g. an order id) and the correlation ids the entries were found by. */
  readonly keys: readonly string[];
  readonly correlationIds: readonly string[];
  /** In order of first appearance. */
  readonly steps: readonly TraceStep[];
}

const LEVEL_ORDER = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL'];

/**
 * Finds a path in the log entries: by correlation id, or by the value of `keyField` (a structured log key such as
 * `orderId`: the app's own entity) when given. The correlation ids of the entries found by key are followed too, so
 * steps that log only the correlation id (a publisher, a retry) are part of the path, and the keys of the entries
 * found by correlation id likewise; then the entries are grouped by function in time order.
 */
export const findTracePath = (
  entries: readonly FunctionLogEntry[],
  query: string,
  keyField?: string,
): TracePath => {
  const id = query.trim();
  const structured = entries.filter((e) => e.kind === 'log');
  const keyOf = (entry: FunctionLogEntry): string | undefined => {
    if (keyField === undefined || entry.kind !== 'log') return undefined;
    const value = entry.fields[keyField];
    return typeof value === 'string' ? value : undefined;
  };
  const keys = new Set<string>();
  const correlationIds = new Set<string>();
  for (const entry of structured) {
    if (keyOf(entry) === id) {
      keys.add(id);
      if (entry.correlationId !== undefined) correlationIds.add(entry.correlationId);
    }
    if (entry.correlationId === id) correlationIds.add(id);
  }
  for (const entry of structured) {
    if (entry.correlationId !== undefined && correlationIds.has(entry.correlationId)) {
      const key = keyOf(entry);
      if (key !== undefined) keys.add(key);
    }
  }
  const matching = structured
    .filter((e) => {
      const key = keyOf(e);
      return (
        (key !== undefined && keys.has(key)) ||
        (e.correlationId !== undefined && correlationIds.has(e.correlationId))
      );
    })
    .sort((a, b) => a.time.localeCompare(b.time));
  const steps = new Map<string, TraceStep & { entries: TraceStep['entries'][number][] }>();
  for (const entry of matching) {
    const name = entry.service ?? entry.source;
    const step = steps.get(name) ?? {
      function: name,
      first: entry.time,
      last: entry.time,
      level: 'DEBUG',
      entries: [],
    };
    step.entries.push({ time: entry.time, level: entry.level, message: entry.message });
    const worse = LEVEL_ORDER.indexOf(entry.level) > LEVEL_ORDER.indexOf(step.level);
    steps.set(name, { ...step, last: entry.time, level: worse ? entry.level : step.level });
  }
  return {
    query: id,
    keys: [...keys],
    correlationIds: [...correlationIds],
    steps: [...steps.values()],
  };
};
