import { LocalCloudError } from '../support/errors.js';
import {
  type DeliveryMetrics,
  emptyDeliveryMetrics,
  lostDeliveryLine,
  type RuleDeliveryMetrics,
  RuleMetricsTable,
} from './delivery-metrics.js';

export type { DeliveryMetrics, RuleDeliveryMetrics } from './delivery-metrics.js';

/** Who a delivery is for: the rule, target and event behind it, and which attempt this is. */
export interface DeliveryContext {
  readonly ruleArn: string;
  readonly targetId: string;
  readonly targetArn: string;
  readonly eventId: string;
  /** 0 for the first attempt, then 1, 2... for retries. */
  readonly attempt: number;
  /** True when this is the hand-off of a failed event to the target's dead-letter queue. */
  readonly deadLetter: boolean;
}

/** One message for the local cloud to send: to a queue (SQS targets, DLQs) or as an async invoke (Lambda...). */
export interface TargetDeliveryRequest {
  /** The ARN to send to: the target's, or its dead-letter queue's. */
  readonly arn: string;
  readonly body: string;
  /** For FIFO queue targets (SqsParameters.MessageGroupId). */
  readonly messageGroupId?: string;
  /** For FIFO queue targets: EventBridge uses the event id. */
  readonly messageDeduplicationId?: string;
  /** String message attributes (the dead-letter attributes RULE_ARN, TARGET_ARN, ERROR_CODE, ...). */
  readonly messageAttributes?: Readonly<Record<string, string>>;
  readonly context: DeliveryContext;
}

/**
 * The seam to the rest of the local cloud: sends one message and resolves once it is accepted, or throws. Throw a
 * `TargetDeliveryError` to give the failure an AWS error code or to mark it not worth retrying (a missing queue).
 */
export interface TargetDelivery {
  deliver(request: TargetDeliveryRequest): Promise<void>;
}

/** A delivery failure with the error code EventBridge reports (e.g. `NO_RESOURCE`, `THROTTLING`, `TIMEOUT`). */
export class TargetDeliveryError extends LocalCloudError {
  public readonly code: string;
  public readonly retryable: boolean;

  public constructor(
    message: string,
    { code, retryable }: { code: string; retryable: boolean },
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'TargetDeliveryError';
    this.code = code;
    this.retryable = retryable;
  }
}

/** One event for one target of one rule. */
export interface DeliveryJob {
  readonly ruleArn: string;
  readonly targetId: string;
  readonly targetArn: string;
  readonly eventId: string;
  /** The original event as JSON: what goes to the dead-letter queue. */
  readonly eventJson: string;
  /** The target's input (the event, or its transformation). */
  readonly body: string;
  /** Epoch milliseconds at which the event was put; `MaximumEventAgeInSeconds` counts from here. */
  readonly ingestedAt: number;
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeInSeconds: number;
  readonly deadLetterArn?: string;
  readonly messageGroupId?: string;
}

/** Options of the delivery engine; every one has a default. */
export interface DeliveryEngineOptions {
  readonly delivery: TargetDelivery;
  /** First retry delay; each retry doubles it. Default 250 ms (EventBridge's own pacing scaled down for local use). */
  readonly retryBaseDelayMs?: number;
  /** Cap of one retry delay. Default 10 000 ms. */
  readonly retryMaxDelayMs?: number;
  /** Jobs pending at once (running or waiting to retry); more are dropped and counted. Default 10 000. */
  readonly maxInFlightDeliveries?: number;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  readonly now?: () => number;
  /** Source of jitter in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
  /**
   * Where the line about an event lost for good goes (retries exhausted and no dead-letter queue, or the queue
   * refused it too). Default: standard error.
   */
  readonly log?: (line: string) => void;
}

const stderrLog = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const DEFAULTS = { retryBaseDelayMs: 250, retryMaxDelayMs: 10_000, maxInFlightDeliveries: 10_000 } as const;

