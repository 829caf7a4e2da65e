import type { SQSClient } from '@aws-sdk/client-sqs';
import { errorMessage } from './aws-errors.js';
import { QueueNotFoundError } from './errors.js';
import { resolveQueue } from './queues.js';
import type { DlqMessage, QueueRef } from './types.js';

/** Where one message goes. `label` names it in the report. */
export type Destination =
  | { readonly kind: 'sqs'; readonly label: string; readonly queue: QueueRef; readonly redelivery: boolean }
  | { readonly kind: 'lambda'; readonly label: string; readonly functionArn: string }
  | { readonly kind: 'bus'; readonly label: string; readonly busName: string };

/** A destination, or why the message has none (it then stays in the DLQ). */
export type Resolution =
  | { readonly ok: true; readonly destination: Destination }
  | { readonly ok: false; readonly reason: string };

/** What decides destinations besides the message itself. */
export interface DestinationOptions {
  /** `--to`: every message goes to this queue. */
  readonly to?: QueueRef;
  /** `--via-bus`: re-put each event on its bus (every rule on the bus sees it again, not only the failed one). */
  readonly viaBus?: boolean;
  /** The bus for `--via-bus` when the message names no rule (RULE_ARN). */
  readonly busName?: string;
}

/** A destination before SQS ARNs are looked up. */
export type Plan =
  | { readonly ok: true; readonly kind: 'sqs-arn'; readonly arn: string; readonly redelivery: boolean }
  | { readonly ok: true; readonly kind: 'sqs'; readonly queue: QueueRef; readonly redelivery: boolean }
  | { readonly ok: true; readonly kind: 'lambda'; readonly functionArn: string }
  | { readonly ok: true; readonly kind: 'bus'; readonly busName: string }
  | { readonly ok: false; readonly reason: string };

/** The bus of an EventBridge rule ARN: `rule/<bus>/<rule>` on a custom bus, `rule/<rule>` on the default bus. */
export const busOfRuleArn = (ruleArn: string): string | undefined => {
  const match = /^arn:[^:]+:events:[^:]*:[^:]*:rule\/(.+)$/.exec(ruleArn);
  if (match?.[1] === undefined) return undefined;
  const parts = match[1].split('/');
  return parts.length >= 2 ? parts.slice(0, -1).join('/') : 'default';
};

/** The service of an ARN (`sqs`, `lambda`, `states`, ...). */
export const arnService = (arn: string): string | undefined => /^arn:[^:]+:([^:]+):/.exec(arn)?.[1];

/** True when the message is an EventBridge target dead letter (it names the rule or target that failed). */
export const isEventBridgeDeadLetter = (message: DlqMessage): boolean =>
  message.ruleArn !== undefined || message.targetArn !== undefined;

/**
 * Decides where a message goes. Pure. Order: `--via-bus`, then `--to`, then the EventBridge target the message
 * names (TARGET_ARN), then the source queue SQS recorded on the message (DeadLetterQueueSourceArn), then the one
 * source queue whose redrive policy points at the DLQ. `sources` is only needed for that last step.
 */
export const planDestination = (
  message: DlqMessage,
  options: DestinationOptions,
  sources: readonly QueueRef[] | undefined,
): Plan => {
  const redelivery = isEventBridgeDeadLetter(message);
  if (options.viaBus === true) {
    const busName =
      options.busName ?? (message.ruleArn === undefined ? undefined : busOfRuleArn(message.ruleArn));
    if (busName === undefined)
      return { ok: false, reason: 'no bus: the message names no rule (RULE_ARN); pass --bus' };
    if (message.eventSource === undefined || message.detailType === undefined) {
      return {
        ok: false,
        reason: 'cannot re-put on the bus: the body has no EventBridge source/detail-type',
      };
    }
    return { ok: true, kind: 'bus', busName };
  }
  if (options.to !== undefined) return { ok: true, kind: 'sqs', queue: options.to, redelivery };
  if (message.targetArn !== undefined) {
    const service = arnService(message.targetArn);
    if (service === 'sqs') return { ok: true, kind: 'sqs-arn', arn: message.targetArn, redelivery: true };
    if (service === 'lambda') return { ok: true, kind: 'lambda', functionArn: message.targetArn };
    return {
      ok: false,
      reason: `target ${message.targetArn} (${service ?? 'unknown service'}) cannot be re-delivered directly; use --via-bus`,
    };
  }
  if (message.deadLetterSourceArn !== undefined) {
    return { ok: true, kind: 'sqs-arn', arn: message.deadLetterSourceArn, redelivery: false };
  }
  if (sources === undefined || sources.length === 0) {
    return { ok: false, reason: 'no source queue: no redrive policy points at this DLQ; pass --to' };
  }
  const [only] = sources;
  if (sources.length > 1 || only === undefined) {
    return {
      ok: false,
      reason: `${sources.length} source queues and the message does not say which one it came from; pass --to`,
    };
  }
  return { ok: true, kind: 'sqs', queue: only, redelivery: false };
};

/** True when `planDestination` would need the DLQ's source queues for this message. */
export const needsSources = (message: DlqMessage, options: DestinationOptions): boolean =>
  options.viaBus !== true &&
  options.to === undefined &&
  message.targetArn === undefined &&
  message.deadLetterSourceArn === undefined;

/**
 * Resolves destinations for a replay: finds the DLQ's source queues once (only when a message needs them) and
 * looks each destination queue up once, so a deleted destination fails its messages with a clear reason.
 */
export class DestinationResolver {
  private sources: Promise<QueueRef[]> | undefined;
  private readonly queues = new Map<string, Promise<QueueRef | string>>();

  public constructor(
    private readonly sqs: SQSClient,
    private readonly options: DestinationOptions,
    private readonly findSources: () => Promise<QueueRef[]>,
  ) {}

  /** Where the message goes, or why it cannot go anywhere. */
  public async resolve(message: DlqMessage): Promise<Resolution> {
    if (needsSources(message, this.options)) this.sources ??= this.findSources();
    const sources = needsSources(message, this.options) ? await this.sources : undefined;
    const plan = planDestination(message, this.options, sources);
    if (!plan.ok) return plan;
    switch (plan.kind) {
      case 'lambda':
        return {
          ok: true,
          destination: { kind: 'lambda', label: plan.functionArn, functionArn: plan.functionArn },
        };
      case 'bus':
        return {
          ok: true,
          destination: { kind: 'bus', label: `bus:${plan.busName}`, busName: plan.busName },
        };
      case 'sqs':
        return { ok: true, destination: this.sqsDestination(plan.queue, plan.redelivery) };
      case 'sqs-arn': {
        const queue = await this.lookUp(plan.arn);
        if (typeof queue === 'string') return { ok: false, reason: queue };
        return { ok: true, destination: this.sqsDestination(queue, plan.redelivery) };
      }
    }
  }

  private sqsDestination(queue: QueueRef, redelivery: boolean): Destination {
    return { kind: 'sqs', label: queue.arn, queue, redelivery };
  }

  private lookUp(arn: string): Promise<QueueRef | string> {
    let found = this.queues.get(arn);
    if (found === undefined) {
      found = resolveQueue(this.sqs, arn).catch((error: unknown) =>
        error instanceof QueueNotFoundError
          ? `destination missing: queue ${arn} does not exist`
          : `destination ${arn} cannot be read: ${errorMessage(error)}`,
      );
      this.queues.set(arn, found);
    }
    return found;
  }
}
