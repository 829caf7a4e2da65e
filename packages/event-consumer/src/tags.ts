/**
 * Tag keys Breakwater puts on its resources. Tools (the DLQ replayer, the local deployer, cost reports) find
 * resources by these tags instead of by naming conventions.
 *
 * @example
 * ```ts
 * Tags.of(queue).add(TagKeys.source, 'billing');
 * ```
 */
export const TagKeys = {
  /** `dev` | `prod`: on every resource of the app. */
  stage: 'breakwater:stage',
  /** The stack's service: `platform`, `orders`, `billing`, `fulfilment`, `replay`, `operations`. */
  service: 'breakwater:service',
  /** What a queue is for: see {@link QueueRoles}. */
  role: 'breakwater:role',
  /** On DLQs: which failure path feeds it, see {@link DlqKinds}. */
  dlqKind: 'breakwater:dlq-kind',
  /**
   * On queues and DLQs: the consumer or function whose messages they hold (e.g. `billing`, `outbox-publisher`).
   * A redrive DLQ cannot carry its source queue's ARN as a tag (the source's RedrivePolicy already references the
   * DLQ, so the reverse reference would be a CloudFormation cycle); pair them by this tag or by the stack outputs
   * `<Owner>QueueArn` / `<Owner>DlqArn`.
   */
  source: 'breakwater:source',
} as const;

/**
 * Values of the {@link TagKeys.role} tag.
 *
 * @example
 * ```ts
 * Tags.of(queue).add(TagKeys.role, QueueRoles.dlq); // what `breakwater-dlq list` finds
 * ```
 */
export const QueueRoles = {
  /** A queue a function consumes. */
  queue: 'queue',
  /** A dead-letter queue: the end of a failure path, replayed by an operator. */
  dlq: 'dlq',
} as const;

/**
 * Values of the {@link TagKeys.dlqKind} tag.
 *
 * @example
 * ```ts
 * createDeadLetterQueue(stack, 'Failures', { kind: DlqKinds.scheduledRun, source: 'sweeper', removalPolicy: RemovalPolicy.RETAIN });
 * ```
 */
export const DlqKinds = {
  /** SQS redrive target of a consumer queue (maxReceiveCount exceeded). Replayable with SQS redrive. */
  redrive: 'redrive',
  /** EventBridge rule target DLQ: events the rule could not deliver to its queue. Messages carry the event. */
  ruleTarget: 'rule-target',
  /** On-failure destination of a stream event source: holds batch metadata (shard, sequence numbers), not records. */
  streamOnFailure: 'stream-on-failure',
  /**
   * Failed runs of a scheduled function: schedule events EventBridge could not deliver (rule target
   * DeadLetterConfig) or the function failed after Lambda's asynchronous retries (function DeadLetterConfig). They
   * carry no domain event: nothing to replay, the next scheduled run repeats the work.
   */
  scheduledRun: 'scheduled-run',
  /** Redrive policy of an SNS subscription: notifications SNS could not deliver to the endpoint. */
  subscription: 'subscription',
} as const;

/**
 * One of {@link DlqKinds}.
 *
 * @example
 * ```ts
 * const kind: DlqKind = DlqKinds.ruleTarget;
 * ```
 */
export type DlqKind = (typeof DlqKinds)[keyof typeof DlqKinds];
