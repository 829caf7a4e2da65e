import { randomUUID } from 'node:crypto';
import { eventTime } from './events.js';
import type { EventBridgeEvent, RuleRecord } from './model.js';
import { parseSchedule } from './schedule.js';
import type { Scheduler } from './scheduler.js';
import type { EventBridgeStore } from './store.js';

/** A rule with a schedule, and when it fires next. */
export interface ScheduledRule {
  readonly ruleArn: string;
  readonly scheduleExpression: string;
  /** Epoch milliseconds on the scheduler's clock; undefined if the schedule never fires again. */
  readonly nextFireTime?: number;
}

/** Where a fired schedule's event goes: the rule's targets (see `deliverScheduledEvent`). */
export type ScheduledDelivery = (store: EventBridgeStore, rule: RuleRecord, event: EventBridgeEvent) => void;

interface Armed {
  readonly store: EventBridgeStore;
  readonly busName: string;
  readonly name: string;
  readonly expression: string;
  nextFireTime?: number;
  cancel: () => void;
}

/**
 * Fires the rules that have a ScheduleExpression, on the injected clock, as AWS does: each run sends the event
 * `{"detail-type": "Scheduled Event", "source": "aws.events", "resources": [<rule ARN>], "detail": {}}` (its `time`
 * the scheduled time) to the rule's targets, while the rule is ENABLED. A rule put again is re-armed; a deleted one
 * stops.
 */
export class ScheduleRunner {
  private readonly armed = new Map<string, Armed>();
  private closed = false;

  public constructor(
    private readonly scheduler: Scheduler,
    private readonly deliver: ScheduledDelivery,
  ) {}

  /** Arms (or re-arms, or disarms) a rule after PutRule, EnableRule or DisableRule. */
  public sync(store: EventBridgeStore, rule: RuleRecord): void {
    this.remove(rule.arn);
    if (this.closed || rule.scheduleExpression === undefined) return;
    const schedule = parseSchedule(rule.scheduleExpression, this.scheduler.now());
    if (schedule === undefined) return;
    const armed: Armed = {
      store,
      busName: rule.busName,
      name: rule.name,
      expression: rule.scheduleExpression,
      cancel: () => undefined,
    };
    const arm = (after: number) => {
      const at = schedule.nextFireTime(after);
      armed.nextFireTime = at;
      if (at === undefined) return;
      armed.cancel = this.scheduler.at(at, () => {
        const current = store.findRule(armed.busName, armed.name);
        if (current !== undefined && current.state !== 'DISABLED') this.fire(store, current, at);
        arm(at);
      });
    };
    arm(this.scheduler.now());
    this.armed.set(rule.arn, armed);
  }

  /** Stops a rule's schedule (DeleteRule, DeleteEventBus). */
  public remove(ruleArn: string): void {
    this.armed.get(ruleArn)?.cancel();
    this.armed.delete(ruleArn);
  }

  /** Every armed schedule and its next run. */
  public list(): ScheduledRule[] {
    return [...this.armed].map(([ruleArn, armed]) => ({
      ruleArn,
      scheduleExpression: armed.expression,
      ...(armed.nextFireTime === undefined ? {} : { nextFireTime: armed.nextFireTime }),
    }));
  }

  /** Stops every schedule. */
  public close(): void {
    this.closed = true;
    for (const ruleArn of [...this.armed.keys()]) this.remove(ruleArn);
  }

  private fire(store: EventBridgeStore, rule: RuleRecord, at: number): void {
    const event: EventBridgeEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: store.scope.accountId,
      time: eventTime(at),
      region: store.scope.region,
      resources: [rule.arn],
      detail: {},
    };
    this.deliver(store, rule, event);
  }
}
