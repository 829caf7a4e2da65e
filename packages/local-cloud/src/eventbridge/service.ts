import {
  AwsServiceError,
  type JsonProtocolService,
  type JsonServiceRequest,
  type JsonServiceResponse,
} from '../support/aws-protocol.js';
import type { Action, ActionContext } from './action-context.js';
import { archiveActions } from './archive-actions.js';
import { isEventBusArn, parseEventBusArn, type Scope } from './arns.js';
import { AwsErrors } from './aws-errors.js';
import { busActions } from './bus-actions.js';
import {
  DeliveryEngine,
  type DeliveryEngineOptions,
  type DeliveryMetrics,
  type RuleDeliveryMetrics,
  type TargetDelivery,
  TargetDeliveryError,
  type TargetDeliveryRequest,
} from './delivery.js';
import { eventActions } from './event-actions.js';
import type { EventBridgeEvent } from './model.js';
import { permissionActions } from './permission-actions.js';
import { replayActions } from './replay-actions.js';
import {
  deliverScheduledEvent,
  emptyRoutingMetrics,
  type RoutingContext,
  type RoutingMetrics,
  routeEvent,
} from './router.js';
import { ruleActions } from './rule-actions.js';
import { type ScheduledRule, ScheduleRunner } from './schedule-runner.js';
import { realTimeScheduler, type Scheduler } from './scheduler.js';
import { EventBridgeStore } from './store.js';
import { tagActions } from './tag-actions.js';
import { targetActions } from './target-actions.js';

/** Options of the emulator; only `delivery` is required. */
export interface EventBridgeServiceOptions extends DeliveryEngineOptions {
  /** Events one archive keeps at most; older ones are dropped and counted. Default 10 000. */
  readonly maxArchivedEventsPerArchive?: number;
  /**
   * How long a replay stays STARTING before it runs: AWS replays take minutes, so it can be listed, counted against
   * the 10 active replays, and cancelled; locally a moment. Default 1000 ms.
   */
  readonly replayStartDelayMs?: number;
  /**
   * The clock of scheduled rules (`rate(...)`, `cron(...)`): default the wall clock (`realTimeScheduler()`); tests
   * pass a `ManualScheduler`, a demo a sped-up `realTimeScheduler({ speedup })`.
   */
  readonly scheduler?: Scheduler;
}

/**
 * Every counter of the emulator: routing (puts, matches, archives, replays) and delivery (invocations...), and per
 * rule (`rules`, by rule ARN) the delivery counters under AWS/Events metric names (`Invocations`,
 * `FailedInvocations`, `InvocationsSentToDlq`, `InvocationsFailedToBeSentToDlq`, ...), ready to publish as such.
 */
export type EventBridgeMetrics = RoutingMetrics &
  DeliveryMetrics & { readonly rules: Readonly<Record<string, RuleDeliveryMetrics>> };

const ACTIONS: Readonly<Record<string, Action>> = {
  ...busActions,
  ...ruleActions,
  ...targetActions,
  ...eventActions,
  ...archiveActions,
  ...replayActions,
  ...tagActions,
  ...permissionActions,
};

/** The actions the emulator answers, for documentation and for the edge's diagnostics. */
export const EVENTBRIDGE_ACTIONS: readonly string[] = Object.keys(ACTIONS);

/**
 * The in-process EventBridge emulator behind the edge's `X-Amz-Target: AWSEvents.<Action>`: buses, rules (with the
 * full pattern language), targets with input transformation, retry policy and dead-letter queues, PutEvents,
 * TestEventPattern, archives and replays, scheduled rules on an injectable clock. State is kept per region and account. Deliveries go through the injected
 * `TargetDelivery`; `whenIdle()` waits for them (and for replays) to settle.
 */
export class EventBridgeService implements JsonProtocolService {
  public readonly signingName = 'events';
  public readonly targetPrefix = 'AWSEvents';
  private readonly stores = new Map<string, EventBridgeStore>();
  private readonly engine: DeliveryEngine;
  private readonly routingMetrics = emptyRoutingMetrics();
  private readonly tasks = new Set<Promise<void>>();
  private readonly now: () => number;
  private readonly maxArchivedEventsPerArchive: number;
  private readonly replayStartDelayMs: number;
  private readonly schedules: ScheduleRunner;
  private readonly sleepers = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  public constructor({
    maxArchivedEventsPerArchive = 10_000,
    replayStartDelayMs = 1000,
    scheduler = realTimeScheduler(),
    delivery,
    ...deliveryOptions
  }: EventBridgeServiceOptions) {
    // Event bus targets are this emulator's own buses: delivered here; every other target goes out.
    const routed: TargetDelivery = {
      deliver: (request) =>
        isEventBusArn(request.arn) ? this.deliverToBus(request) : delivery.deliver(request),
    };
    this.engine = new DeliveryEngine({ ...deliveryOptions, delivery: routed });
    this.now = deliveryOptions.now ?? Date.now;
    this.maxArchivedEventsPerArchive = maxArchivedEventsPerArchive;
    this.replayStartDelayMs = replayStartDelayMs;
    this.schedules = new ScheduleRunner(scheduler, (store, rule, event) =>
      deliverScheduledEvent(this.routingFor(store, this.now()), rule, event),
    );
  }

