/** Counters of the delivery pipeline, named after EventBridge's CloudWatch metrics where one exists. */
export interface DeliveryMetrics {
  /** Jobs accepted (event × target). */
  invocations: number;
  successfulInvocations: number;
  /** Attempts that threw, first attempts and retries alike. */
  failedAttempts: number;
  retryInvocationAttempts: number;
  /** Jobs that failed for good (retries exhausted, event too old, or not retryable). */
  failedInvocations: number;
  invocationsSentToDlq: number;
  invocationsFailedToBeSentToDlq: number;
  /** Failed for good with no dead-letter queue: dropped, as EventBridge drops them (and logged). */
  droppedInvocations: number;
  /** Refused because `maxInFlightDeliveries` were already pending. */
  droppedOverCapacity: number;
  /** Pending retries abandoned by `close()`. */
  cancelledInvocations: number;
}

/**
 * One rule's delivery counters under the names of AWS/Events CloudWatch metrics (dimension `RuleName`), so that they
 * can be published as such: `Invocations`, `FailedInvocations`, `RetryInvocationAttempts`, `InvocationsSentToDlq`,
 * `InvocationsFailedToBeSentToDlq`, plus `SuccessfulInvocations` and `DroppedInvocations` (failed for good with no
 * dead-letter queue) for the local picture.
 */
export interface RuleDeliveryMetrics {
  readonly RuleArn: string;
  readonly RuleName: string;
  readonly EventBusName: string;
  Invocations: number;
  SuccessfulInvocations: number;
  FailedInvocations: number;
  RetryInvocationAttempts: number;
  InvocationsSentToDlq: number;
  InvocationsFailedToBeSentToDlq: number;
  DroppedInvocations: number;
}

/** Creates zeroed delivery counters. */
export const emptyDeliveryMetrics = (): DeliveryMetrics => ({
  invocations: 0,
  successfulInvocations: 0,
  failedAttempts: 0,
  retryInvocationAttempts: 0,
  failedInvocations: 0,
  invocationsSentToDlq: 0,
  invocationsFailedToBeSentToDlq: 0,
  droppedInvocations: 0,
  droppedOverCapacity: 0,
  cancelledInvocations: 0,
});

/** `.../rule/<name>` or `.../rule/<bus>/<name>` → bus and rule names. */
const ruleNames = (ruleArn: string): { busName: string; ruleName: string } => {
  const resource = ruleArn.split(':rule/')[1] ?? ruleArn;
  const slash = resource.lastIndexOf('/');
  return slash < 0
    ? { busName: 'default', ruleName: resource }
    : { busName: resource.slice(0, slash), ruleName: resource.slice(slash + 1) };
};

/** The per-rule counters, created on first use. */
export class RuleMetricsTable {
  private readonly rules = new Map<string, RuleDeliveryMetrics>();

  /** The counters of one rule (created zeroed). */
  public of(ruleArn: string): RuleDeliveryMetrics {
    let metrics = this.rules.get(ruleArn);
    if (metrics === undefined) {
      const { busName, ruleName } = ruleNames(ruleArn);
      metrics = {
        RuleArn: ruleArn,
        RuleName: ruleName,
        EventBusName: busName,
        Invocations: 0,
        SuccessfulInvocations: 0,
        FailedInvocations: 0,
        RetryInvocationAttempts: 0,
        InvocationsSentToDlq: 0,
        InvocationsFailedToBeSentToDlq: 0,
        DroppedInvocations: 0,
      };
      this.rules.set(ruleArn, metrics);
    }
    return metrics;
  }

  /** A copy of every rule's counters, by rule ARN. */
  public snapshot(): Record<string, RuleDeliveryMetrics> {
    return Object.fromEntries([...this.rules].map(([arn, metrics]) => [arn, { ...metrics }]));
  }
}

/** What is known of an event lost for good, for its one log line. */
export interface LostDelivery {
  readonly eventId: string;
  readonly ruleArn: string;
  readonly targetId: string;
  readonly targetArn: string;
  readonly retries: number;
  readonly code: string;
  readonly message: string;
  readonly deadLetterArn?: string;
  /** Why the dead-letter queue refused it, when it had one. */
  readonly deadLetterError?: string;
}

/** The one line that says an event is gone: which event, rule and target, why, and what happened to its DLQ. */
export const lostDeliveryLine = (lost: LostDelivery): string => {
  const failure = `${lost.code}: ${lost.message}`;
  const dlq =
    lost.deadLetterArn === undefined
      ? 'the target has no dead-letter queue'
      : `its dead-letter queue ${lost.deadLetterArn} refused it too (${lost.deadLetterError ?? 'unknown error'})`;
  return (
    `EventBridge lost event ${lost.eventId}: rule ${lost.ruleArn} target ${lost.targetId} (${lost.targetArn}) ` +
    `failed after ${lost.retries} retries (${failure}) and ${dlq}`
  );
};
