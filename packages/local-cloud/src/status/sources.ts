import type { FunctionLogEntry } from '../lambda/log-entry.js';

/**
 * What the status page shows, and where each part comes from. The first four are always there (the deployer's
 * topology, SQS, the breaker table, the fake gateway); `alarms`, `notifications` and `logs` are optional: a local
 * CloudWatch, SNS inbox or CloudWatch Logs plugs in by implementing them, and the page says which are missing.
 */
export interface StatusSources {
  /** The deployed event topology: rules → queues → functions → DLQs, and stream and schedule triggers. */
  topology(): Promise<Topology>;
  /** Every queue's depth now. */
  queues(): Promise<readonly QueueDepth[]>;
  /** Every circuit's stored state now (the status page samples it into a timeline); an app's own source. */
  circuits?(): Promise<readonly CircuitReading[]>;
  /** A fake dependency's counters and knobs (an app's fake gateway); an app's own source. */
  gateway?(): Promise<GatewayReading>;
  /** Alarm states (DescribeAlarms). */
  alarms?(): Promise<readonly AlarmReading[]>;
  /** Notifications published to the alarm topics, newest last. */
  notifications?(): Promise<readonly NotificationReading[]>;
  /** Function log entries, oldest first, at most `limit` of the newest. */
  logs?(limit: number): Promise<readonly FunctionLogEntry[]>;
}

/** A queue as the topology names it. */
export interface QueueNode {
  readonly name: string;
  readonly arn: string;
  /** `dlq` when it is a dead-letter queue (a redrive target, a rule target's DLQ, an on-failure destination). */
  readonly role: 'queue' | 'dlq';
  /** Its redrive DLQ (RedrivePolicy), by name. */
  readonly deadLetterQueue?: string;
}

/** An EventBridge rule and its targets. */
export interface RuleNode {
  readonly name: string;
  readonly eventBus: string;
  /** `rate(5 minutes)` for a schedule, else undefined (an event pattern). */
  readonly schedule?: string;
  /** The detail types of its pattern, when it lists them. */
  readonly detailTypes: readonly string[];
  readonly targets: readonly RuleTargetNode[];
}

/** One target of a rule. */
export interface RuleTargetNode {
  readonly kind: 'queue' | 'function' | 'bus' | 'other';
  /** Queue name, function name or bus name. */
  readonly name: string;
  /** The target's own DLQ (DeadLetterConfig), by queue name. */
  readonly deadLetterQueue?: string;
}

/** A function and what triggers it. */
export interface FunctionNode {
  readonly name: string;
  /** Its Powertools service name: the short name people use. */
  readonly service: string;
  /** Queues it reads (SQS event source mappings), by name. */
  readonly queues: readonly string[];
  /** DynamoDB streams it reads, by table name, with their on-failure destination queue. */
  readonly streams: readonly { readonly table: string; readonly onFailure?: string }[];
  /** Its own DLQ (asynchronous invocations), by queue name. */
  readonly deadLetterQueue?: string;
}

/** The deployed topology. */
export interface Topology {
  readonly rules: readonly RuleNode[];
  readonly queues: readonly QueueNode[];
  readonly functions: readonly FunctionNode[];
}

/** A queue's depth at one moment. */
export interface QueueDepth {
  readonly name: string;
  /** ApproximateNumberOfMessages. */
  readonly visible: number;
  /** ApproximateNumberOfMessagesNotVisible (in flight). */
  readonly inFlight: number;
  /** ApproximateNumberOfMessagesDelayed. */
  readonly delayed: number;
}

/** One circuit's stored state. */
export interface CircuitReading {
  readonly circuitId: string;
  readonly state: string;
  readonly version: number;
  /** Epoch ms the state was entered (0 = never written). */
  readonly since: number;
  readonly openUntil?: number;
  readonly reason: string;
}

/** The fake payment gateway. */
export interface GatewayReading {
  /** Charge requests received. */
  readonly requests: number;
  readonly byOutcome: Readonly<Record<string, number>>;
  /** True while an outage is switched on. */
  readonly outage: boolean;
  /** The knobs, as its admin API reports them. */
  readonly config: Readonly<Record<string, unknown>>;
}

/** One alarm. */
export interface AlarmReading {
  readonly name: string;
  readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' | string;
  readonly reason?: string;
  readonly updatedAt?: string;
  /** The topics its ALARM action notifies (`page`, `notice`), by name. */
  readonly topics?: readonly string[];
}

/** One notification published to a topic. */
export interface NotificationReading {
  readonly topic: string;
  readonly subject?: string;
  readonly message: string;
  readonly at: string;
}