const describeFailure = (error: unknown): { code: string; message: string; retryable: boolean } => {
  if (error instanceof TargetDeliveryError)
    return { code: error.code, message: error.message, retryable: error.retryable };
  // EventBridge reports failures of the target's service call as SDK_CLIENT_ERROR.
  return {
    code: 'SDK_CLIENT_ERROR',
    message: error instanceof Error ? error.message : String(error),
    retryable: true,
  };
};

/**
 * Delivers jobs asynchronously: first attempt at once, then retries with exponential backoff and jitter while the
 * target's RetryPolicy allows (`MaximumRetryAttempts`, `MaximumEventAgeInSeconds`); after that the original event goes
 * to the target's dead-letter queue with AWS's attributes, or is dropped and counted. Memory is bounded: at most
 * `maxInFlightDeliveries` jobs exist at once, each holding one timer at most.
 */
export class DeliveryEngine {
  private readonly delivery: TargetDelivery;
  private readonly options: Required<Omit<DeliveryEngineOptions, 'delivery'>>;
  private readonly counters: DeliveryMetrics = emptyDeliveryMetrics();
  private readonly ruleCounters = new RuleMetricsTable();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  public constructor({ delivery, ...options }: DeliveryEngineOptions) {
    this.delivery = delivery;
    this.options = { ...DEFAULTS, now: Date.now, random: Math.random, log: stderrLog, ...options };
  }

  /** Accepts a job, or refuses it (counted) when the engine is full or closed. Never throws. */
  public submit(job: DeliveryJob): boolean {
    if (this.closed || this.inFlight >= this.options.maxInFlightDeliveries) {
      this.counters.droppedOverCapacity += 1;
      return false;
    }
    this.inFlight += 1;
    this.counters.invocations += 1;
    this.ruleCounters.of(job.ruleArn).Invocations += 1;
    void this.run(job).finally(() => this.settle());
    return true;
  }

  /**
   * Counts and logs a job that AWS would drop without invoking the target (an input transformation that did not
   * yield valid JSON): a failed invocation, never retried nor dead-lettered.
   */
  public discard(job: Omit<DeliveryJob, 'body'>, failure: { code: string; message: string }): void {
    const rule = this.ruleCounters.of(job.ruleArn);
    this.counters.invocations += 1;
    this.counters.failedInvocations += 1;
    this.counters.droppedInvocations += 1;
    rule.Invocations += 1;
    rule.FailedInvocations += 1;
    rule.DroppedInvocations += 1;
    this.options.log(
      lostDeliveryLine({
        eventId: job.eventId,
        ruleArn: job.ruleArn,
        targetId: job.targetId,
        targetArn: job.targetArn,
        retries: 0,
        ...failure,
      }),
    );
  }

  /** Whether no job is pending. */
  public get idle(): boolean {
    return this.inFlight === 0;
  }

  /** Resolves once every accepted job has settled (delivered, dead-lettered, dropped or cancelled). */
  public whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** A snapshot of the counters. */
  public metrics(): DeliveryMetrics {
    return { ...this.counters };
  }

  /** A snapshot of each rule's counters under AWS/Events metric names, by rule ARN. */
  public ruleMetrics(): Record<string, RuleDeliveryMetrics> {
    return this.ruleCounters.snapshot();
  }

  /** Refuses new jobs and abandons pending retries (counted as cancelled). */
  public close(): void {
    this.closed = true;
    for (const [timer, wake] of this.timers) {
      clearTimeout(timer);
      wake();
    }
    this.timers.clear();
  }

