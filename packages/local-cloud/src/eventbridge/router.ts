import { isEventBusArn } from './arns.js';
import type { DeliveryEngine } from './delivery.js';
import { eventTime } from './events.js';
import type { ArchiveRecord, EventBridgeEvent, RuleRecord } from './model.js';
import type { EventBridgeStore } from './store.js';
import { renderTargetInput } from './transform.js';

/** Counters of routing (what happened to events before delivery). */
export interface RoutingMetrics {
  /** Events accepted by PutEvents. */
  putEvents: number;
  /** PutEvents entries refused (reported in the response's Entries). */
  failedEntries: number;
  /** Event × rule matches. */
  matchedEvents: number;
  /** Accepted events that matched no rule. */
  unmatchedEvents: number;
  archivedEvents: number;
  /** Archived events dropped because an archive reached `maxArchivedEventsPerArchive`. */
  archiveDroppedEvents: number;
  replayedEvents: number;
  /** Entries accepted for a bus that does not exist: AWS answers with an EventId and drops them, and so do we. */
  eventsToMissingBus: number;
  /** Bus-target deliveries not made because the event had already come from another bus (no onward forwarding). */
  forwardingSkipped: number;
  /** Events of scheduled rules (`rate(...)`, `cron(...)`) that fired. */
  scheduledEvents: number;
}

/** Creates zeroed routing counters. */
export const emptyRoutingMetrics = (): RoutingMetrics => ({
  putEvents: 0,
  failedEntries: 0,
  matchedEvents: 0,
  unmatchedEvents: 0,
  archivedEvents: 0,
  archiveDroppedEvents: 0,
  replayedEvents: 0,
  eventsToMissingBus: 0,
  forwardingSkipped: 0,
  scheduledEvents: 0,
});

/** What routing needs from the service. */
export interface RoutingContext {
  readonly store: EventBridgeStore;
  readonly engine: DeliveryEngine;
  readonly metrics: RoutingMetrics;
  readonly now: number;
  readonly maxArchivedEventsPerArchive: number;
}

const isMatchingRule = (rule: RuleRecord, event: EventBridgeEvent): boolean =>
  rule.state !== 'DISABLED' && rule.eventPattern !== undefined && rule.eventPattern.matches(event);

/** Drops events past the archive's retention, then the oldest ones beyond the emulator's cap. */
const trimArchive = (archive: ArchiveRecord, now: number, cap: number): number => {
  let dropped = 0;
  const cutoff =
    archive.retentionDays > 0 ? now - archive.retentionDays * 86_400_000 : Number.NEGATIVE_INFINITY;
  while (archive.events.length > 0) {
    const oldest = archive.events[0];
    if (oldest === undefined || (oldest.archivedAt >= cutoff && archive.events.length <= cap)) break;
    archive.events.shift();
    archive.sizeBytes -= oldest.sizeBytes;
    if (oldest.archivedAt >= cutoff) dropped += 1;
  }
  return dropped;
};

const archiveEvent = (
  context: RoutingContext,
  busName: string,
  event: EventBridgeEvent,
  eventJson: string,
): void => {
  for (const archive of context.store.archives.values()) {
    if (archive.busName !== busName) continue;
    if (archive.eventPattern !== undefined && !archive.eventPattern.matches(event)) continue;
    const sizeBytes = Buffer.byteLength(eventJson, 'utf8');
    const parsedTime = Date.parse(event.time);
    archive.events.push({
      event,
      eventTime: Number.isFinite(parsedTime) ? parsedTime : context.now,
      archivedAt: context.now,
      sizeBytes,
    });
    archive.sizeBytes += sizeBytes;
    context.metrics.archivedEvents += 1;
    const dropped = trimArchive(archive, context.now, context.maxArchivedEventsPerArchive);
    archive.droppedEvents += dropped;
    context.metrics.archiveDroppedEvents += dropped;
  }
};

/** How an event reaches a bus: `onlyRuleArns` restricts the rules (a replay's FilterArns); `forwarded` marks an
 * event delivered by another bus's rule (a bus target), which EventBridge does not forward to a further bus. */
export interface RouteOptions {
  readonly onlyRuleArns?: ReadonlySet<string>;
  readonly forwarded?: boolean;
}

/** Hands an event to each target of one rule (input rendered per target; an event bus target gets the event). */
const submitToTargets = (
  context: RoutingContext,
  rule: RuleRecord,
  event: EventBridgeEvent,
  eventJson: string,
  forwarded: boolean,
): void => {
  const renderContext = {
    event,
    eventJson,
    ruleArn: rule.arn,
    ruleName: rule.name,
    ingestionTime: eventTime(context.now),
  };
  for (const target of rule.targets.values()) {
    const toBus = isEventBusArn(target.arn);
    if (toBus && forwarded) {
      context.metrics.forwardingSkipped += 1;
      continue;
    }
    const job = {
      ruleArn: rule.arn,
      targetId: target.id,
      targetArn: target.arn,
      eventId: event.id,
      eventJson,
      ingestedAt: context.now,
      maximumRetryAttempts: target.maximumRetryAttempts,
      maximumEventAgeInSeconds: target.maximumEventAgeInSeconds,
      ...(target.deadLetterArn === undefined ? {} : { deadLetterArn: target.deadLetterArn }),
      ...(target.messageGroupId === undefined ? {} : { messageGroupId: target.messageGroupId }),
    };
    const body = toBus ? eventJson : renderTargetInput(target, renderContext);
    if (body === undefined) {
      context.engine.discard(job, {
        code: 'INVALID_INPUT_TRANSFORMATION',
        message: 'the input transformer did not produce valid JSON; AWS drops such an invocation',
      });
    } else context.engine.submit({ ...job, body });
  }
};

/**
 * Sends an event through a bus: every enabled rule whose pattern matches hands it to each of its targets, and,
 * unless the event is itself a replay, every archive of the bus whose pattern matches keeps it. Returns the number
 * of matching rules.
 */
export const routeEvent = (
  context: RoutingContext,
  busName: string,
  event: EventBridgeEvent,
  { onlyRuleArns, forwarded = false }: RouteOptions = {},
): number => {
  const eventJson = JSON.stringify(event);
  let matched = 0;
  for (const rule of context.store.rules(busName)) {
    if (onlyRuleArns !== undefined && !onlyRuleArns.has(rule.arn)) continue;
    if (!isMatchingRule(rule, event)) continue;
    matched += 1;
    submitToTargets(context, rule, event, eventJson, forwarded);
  }
  context.metrics.matchedEvents += matched;
  if (matched === 0) context.metrics.unmatchedEvents += 1;
  if (event['replay-name'] === undefined) archiveEvent(context, busName, event, eventJson);
  return matched;
};

/** A scheduled rule's event goes to that rule's targets only: it is not put on the bus, nor archived. */
export const deliverScheduledEvent = (
  context: RoutingContext,
  rule: RuleRecord,
  event: EventBridgeEvent,
): void => {
  context.metrics.scheduledEvents += 1;
  submitToTargets(context, rule, event, JSON.stringify(event), false);
};