  /** Answers one request; AWS-shaped failures are thrown as `AwsServiceError` (unexpected ones as InternalException). */
  public async handle(request: JsonServiceRequest): Promise<JsonServiceResponse> {
    const action = Object.hasOwn(ACTIONS, request.action) ? ACTIONS[request.action] : undefined;
    if (action === undefined) throw AwsErrors.unknownOperation(request.action);
    try {
      return { status: 200, body: await action(this.context(request)) };
    } catch (error) {
      if (error instanceof AwsServiceError) throw error;
      throw AwsErrors.internal(
        `Internal error in ${request.action}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** Resolves once every delivery, retry, dead-letter hand-off and replay started so far has settled. */
  public async whenIdle(): Promise<void> {
    while (this.tasks.size > 0 || !this.engine.idle) {
      await Promise.all([...this.tasks]);
      await this.engine.whenIdle();
    }
  }

  /** A snapshot of the counters. */
  public metrics(): EventBridgeMetrics {
    return { ...this.routingMetrics, ...this.engine.metrics(), rules: this.engine.ruleMetrics() };
  }

  /** Rules with a ScheduleExpression, armed on the scheduler, with their next run. */
  public scheduledRules(): ScheduledRule[] {
    return this.schedules.list();
  }

  /** Stops delivering: refuses new deliveries and abandons pending retries. Requests are still answered. */
  public close(): void {
    this.closed = true;
    this.schedules.close();
    this.engine.close();
    for (const [timer, wake] of this.sleepers) {
      clearTimeout(timer);
      wake();
    }
    this.sleepers.clear();
  }

  private sleep(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleepers.delete(timer);
        resolve(true);
      }, ms);
      this.sleepers.set(timer, () => resolve(false));
    });
  }

  /** An event bus target: the event goes through the target bus as if put there, but is not forwarded again. */
  private async deliverToBus(request: TargetDeliveryRequest): Promise<void> {
    const target = parseEventBusArn(request.arn);
    const store = target === undefined ? undefined : this.stores.get(`${target.accountId}/${target.region}`);
    const bus = target === undefined ? undefined : store?.findBus(target.name);
    if (store === undefined || bus === undefined) {
      throw new TargetDeliveryError(`event bus ${request.arn} does not exist`, {
        code: 'NO_RESOURCE',
        retryable: false,
      });
    }
    const event = JSON.parse(request.body) as EventBridgeEvent;
    routeEvent(this.routingFor(store, this.now()), bus.name, event, { forwarded: true });
  }

  private storeFor(scope: Scope, now: number): EventBridgeStore {
    const key = `${scope.accountId}/${scope.region}`;
    let store = this.stores.get(key);
    if (store === undefined) {
      store = new EventBridgeStore(scope, now);
      this.stores.set(key, store);
    }
    return store;
  }

  private routingFor(store: EventBridgeStore, now: number): RoutingContext {
    return {
      store,
      engine: this.engine,
      metrics: this.routingMetrics,
      now,
      maxArchivedEventsPerArchive: this.maxArchivedEventsPerArchive,
    };
  }

  private context(request: JsonServiceRequest): ActionContext {
    const now = this.now();
    const scope = { region: request.region, accountId: request.accountId };
    const store = this.storeFor(scope, now);
    return {
      input: request.input,
      scope,
      store,
      now,
      clock: this.now,
      routing: this.routingFor(store, now),
      sleep: (ms) => this.sleep(ms),
      replayStartDelayMs: this.replayStartDelayMs,
      schedules: this.schedules,
      startTask: (task) => {
        const running: Promise<void> = task()
          .catch(() => undefined)
          .finally(() => this.tasks.delete(running));
        this.tasks.add(running);
      },
    };
  }
}

/** Creates the emulator (see `EventBridgeService`). */
export const createEventBridgeService = (options: EventBridgeServiceOptions): EventBridgeService =>
  new EventBridgeService(options);
