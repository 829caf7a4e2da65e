/** One log event as CloudWatch Logs keeps it. */
export interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
  readonly ingestionTime: number;
  readonly eventId: string;
}

export interface LogStream {
  readonly name: string;
  readonly creationTime: number;
  readonly events: LogEvent[];
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  storedBytes: number;
}

export interface LogGroup {
  readonly name: string;
  readonly creationTime: number;
  retentionInDays?: number;
  readonly tags: Map<string, string>;
  readonly streams: Map<string, LogStream>;
}

/** Events kept per stream at most (older ones are dropped, as if retention had passed). */
const MAX_EVENTS_PER_STREAM = 50_000;

/** Every log group, stream and event, in memory. Times are epoch ms on the wall clock. */
export class LogStore {
  public readonly groups = new Map<string, LogGroup>();
  private nextEventId = 0n;

  public createGroup(name: string, now: number): LogGroup {
    const group: LogGroup = { name, creationTime: now, tags: new Map(), streams: new Map() };
    this.groups.set(name, group);
    return group;
  }

  public createStream(group: LogGroup, name: string, now: number): LogStream {
    const stream: LogStream = { name, creationTime: now, events: [], storedBytes: 0 };
    group.streams.set(name, stream);
    return stream;
  }

  /** Appends events (the group and stream are created when absent, as Lambda's log agent does). */
  public append(
    groupName: string,
    streamName: string,
    events: readonly { timestamp: number; message: string }[],
    now: number,
  ): void {
    const group = this.groups.get(groupName) ?? this.createGroup(groupName, now);
    const stream = group.streams.get(streamName) ?? this.createStream(group, streamName, now);
    this.add(stream, events, now);
  }

  /** Adds events to a stream, keeping it in timestamp order. */
  public add(
    stream: LogStream,
    events: readonly { timestamp: number; message: string }[],
    now: number,
  ): void {
    for (const { timestamp, message } of events) {
      const event: LogEvent = {
        timestamp,
        message,
        ingestionTime: now,
        eventId: (this.nextEventId++).toString().padStart(56, '0'),
      };
      let index = stream.events.length;
      while (index > 0 && (stream.events[index - 1]?.timestamp ?? 0) > timestamp) index--;
      stream.events.splice(index, 0, event);
      stream.firstEventTimestamp = Math.min(stream.firstEventTimestamp ?? timestamp, timestamp);
      stream.lastEventTimestamp = Math.max(stream.lastEventTimestamp ?? timestamp, timestamp);
      stream.lastIngestionTime = now;
      stream.storedBytes += Buffer.byteLength(message) + 26;
    }
    if (stream.events.length > MAX_EVENTS_PER_STREAM)
      stream.events.splice(0, stream.events.length - MAX_EVENTS_PER_STREAM);
  }
}
