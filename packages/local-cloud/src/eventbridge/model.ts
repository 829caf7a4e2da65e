import type { CompiledEventPattern } from './pattern.js';

/** The bus every account and region has; it can be neither created nor deleted. */
export const DEFAULT_BUS_NAME = 'default';

/** An event as EventBridge delivers it to targets (and as patterns see it). */
export interface EventBridgeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
  /** Set on events re-put by a replay, as AWS does. */
  readonly 'replay-name'?: string;
}

/** An event bus. Times are epoch milliseconds. */
export interface EventBusRecord {
  readonly name: string;
  readonly arn: string;
  readonly description?: string;
  readonly creationTime: number;
  lastModifiedTime: number;
  /** Tags by key (TagResource, CreateEventBus Tags). */
  readonly tags: Map<string, string>;
  /** Resource policy statements by Sid (PutPermission), in the order they were added. */
  readonly policy: Map<string, Readonly<Record<string, unknown>>>;
}

/** The states PutRule accepts; only `DISABLED` stops matching. */
export const RULE_STATES = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'] as const;
/** A rule's state. */
export type RuleState = (typeof RULE_STATES)[number];

/** How a target's input is shaped (at most one of the three; none means the whole event). */
export interface TargetInput {
  readonly input?: string;
  readonly inputPath?: string;
  readonly inputTransformer?: {
    readonly inputPathsMap: Readonly<Record<string, string>>;
    readonly inputTemplate: string;
  };
}

/** A rule target with its delivery settings resolved (AWS defaults: 185 retries, 24 hours). */
export interface TargetRecord extends TargetInput {
  readonly id: string;
  readonly arn: string;
  readonly deadLetterArn?: string;
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeInSeconds: number;
  readonly messageGroupId?: string;
  /** The target in the API's shape, as ListTargetsByRule returns it. */
  readonly description: Readonly<Record<string, unknown>>;
}

/** A rule on a bus. A rule has an event pattern, a schedule, or both. */
export interface RuleRecord {
  readonly name: string;
  readonly arn: string;
  readonly busName: string;
  readonly eventPattern?: CompiledEventPattern;
  readonly scheduleExpression?: string;
  readonly state: RuleState;
  readonly description?: string;
  readonly roleArn?: string;
  /** Targets by Id, in insertion order. */
  readonly targets: Map<string, TargetRecord>;
  /** Tags by key (TagResource, PutRule Tags); they live and die with the rule. */
  readonly tags: Map<string, string>;
}

/** An event kept by an archive; `eventTime` (from the event's `time`) is what replays select on. */
export interface ArchivedEvent {
  readonly event: EventBridgeEvent;
  readonly eventTime: number;
  /** Epoch milliseconds at which the archive received it: retention counts from here. */
  readonly archivedAt: number;
  readonly sizeBytes: number;
}

/** An archive of the events of one bus that match its (optional) pattern. */
export interface ArchiveRecord {
  readonly name: string;
  readonly arn: string;
  readonly busName: string;
  readonly eventSourceArn: string;
  description?: string;
  eventPattern?: CompiledEventPattern;
  /** 0 keeps events indefinitely. */
  retentionDays: number;
  readonly creationTime: number;
  readonly events: ArchivedEvent[];
  sizeBytes: number;
  /** Events dropped because the archive reached the emulator's per-archive cap. */
  droppedEvents: number;
}

/**
 * A replay's lifecycle: STARTING until its task runs, then RUNNING, then COMPLETED (FAILED if its archive vanished);
 * CancelReplay moves a STARTING or RUNNING replay to CANCELLING, then CANCELLED.
 */
export const REPLAY_STATES = [
  'STARTING',
  'RUNNING',
  'CANCELLING',
  'COMPLETED',
  'CANCELLED',
  'FAILED',
] as const;
/** A replay's state. */
export type ReplayState = (typeof REPLAY_STATES)[number];

/** The states ListArchives accepts as a filter. */
export const ARCHIVE_STATES = [
  'ENABLED',
  'DISABLED',
  'CREATING',
  'UPDATING',
  'CREATE_FAILED',
  'UPDATE_FAILED',
] as const;

/** A replay of an archive's events, in a time range, back onto the archive's bus. */
export interface ReplayRecord {
  readonly name: string;
  readonly arn: string;
  readonly description?: string;
  readonly archiveName: string;
  readonly eventSourceArn: string;
  readonly destination: { readonly Arn: string; readonly FilterArns?: readonly string[] };
  readonly eventStartTime: number;
  readonly eventEndTime: number;
  readonly replayStartTime: number;
  state: ReplayState;
  stateReason?: string;
  eventLastReplayedTime?: number;
  replayEndTime?: number;
}
