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

/** One function's part in an order's path. */
export interface OrderStep {
  /** The function's short name (its Powertools service). */
  readonly function: string;
  readonly first: string;
  readonly last: string;
  /** The worst level among its entries. */
  readonly level: string;
  readonly entries: readonly { readonly time: string; readonly level: string; readonly message: string }[];
}

/** The path of one order across functions. */
export interface OrderPath {
  readonly query: string;
  /** The order ids and correlation ids the entries were found by. */
  readonly orderIds: readonly string[];
  readonly correlationIds: readonly string[];
  /** In order of first appearance. */
  readonly steps: readonly OrderStep[];
}

const LEVEL_ORDER = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL'];

/**
 * Finds an order's path in the log entries: by order id (an `orderId` key) or correlation id. The correlation ids
 * of the entries found by order id are followed too, so steps that log only the correlation id (the outbox
 * publisher, a billing retry) are part of the path; then the entries are grouped by function in time order.
 */
export const findOrderPath = (entries: readonly FunctionLogEntry[], query: string): OrderPath => {
  const id = query.trim();
  const structured = entries.filter((e) => e.kind === 'log');
  const orderIds = new Set<string>();
  const correlationIds = new Set<string>();
  for (const entry of structured) {
    if (entry.fields.orderId === id) {
      orderIds.add(id);
      if (entry.correlationId !== undefined) correlationIds.add(entry.correlationId);
    }
    if (entry.correlationId === id) correlationIds.add(id);
  }
  for (const entry of structured) {
    if (entry.correlationId !== undefined && correlationIds.has(entry.correlationId)) {
      const orderId = entry.fields.orderId;
      if (typeof orderId === 'string') orderIds.add(orderId);
    }
  }
  const matching = structured
    .filter(
      (e) =>
        (typeof e.fields.orderId === 'string' && orderIds.has(e.fields.orderId)) ||
        (e.correlationId !== undefined && correlationIds.has(e.correlationId)),
    )
    .sort((a, b) => a.time.localeCompare(b.time));
  const steps = new Map<string, OrderStep & { entries: OrderStep['entries'][number][] }>();
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
    orderIds: [...orderIds],
    correlationIds: [...correlationIds],
    steps: [...steps.values()],
  };
};