  private settle(): void {
    this.inFlight -= 1;
    if (this.inFlight > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves true after `ms`, or false at once if the engine closes meanwhile. */
  private sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve(true);
      }, ms);
      this.timers.set(timer, () => resolve(false));
    });
  }

  private backoff(retry: number): number {
    const { retryBaseDelayMs, retryMaxDelayMs, random } = this.options;
    const ceiling = Math.min(retryMaxDelayMs, retryBaseDelayMs * 2 ** (retry - 1));
    // "Equal jitter": never less than half the exponential step, so retries stay spread but keep backing off.
    return ceiling / 2 + random() * (ceiling / 2);
  }

  private async run(job: DeliveryJob): Promise<void> {
    // Let the caller (PutEvents) answer before the first attempt starts.
    await new Promise((resolve) => setImmediate(resolve));
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.delivery.deliver(this.request(job, attempt));
        this.counters.successfulInvocations += 1;
        this.ruleCounters.of(job.ruleArn).SuccessfulInvocations += 1;
        return;
      } catch (error) {
        this.counters.failedAttempts += 1;
        const failure = describeFailure(error);
        if (!failure.retryable) return this.exhaust(job, failure, attempt);
        if (attempt >= job.maximumRetryAttempts)
          return this.exhaust(job, failure, attempt, 'MaximumRetryAttempts');
        const delay = this.backoff(attempt + 1);
        if (this.options.now() + delay - job.ingestedAt > job.maximumEventAgeInSeconds * 1000) {
          return this.exhaust(job, failure, attempt, 'MaximumEventAgeInSeconds');
        }
        if (!(await this.sleep(delay))) {
          this.counters.cancelledInvocations += 1;
          return;
        }
        this.counters.retryInvocationAttempts += 1;
        this.ruleCounters.of(job.ruleArn).RetryInvocationAttempts += 1;
      }
    }
  }

  private request(job: DeliveryJob, attempt: number): TargetDeliveryRequest {
    const context = {
      ruleArn: job.ruleArn,
      targetId: job.targetId,
      targetArn: job.targetArn,
      eventId: job.eventId,
      attempt,
      deadLetter: false,
    };
    if (job.messageGroupId === undefined) return { arn: job.targetArn, body: job.body, context };
    return {
      arn: job.targetArn,
      body: job.body,
      messageGroupId: job.messageGroupId,
      messageDeduplicationId: job.eventId,
      context,
    };
  }

  private async exhaust(
    job: DeliveryJob,
    failure: { code: string; message: string },
    retries: number,
    condition?: 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds',
  ): Promise<void> {
    const rule = this.ruleCounters.of(job.ruleArn);
    this.counters.failedInvocations += 1;
    rule.FailedInvocations += 1;
    const lost = {
      eventId: job.eventId,
      ruleArn: job.ruleArn,
      targetId: job.targetId,
      targetArn: job.targetArn,
      retries,
      code: failure.code,
      message: failure.message,
    };
    if (job.deadLetterArn === undefined) {
      this.counters.droppedInvocations += 1;
      rule.DroppedInvocations += 1;
      this.options.log(lostDeliveryLine(lost));
      return;
    }
    const messageAttributes: Record<string, string> = {
      RULE_ARN: job.ruleArn,
      TARGET_ARN: job.targetArn,
      ERROR_CODE: failure.code,
      ERROR_MESSAGE: failure.message,
      RETRY_ATTEMPTS: String(retries),
    };
    if (condition !== undefined) messageAttributes.EXHAUSTED_RETRY_CONDITION = condition;
    try {
      await this.delivery.deliver({
        arn: job.deadLetterArn,
        body: job.eventJson,
        messageAttributes,
        context: { ...this.request(job, retries).context, deadLetter: true },
      });
      this.counters.invocationsSentToDlq += 1;
      rule.InvocationsSentToDlq += 1;
    } catch (error) {
      this.counters.invocationsFailedToBeSentToDlq += 1;
      rule.InvocationsFailedToBeSentToDlq += 1;
      this.options.log(
        lostDeliveryLine({
          ...lost,
          deadLetterArn: job.deadLetterArn,
          deadLetterError: error instanceof Error ? error.message : String(error),
        }),
      );
    }
  }
}
