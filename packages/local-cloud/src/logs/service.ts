import {
  AwsServiceError,
  type JsonProtocolService,
  type JsonServiceRequest,
  type JsonServiceResponse,
  LOCAL_ACCOUNT_ID,
  LOCAL_REGION,
} from '../support/aws-protocol.js';
import { LogsErrors } from './errors.js';
import { compileFilterPattern } from './filter-pattern.js';
import { type LogEvent, type LogGroup, LogStore } from './store.js';

type Input = Readonly<Record<string, unknown>>;

const RETENTION_DAYS = new Set([
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
]);
const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const STREAM_NAME = /^[^:*]{1,512}$/;

const string = (input: Input, member: string, required = false): string | undefined => {
  const value = input[member];
  if (value === undefined || value === null) {
    if (required)
      throw LogsErrors.invalidParameter(
        `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
      );
    return undefined;
  }
  if (typeof value !== 'string') throw LogsErrors.invalidParameter(`${member} must be a string`);
  return value;
};
const integer = (input: Input, member: string, min: number, max: number): number | undefined => {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw LogsErrors.invalidParameter(
      `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must have value between ${min} and ${max}`,
    );
  return value;
};
const token = (offset: number, kind = ''): string =>
  `${kind}${Buffer.from(String(offset)).toString('base64url')}`;
const offsetOf = (value: string | undefined, kind = ''): number | undefined => {
  if (value === undefined) return undefined;
  const decoded = Number(Buffer.from(value.slice(kind.length), 'base64url').toString('utf8'));
  if (!value.startsWith(kind) || !Number.isInteger(decoded) || decoded < 0)
    throw LogsErrors.invalidParameter('The specified nextToken is invalid.');
  return decoded;
};

/**
 * The local CloudWatch Logs: log groups and streams, PutLogEvents, GetLogEvents, FilterLogEvents (filter patterns),
 * Describe*, retention. Every function's output lands here, in its log group (the function's
 * `LoggingConfig.LogGroup`, else `/aws/lambda/<name>`) and its environment's stream
 * (`YYYY/MM/DD/[$LATEST]<id>`), so `aws logs tail <group>` works against the edge. Served under
 * `X-Amz-Target: Logs_20140328.<Action>` (JSON 1.1). Times are the wall clock's. See
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/Welcome.html.
 */
export class LocalCloudWatchLogs implements JsonProtocolService {
  public readonly signingName = 'logs';
  public readonly targetPrefix = 'Logs_20140328';
  public readonly store = new LogStore();

  public constructor(
    private readonly region = LOCAL_REGION,
    private readonly accountId = LOCAL_ACCOUNT_ID,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps one line of a function's output (`timestamp` defaults to now). */
  public appendFunctionLine(logGroup: string, logStream: string, line: string, timestamp = this.now()): void {
    this.store.append(logGroup, logStream, [{ timestamp, message: line }], this.now());
  }

  public async handle(request: JsonServiceRequest): Promise<JsonServiceResponse> {
    const action = this.actions[request.action];
    if (action === undefined) throw LogsErrors.unknownOperation(request.action);
    try {
      return { status: 200, body: action(request.input) };
    } catch (error) {
      if (error instanceof AwsServiceError) throw error;
      throw new AwsServiceError(
        'ServiceUnavailableException',
        error instanceof Error ? error.message : String(error),
        500,
      );
    }
  }

  private group(input: Input): LogGroup {
    const identifier = string(input, 'logGroupIdentifier');
    const name =
      string(input, 'logGroupName', identifier === undefined) ??
      (identifier as string).replace(/^arn:[^:]+:logs:[^:]*:[^:]*:log-group:/, '').replace(/:\*$/, '');
    const group = this.store.groups.get(name);
    if (group === undefined) throw LogsErrors.groupNotFound();
    return group;
  }

  private arn(group: string): string {
    return `arn:aws:logs:${this.region}:${this.accountId}:log-group:${group}`;
  }

  private readonly actions: Readonly<Record<string, (input: Input) => Record<string, unknown>>> = {
    CreateLogGroup: (input) => {
      const name = string(input, 'logGroupName', true) as string;
      if (!GROUP_NAME.test(name))
        throw LogsErrors.invalidParameter(
          `1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`,
        );
      if (this.store.groups.has(name)) throw LogsErrors.groupExists();
      const group = this.store.createGroup(name, this.now());
      const tags = input.tags;
      if (typeof tags === 'object' && tags !== null)
        for (const [key, value] of Object.entries(tags)) group.tags.set(key, String(value));
      return {};
    },
    DeleteLogGroup: (input) => {
      const group = this.group(input);
      this.store.groups.delete(group.name);
      return {};
    },
    PutRetentionPolicy: (input) => {
      const group = this.group(input);
      const days = input.retentionInDays;
      if (typeof days !== 'number' || !RETENTION_DAYS.has(days))
        throw LogsErrors.invalidParameter(
          `1 validation error detected: Value '${String(days)}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${[...RETENTION_DAYS].join(', ')}]`,
        );
      group.retentionInDays = days;
      return {};
    },
    DeleteRetentionPolicy: (input) => {
      delete this.group(input).retentionInDays;
      return {};
    },
    DescribeLogGroups: (input) => {
      const prefix = string(input, 'logGroupNamePrefix');
      const pattern = string(input, 'logGroupNamePattern');
      if (prefix !== undefined && pattern !== undefined)
        throw LogsErrors.invalidParameter(
          'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
        );
      const limit = integer(input, 'limit', 1, 50) ?? 50;
      const groups = [...this.store.groups.values()]
        .filter(
          (group) =>
            (prefix === undefined || group.name.startsWith(prefix)) &&
            (pattern === undefined || group.name.toLowerCase().includes(pattern.toLowerCase())),
        )
        .sort((a, b) => a.name.localeCompare(b.name));
      const offset = offsetOf(string(input, 'nextToken')) ?? 0;
      const shown = groups.slice(offset, offset + limit);
      return {
        logGroups: shown.map((group) => ({
          logGroupName: group.name,
          creationTime: group.creationTime,
          ...(group.retentionInDays === undefined ? {} : { retentionInDays: group.retentionInDays }),
          metricFilterCount: 0,
          arn: `${this.arn(group.name)}:*`,
          logGroupArn: this.arn(group.name),
          storedBytes: [...group.streams.values()].reduce((total, stream) => total + stream.storedBytes, 0),
          logGroupClass: 'STANDARD',
        })),
        ...(offset + limit < groups.length ? { nextToken: token(offset + limit) } : {}),
      };
    },
    CreateLogStream: (input) => {
      const group = this.group(input);
      const name = string(input, 'logStreamName', true) as string;
      if (!STREAM_NAME.test(name))
        throw LogsErrors.invalidParameter(
          `1 validation error detected: Value '${name}' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*`,
        );
      if (group.streams.has(name)) throw LogsErrors.streamExists();
      this.store.createStream(group, name, this.now());
      return {};
    },
    DescribeLogStreams: (input) => {
      const group = this.group(input);
      const prefix = string(input, 'logStreamNamePrefix');
      const orderBy = string(input, 'orderBy') ?? 'LogStreamName';
      if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime')
        throw LogsErrors.invalidParameter(
          `1 validation error detected: Value '${orderBy}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]`,
        );
      if (orderBy === 'LastEventTime' && prefix !== undefined)
        throw LogsErrors.invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
      const descending = input.descending === true;
      const limit = integer(input, 'limit', 1, 50) ?? 50;
      const streams = [...group.streams.values()]
        .filter((stream) => prefix === undefined || stream.name.startsWith(prefix))
        .sort((a, b) =>
          orderBy === 'LogStreamName'
            ? a.name.localeCompare(b.name)
            : (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0),
        );
      if (descending) streams.reverse();
      const offset = offsetOf(string(input, 'nextToken')) ?? 0;
      return {
        logStreams: streams.slice(offset, offset + limit).map((stream) => ({
          logStreamName: stream.name,
          creationTime: stream.creationTime,
          ...(stream.firstEventTimestamp === undefined
            ? {}
            : { firstEventTimestamp: stream.firstEventTimestamp }),
          ...(stream.lastEventTimestamp === undefined
            ? {}
            : { lastEventTimestamp: stream.lastEventTimestamp }),
          ...(stream.lastIngestionTime === undefined ? {} : { lastIngestionTime: stream.lastIngestionTime }),
          arn: `${this.arn(group.name)}:log-stream:${stream.name}`,
          storedBytes: 0,
        })),
        ...(offset + limit < streams.length ? { nextToken: token(offset + limit) } : {}),
      };
    },
    PutLogEvents: (input) => {
      const group = this.group(input);
      const stream = group.streams.get(string(input, 'logStreamName', true) as string);
      if (stream === undefined) throw LogsErrors.streamNotFound();
      const events = input.logEvents;
      if (!Array.isArray(events) || events.length === 0 || events.length > 10_000)
        throw LogsErrors.invalidParameter(
          "1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length between 1 and 10000",
        );
      const now = this.now();
      const retentionMs = Math.min(14, group.retentionInDays ?? 14) * 24 * 3600 * 1000;
      let tooOld: number | undefined;
      let tooNew: number | undefined;
      const accepted: { timestamp: number; message: string }[] = [];
      for (const [index, event] of events.entries()) {
        const { timestamp, message } = (event ?? {}) as { timestamp?: unknown; message?: unknown };
        if (typeof timestamp !== 'number' || typeof message !== 'string' || message === '')
          throw LogsErrors.invalidParameter(
            `Log event ${index} must have a timestamp and a non-empty message`,
          );
        if (timestamp < now - retentionMs) tooOld = index + 1;
        else if (timestamp > now + 2 * 3600 * 1000) tooNew ??= index;
        else accepted.push({ timestamp, message });
      }
      this.store.add(stream, accepted, now);
      const rejected = {
        ...(tooOld === undefined ? {} : { tooOldLogEventEndIndex: tooOld }),
        ...(tooNew === undefined ? {} : { tooNewLogEventStartIndex: tooNew }),
      };
      return {
        nextSequenceToken: String(stream.events.length).padStart(56, '0'),
        ...(Object.keys(rejected).length === 0 ? {} : { rejectedLogEventsInfo: rejected }),
      };
    },
    GetLogEvents: (input) => {
      const group = this.group(input);
      const stream = group.streams.get(string(input, 'logStreamName', true) as string);
      if (stream === undefined) throw LogsErrors.streamNotFound();
      const start = integer(input, 'startTime', 0, Number.MAX_SAFE_INTEGER);
      const end = integer(input, 'endTime', 0, Number.MAX_SAFE_INTEGER);
      const limit = integer(input, 'limit', 1, 10_000) ?? 10_000;
      const inRange = stream.events.filter(
        (e) => (start === undefined || e.timestamp >= start) && (end === undefined || e.timestamp < end),
      );
      const tokenText = string(input, 'nextToken');
      let from: number;
      if (tokenText?.startsWith('f/')) from = offsetOf(tokenText, 'f/') ?? 0;
      else if (tokenText?.startsWith('b/')) from = Math.max(0, (offsetOf(tokenText, 'b/') ?? 0) - limit);
      else if (tokenText !== undefined)
        throw LogsErrors.invalidParameter('The specified nextToken is invalid.');
      else from = input.startFromHead === true ? 0 : Math.max(0, inRange.length - limit);
      const shown = inRange.slice(from, from + limit);
      return {
        events: shown.map(({ timestamp, message, ingestionTime }) => ({ timestamp, message, ingestionTime })),
        nextForwardToken: token(from + shown.length, 'f/'),
        nextBackwardToken: token(from, 'b/'),
      };
    },
    FilterLogEvents: (input) => {
      const group = this.group(input);
      const names = input.logStreamNames;
      const prefix = string(input, 'logStreamNamePrefix');
      if (Array.isArray(names) && prefix !== undefined)
        throw LogsErrors.invalidParameter(
          'logStreamNames and logStreamNamePrefix are mutually exclusive parameters.',
        );
      const start = integer(input, 'startTime', 0, Number.MAX_SAFE_INTEGER);
      const end = integer(input, 'endTime', 0, Number.MAX_SAFE_INTEGER);
      const limit = integer(input, 'limit', 1, 10_000) ?? 10_000;
      const matches = compileFilterPattern(string(input, 'filterPattern'));
      const streams = [...group.streams.values()].filter(
        (stream) =>
          (!Array.isArray(names) || names.includes(stream.name)) &&
          (prefix === undefined || stream.name.startsWith(prefix)),
      );
      const events: (LogEvent & { logStreamName: string })[] = [];
      for (const stream of streams)
        for (const event of stream.events)
          if (
            (start === undefined || event.timestamp >= start) &&
            (end === undefined || event.timestamp <= end) &&
            matches(event.message)
          )
            events.push({ ...event, logStreamName: stream.name });
      events.sort((a, b) => a.timestamp - b.timestamp || a.eventId.localeCompare(b.eventId));
      const offset = offsetOf(string(input, 'nextToken')) ?? 0;
      const shown = events.slice(offset, offset + limit);
      return {
        events: shown.map(({ logStreamName, timestamp, message, ingestionTime, eventId }) => ({
          logStreamName,
          timestamp,
          message,
          ingestionTime,
          eventId,
        })),
        searchedLogStreams: streams.map((stream) => ({
          logStreamName: stream.name,
          searchedCompletely: true,
        })),
        ...(offset + limit < events.length ? { nextToken: token(offset + limit) } : {}),
      };
    },
    ListTagsForResource: (input) => {
      const arn = string(input, 'resourceArn', true) as string;
      const group = this.store.groups.get(
        arn.replace(/^arn:[^:]+:logs:[^:]*:[^:]*:log-group:/, '').replace(/:\*$/, ''),
      );
      if (group === undefined) throw LogsErrors.groupNotFound();
      return { tags: Object.fromEntries(group.tags) };
    },
  };
}
