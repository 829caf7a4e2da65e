/**
 * One line a function printed, read the way CloudWatch would read it: a structured log entry (Powertools Logger's
 * JSON), an EMF object (metrics, no level), or plain text (Lambda's Text format `time\trequestId\tLEVEL\tmessage`,
 * or a line of the runner itself). Pure: the CLI printer and the status page build on it.
 */
export type FunctionLogEntry = StructuredLogEntry | MetricsLogEntry | TextLogEntry;

/** Log levels in order; a level outside the list sorts as INFO (as Lambda treats a missing one). */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevelName = (typeof LOG_LEVELS)[number];

interface EntryBase {
  /** The function (physical name) or runner component that printed the line. */
  readonly source: string;
  /** ISO timestamp: the line's own, else when it was read. */
  readonly time: string;
}

/** A Powertools Logger line. */
export interface StructuredLogEntry extends EntryBase {
  readonly kind: 'log';
  readonly level: LogLevelName;
  readonly message: string;
  /** `service` (the function's Powertools service name). */
  readonly service?: string;
  /** `correlation_id`: the request's or the event's, carried across functions. */
  readonly correlationId?: string;
  /** Every other key, without Powertools' per-invocation noise. */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** An EMF object: the metrics of one flush. */
export interface MetricsLogEntry extends EntryBase {
  readonly kind: 'metrics';
  readonly namespace: string;
  readonly service?: string;
  /** Metric name → value (or values) of this flush. */
  readonly values: Readonly<Record<string, number | readonly number[]>>;
  /** Dimension name → value. */
  readonly dimensions: Readonly<Record<string, string>>;
}

/** Anything else: console output in Lambda's Text format, platform lines, lines of the runner. */
export interface TextLogEntry extends EntryBase {
  readonly kind: 'text';
  readonly level?: LogLevelName;
  readonly requestId?: string;
  readonly message: string;
}

/** Keys Powertools Logger adds to every line that say nothing about the event. */
const NOISE_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'correlation_id',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
]);

/** The level name of `raw`, upper-cased; FATAL is CRITICAL (Lambda's name for it), unknown is INFO. */
export const levelOf = (raw: unknown): LogLevelName => {
  const upper = String(raw ?? '').toUpperCase();
  if (upper === 'FATAL') return 'CRITICAL';
  if (upper === 'WARNING') return 'WARN';
  return (LOG_LEVELS as readonly string[]).includes(upper) ? (upper as LogLevelName) : 'INFO';
};

const textLine = /^(\d{4}-\d\d-\d\dT[\d:.]+Z)\t(\S+)\t([A-Z]+)\t([\s\S]*)$/;

interface EmfDirective {
  readonly Namespace?: unknown;
  readonly Dimensions?: unknown;
  readonly Metrics?: unknown;
}

const metricsEntry = (
  source: string,
  object: Record<string, unknown>,
  fallbackTime: string,
): MetricsLogEntry => {
  const aws = object._aws as { Timestamp?: unknown; CloudWatchMetrics?: unknown };
  const directives = (Array.isArray(aws.CloudWatchMetrics) ? aws.CloudWatchMetrics : []) as EmfDirective[];
  const names = directives.flatMap((d) =>
    (Array.isArray(d.Metrics) ? d.Metrics : []).map((m) => String((m as { Name?: unknown }).Name)),
  );
  const dimensionNames = new Set(
    directives.flatMap((d) => (Array.isArray(d.Dimensions) ? d.Dimensions.flat() : []).map(String)),
  );
  const values: Record<string, number | number[]> = {};
  for (const name of names) {
    const value = object[name];
    if (typeof value === 'number' || Array.isArray(value)) values[name] = value as number | number[];
  }
  const dimensions: Record<string, string> = {};
  for (const name of dimensionNames) {
    if (object[name] !== undefined) dimensions[name] = String(object[name]);
  }
  const time = typeof aws.Timestamp === 'number' ? new Date(aws.Timestamp).toISOString() : fallbackTime;
  return {
    kind: 'metrics',
    source,
    time,
    namespace: String(directives[0]?.Namespace ?? ''),
    ...(typeof object.service === 'string' ? { service: object.service } : {}),
    values,
    dimensions,
  };
};

/** Reads one printed line. `now` stamps lines that carry no time of their own. */
export const parseFunctionLogLine = (
  source: string,
  line: string,
  now: Date = new Date(),
): FunctionLogEntry => {
  const fallbackTime = now.toISOString();
  const trimmed = line.trim();
  if (trimmed.startsWith('{')) {
    let object: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        object = parsed as Record<string, unknown>;
      }
    } catch {
      object = undefined;
    }
    if (object !== undefined && typeof object._aws === 'object' && object._aws !== null) {
      return metricsEntry(source, object, fallbackTime);
    }
    if (object !== undefined && 'message' in object && 'level' in object) {
      const fields = Object.fromEntries(Object.entries(object).filter(([key]) => !NOISE_KEYS.has(key)));
      return {
        kind: 'log',
        source,
        time: typeof object.timestamp === 'string' ? object.timestamp : fallbackTime,
        level: levelOf(object.level),
        message: typeof object.message === 'string' ? object.message : JSON.stringify(object.message),
        ...(typeof object.service === 'string' ? { service: object.service } : {}),
        ...(typeof object.correlation_id === 'string' ? { correlationId: object.correlation_id } : {}),
        fields,
      };
    }
  }
  const text = textLine.exec(line);
  if (text !== null) {
    const [, time, requestId, level, message] = text as unknown as [string, string, string, string, string];
    return {
      kind: 'text',
      source,
      time,
      level: levelOf(level),
      ...(requestId === 'undefined' ? {} : { requestId }),
      message,
    };
  }
  return { kind: 'text', source, time: fallbackTime, message: line };
};
