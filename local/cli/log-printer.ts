import {
  type FunctionLogEntry,
  LOG_LEVELS,
  type LogLevelName,
  parseFunctionLogLine,
} from '@breakwater/local-cloud';

/** How `npm start` prints what the functions log. */
export interface LogPrinterOptions {
  /** Print EMF metric lines (as one short line each). Default false: they are metrics, not logs. */
  readonly showMetrics?: boolean;
  /** Only these functions (a name or part of one, matched against the short name and the function name). */
  readonly functions?: readonly string[];
  /** Lowest level printed; `OFF` prints nothing. Default INFO. */
  readonly minLevel?: LogLevelName | 'OFF';
  /** Print every line as the function printed it, `[function] line`. Default false. */
  readonly raw?: boolean;
  /** ANSI colours for levels. Default false. */
  readonly color?: boolean;
}

/** Keys worth a place on the short line, in this order, when an entry has them. */
const HIGHLIGHT_KEYS = ['orderId', 'eventType', 'circuitId', 'status', 'statusCode'] as const;

const COLORS: Partial<Record<LogLevelName, string>> = {
  DEBUG: '\u001b[2m',
  WARN: '\u001b[33m',
  ERROR: '\u001b[31m',
  CRITICAL: '\u001b[1;31m',
};
const RESET = '\u001b[0m';

/** `breakwater-dev-billing` / `orders-outbox` / a generated function name → the name a person uses. */
export const shortFunctionName = (source: string, entry?: FunctionLogEntry): string => {
  const service = entry !== undefined && 'service' in entry ? entry.service : undefined;
  if (service !== undefined && service !== '') return service;
  return source.replace(/^breakwater-[a-z]+-/, '');
};

const levelRank = (level: LogLevelName): number => LOG_LEVELS.indexOf(level);

const errorText = (fields: Readonly<Record<string, unknown>>): string | undefined => {
  if (typeof fields.errorName === 'string') {
    return `${fields.errorName}: ${String(fields.errorMessage ?? '')}`.trim();
  }
  const error = fields.error as { name?: unknown; message?: unknown } | undefined;
  if (error !== undefined && typeof error === 'object' && error !== null && 'message' in error) {
    return `${String(error.name ?? 'Error')}: ${String(error.message)}`;
  }
  return undefined;
};

const clock = (time: string): string => (/T(\d\d:\d\d:\d\d(?:\.\d{3})?)/.exec(time)?.[1] ?? time).padEnd(12);

/**
 * The short line of one entry, or undefined when the options hide it: `time function LEVEL message` followed by
 * what identifies the event (order, event type, circuit), the error, and the correlation id.
 */
export const formatLogEntry = (
  entry: FunctionLogEntry,
  options: LogPrinterOptions = {},
  name: string = shortFunctionName(entry.source, entry),
): string | undefined => {
  const minLevel = options.minLevel ?? 'INFO';
  if (minLevel === 'OFF') return undefined;
  const wanted = options.functions;
  if (
    wanted !== undefined &&
    wanted.length > 0 &&
    !wanted.some((w) => name.includes(w) || entry.source.includes(w))
  ) {
    return undefined;
  }
  const paint = (level: LogLevelName, text: string): string =>
    options.color && COLORS[level] !== undefined ? `${COLORS[level]}${text}${RESET}` : text;
  const head = (level: string) => `${clock(entry.time)} ${name.padEnd(16)} ${level.padEnd(6)}`;
  switch (entry.kind) {
    case 'metrics': {
      if (!options.showMetrics) return undefined;
      const values = Object.entries(entry.values)
        .map(([metric, value]) => `${metric}=${Array.isArray(value) ? value.join(',') : String(value)}`)
        .join(' ');
      const dims = Object.entries(entry.dimensions)
        .filter(([key]) => key !== 'service')
        .map(([key, value]) => `${key}=${value}`);
      return `${head('METRIC')} ${values}${dims.length > 0 ? `  (${dims.join(' ')})` : ''}`;
    }
    case 'log': {
      if (levelRank(entry.level) < levelRank(minLevel)) return undefined;
      const details = HIGHLIGHT_KEYS.filter((key) => entry.fields[key] !== undefined).map(
        (key) => `${key}=${String(entry.fields[key])}`,
      );
      const error = errorText(entry.fields);
      if (error !== undefined) details.push(error);
      if (entry.correlationId !== undefined) details.push(`corr=${entry.correlationId}`);
      const tail = details.length > 0 ? `  [${details.join(' · ')}]` : '';
      return paint(entry.level, `${head(entry.level)} ${entry.message}${tail}`);
    }
    default: {
      const level = entry.level ?? 'INFO';
      if (levelRank(level) < levelRank(minLevel)) return undefined;
      return paint(level, `${head(entry.level ?? '')} ${entry.message}`);
    }
  }
};

/**
 * A log sink for the Lambda runner that prints each function line as a short line (or raw with `raw`), or nothing,
 * as the options say. `nameOf` maps a function name to the name a person uses (the runner knows each function's
 * Powertools service name); lines that carry their service use it directly.
 */
export const createLogPrinter = (
  write: (line: string) => void,
  options: LogPrinterOptions = {},
  nameOf: (source: string) => string | undefined = () => undefined,
): ((source: string, line: string) => void) => {
  // The service a function's structured lines carry is the name its logs and metrics use: remembered per function
  // for its plain lines (a timeout, console output) too.
  const learned = new Map<string, string>();
  return (source, line) => {
    if (options.raw) {
      if (options.minLevel !== 'OFF') write(`[${source}] ${line}`);
      return;
    }
    const entry = parseFunctionLogLine(source, line);
    const service = 'service' in entry ? entry.service : undefined;
    if (service !== undefined) learned.set(source, service);
    const known = (fn: string) => learned.get(fn) ?? nameOf(fn);
    // The runner's own lines about a function are `<part>:<function name>` (its event source mapping, async queue).
    const colon = source.indexOf(':');
    const part = colon > 0 ? known(source.slice(colon + 1)) : undefined;
    const name =
      service ??
      known(source) ??
      (part === undefined ? undefined : `${source.slice(0, colon)}:${part}`) ??
      shortFunctionName(source);
    const printed = formatLogEntry(entry, options, name);
    if (printed !== undefined) write(printed);
  };
};
