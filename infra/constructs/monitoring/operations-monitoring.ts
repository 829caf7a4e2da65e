import type { WatchedConsumer } from '@breakwater/event-consumer';
import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  type IMetric,
  type IWidget,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BatchMetrics } from '../../../shared/batch/process-batch';
import { type OutboxSweepMetricName, OutboxSweepMetrics } from '../../../shared/outbox/metrics';
import type { StageConfig } from '../../config';
import { metricsNamespace } from '../../defaults/functions';
import { pascalCase } from '../../naming';
import type { AlarmTopics, Severity } from './alarm-topics';
import { Severities } from './alarm-topics';
import { alarmStatus, functionGraphs, graph, header } from './dashboard-widgets';
import { MetricFactory, type WatchedRule } from './metrics';

/** Properties of {@link OperationsMonitoring}. */
export interface OperationsMonitoringProps {
  readonly config: StageConfig;
  /** Page alarms notify `page`, notices `notice`. */
  readonly topics: Pick<AlarmTopics, 'topic'>;
}

/** The two alarms every DLQ gets. */
export interface DeadLetterQueueAlarms {
  /** ApproximateNumberOfMessagesVisible ≥ 1: something failed for good. */
  readonly depth: Alarm;
  /** ApproximateAgeOfOldestMessage ≥ the threshold: a failure has been left unhandled and nears expiry. */
  readonly age: Alarm;
}

/** The alarms of a service's circuit breakers. */
export interface CircuitBreakerAlarms {
  /** A notice while any circuit of the service is not CLOSED: a trip, which the breaker rides out by itself. */
  readonly notClosed: Alarm;
  /** A page: some circuit stayed not closed through 3 consecutive 5-minute periods (several cooldowns). */
  readonly heldOpen: Alarm;
  /** The breakers' state store (DynamoDB) keeps failing: containers decide on their local fallback. */
  readonly storeErrors: Alarm;
}

/** The alarms of the outbox sweeper. */
export interface OutboxSweeperAlarms {
  /** A run found outbox items older than the grace period: the stream publisher is failing. */
  readonly stranded: Alarm;
  /** A run failed. */
  readonly errors: Alarm;
}

/**
 * What one queue consumer (rule → queue → function, with two DLQs) looks like to monitoring: the consumer
 * construct's own contract (`@breakwater/event-consumer`), which hands it over.
 */
export type { WatchedConsumer } from '@breakwater/event-consumer';

/** Every alarm of a queue consumer. */
export interface ConsumerAlarms {
  readonly deadLetter: DeadLetterQueueAlarms;
  readonly targetDeadLetter: DeadLetterQueueAlarms;
  /** Page: the oldest message of its queue is older than `maxMessageAge`. */
  readonly queueAge: Alarm;
  /** Page: the function failed (not a record: the invocation) in 3 consecutive minutes. */
  readonly errors: Alarm;
  /** Notice: invocations throttled (each throttled batch burns a receive of every message in it). */
  readonly throttles: Alarm;
  /** Notice: records failed for a reason that may pass, at least 10 in 5 minutes. */
  readonly recordsFailed: Alarm;
  /** Page: a record that can never succeed could not be sent to its DLQ at once (the fast path is broken). */
  readonly recordsRejected: Alarm;
  /** Notice: the rule put events in its target DLQ (whose depth alarm pages). */
  readonly ruleFailedInvocations: Alarm;
  /** Page: the rule could deliver events neither to the queue nor to its DLQ: they are lost. */
  readonly ruleDeadLetterFailures: Alarm;
}

/** The alarm spec {@link OperationsMonitoring.addAlarm} takes. */
interface AlarmSpec {
  readonly what: string;
  readonly description: string;
  readonly severity: Severity;
  readonly metric: IMetric;
  readonly threshold: number;
  /** Default 1. */
  readonly evaluationPeriods?: number;
  /** Default: `evaluationPeriods`. */
  readonly datapointsToAlarm?: number;
  /** Default NOT_BREACHING: no data means no messages / no traffic, i.e. healthy. */
  readonly treatMissingData?: TreatMissingData;
  /**
   * Notify the topic again when the alarm returns to OK. Default: true for pages (whoever was paged learns that
   * it cleared), false for notices (an OK a minute after a one-off notice is noise).
   */
  readonly notifyOk?: boolean;
}

/**
 * The monitoring facade of the app (in the Operations stack): it builds every alarm with one naming strategy
 * (`<prefix>-<owner>-<what>`), routes each to the topic of its severity, and lays out the dashboard (a text header
 * per service, every series labelled by its function or queue).
 *
 * Service stacks hand it their resources; the alarms live in the Operations stack. So references only flow from
 * the service stacks into Operations (which deploys last) and the topics never have to be imported by the stacks
 * whose resources they watch, which would make the dashboard's references a dependency cycle.
 */
export class OperationsMonitoring extends Construct {
  public readonly dashboard: Dashboard;
  private readonly prefix: string;
  private readonly topics: Pick<AlarmTopics, 'topic'>;
  /** Namespace of the functions' own metrics (`POWERTOOLS_METRICS_NAMESPACE`), which the EMF alarms query. */
  private readonly metricsNamespace: string;
  private readonly allAlarms: Alarm[] = [];
  private readonly severities = new Map<Alarm, Severity>();

  public constructor(scope: Construct, id: string, props: OperationsMonitoringProps) {
    super(scope, id);
    this.prefix = props.config.prefix;
    this.metricsNamespace = metricsNamespace(props.config);
    this.topics = props.topics;
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: this.prefix });
  }

  /** Every alarm created so far. */
  public get alarms(): readonly Alarm[] {
    return [...this.allAlarms];
  }

  /** The severity (topic) of an alarm created here. */
  public severityOf(alarm: Alarm): Severity | undefined {
    return this.severities.get(alarm);
  }

  /** The one naming strategy: `breakwater-<stage>-<owner>-<what>`. */
  public alarmName(owner: string, what: string): string {
    return `${this.prefix}-${owner}-${what}`;
  }

  /**
   * Depth and age alarms for a DLQ. `owner` names the DLQ uniquely (e.g. `billing-dlq`, `billing-target-dlq`);
   * watching two queues under one owner fails at synth (duplicate construct id), as their alarm names would clash.
   * Depth pages unless `depthSeverity` says otherwise (a DLQ of failed scheduled runs holds no event); age is a
   * notice (depth already paged; this one says the message nears its 14-day expiry).
   */
  public watchDeadLetterQueue(
    queue: IQueue,
    owner: string,
    maxMessageAge: Duration,
    depthSeverity: Severity = Severities.page,
  ): DeadLetterQueueAlarms {
    const depth = this.addAlarm(owner, {
      what: 'depth',
      severity: depthSeverity,
      description: `Messages in ${owner}: a failure path ended here. Inspect (dlq peek), fix, then replay.`,
      metric: MetricFactory.queueDepth(queue, owner),
      threshold: 1,
    });
    const age = this.addAlarm(owner, {
      what: 'age',
      severity: Severities.notice,
      description: `Oldest message in ${owner} is older than ${maxMessageAge.toHumanString()}; it expires at 14 days.`,
      metric: MetricFactory.queueAge(queue, owner),
      threshold: maxMessageAge.toSeconds(),
    });
    return { depth, age };
  }

  /** Alarm (page) on a stream consumer's iterator age: the outbox is not being drained. */
  public watchStreamLag(fn: IFunction, owner: string, maxLag: Duration): Alarm {
    return this.addAlarm(owner, {
      what: 'iterator-age',
      severity: Severities.page,
      description: `${owner} is more than ${maxLag.toHumanString()} behind its stream: events are not being published.`,
      metric: MetricFactory.streamIteratorAge(fn, owner),
      threshold: maxLag.toMilliseconds(),
    });
  }

  /**
   * The HTTP API and its function: a page when at least `serverErrorPercent` % of the requests were answered 5xx in
   * 3 of the last 5 minutes (a rate, so one failed request at night is not a page), and a dashboard section.
   */
  public watchHttpApi(api: IHttpApi, fn: IFunction, owner: string, serverErrorPercent: number): Alarm {
    const alarm = this.addAlarm(owner, {
      what: '5xx-rate',
      severity: Severities.page,
      description:
        `${owner} answered at least ${serverErrorPercent}% of its requests with 5xx in 3 of the last 5 minutes. ` +
        "Its function's logs name the error (correlation id in each line).",
      metric: MetricFactory.apiServerErrorRate(api, owner),
      threshold: serverErrorPercent,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
    this.addSection(
      owner,
      'HTTP API (IAM auth) → orders-api: creates orders (order + outbox item in one transaction), reads them.',
      [
        graph(`${owner}: requests / 4xx / 5xx`, [
          MetricFactory.apiRequests(api, owner),
          MetricFactory.apiClientErrors(api, owner),
          MetricFactory.apiServerErrors(api, owner),
        ]),
        graph(`${owner}: 5xx rate (%)`, [MetricFactory.apiServerErrorRate(api, owner)]),
        graph(`${owner}: latency p99 (ms)`, [MetricFactory.apiLatencyP99(api, owner)]),
        ...functionGraphs(fn, owner),
      ],
      [alarm],
    );
    return alarm;
  }

  /**
   * Alarms and a dashboard section for the circuit breakers of `service` (its Powertools service name), over every
   * circuit it has, from the metrics its breakers emit (`metricsListeners`):
   *
   * - not closed (notice, with OK): the maximum of `CircuitNotClosed` ≥ 1 in a minute. The metric is only emitted
   *   at syncs and transitions, and an OPEN circuit does not sync until its cooldown ends, so missing data keeps the
   *   alarm's state: it stays in ALARM from the opening until a 0 arrives (the transition back to CLOSED emits one).
   *   A trip is the breaker doing its job: worth knowing, not a page.
   * - held open (page): the maximum is ≥ 1 in 3 consecutive 5-minute periods: the dependency has been failing
   *   through several cooldowns (30 s doubling to 5 min) and messages are piling up behind the circuit.
   * - store errors (notice): `CircuitStoreErrors` in 2 of the last 3 minutes (one failed request is retried by the
   *   breaker; a state store that keeps failing leaves every container on its own local view).
   */
  public watchCircuitBreakers(service: string): CircuitBreakerAlarms {
    const owner = `${service}-breaker`;
    const ns = this.metricsNamespace;
    const notClosed = this.addAlarm(owner, {
      what: 'not-closed',
      severity: Severities.notice,
      notifyOk: true,
      description:
        `A circuit breaker of ${service} is not CLOSED: calls to its dependency are refused or probed, and its ` +
        'messages wait in the queue (nothing is lost). Its breaker.* events on the bus say which circuit and why.',
      metric: MetricFactory.circuitsNotClosed(ns, service),
      threshold: 1,
      treatMissingData: TreatMissingData.IGNORE,
    });
    const heldOpen = this.addAlarm(owner, {
      what: 'held-open',
      severity: Severities.page,
      description:
        `A circuit breaker of ${service} has not closed through 3 consecutive 5-minute periods: its dependency ` +
        'keeps failing its probes. Check the dependency; messages wait in the queue until it recovers.',
      metric: MetricFactory.circuitsNotClosedOver(ns, service, Duration.minutes(5)),
      threshold: 1,
      evaluationPeriods: 3,
      treatMissingData: TreatMissingData.IGNORE,
    });
    const storeErrors = this.addAlarm(owner, {
      what: 'store-errors',
      severity: Severities.notice,
      description:
        `The circuit breakers of ${service} cannot reach their state table: each container decides alone ` +
        '(closed circuits keep calling, open ones stay open until their cooldown).',
      metric: MetricFactory.circuitStoreErrors(ns, service),
      threshold: 1,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    this.addSection(
      owner,
      `Circuit breakers of ${service}: a trip is a notice; a circuit held open for 15 minutes pages.`,
      [
        graph(`${owner}: circuits not closed / worst failure rate (%)`, [
          MetricFactory.circuitsNotClosed(ns, service),
          MetricFactory.circuitFailureRate(ns, service),
        ]),
        graph(`${owner}: rejected calls / store errors / Redis errors`, [
          MetricFactory.circuitRejectedCalls(ns, service),
          MetricFactory.circuitStoreErrors(ns, service),
          MetricFactory.circuitSignalErrors(ns, service),
        ]),
      ],
      [notClosed, heldOpen, storeErrors],
    );
    return { notClosed, heldOpen, storeErrors };
  }

  /**
   * Alarms and a dashboard section for the outbox sweeper (service `service`, its Powertools service name), all
   * notices: the sweeper is the safety net, and the publisher's own alarms page when events stop flowing.
   * - stranded: a run found outbox items older than the grace period. The sweeper has published them (or will), but
   *   the stream publisher is failing: its DLQ, iterator age and errors say why.
   * - errors: a run failed as a whole (scan refused, setting missing): stranded events wait for a run that works.
   */
  public watchOutboxSweeper(
    fn: IFunction,
    owner: string,
    service: string,
    schedule: WatchedRule,
    alarms: readonly Alarm[] = [],
  ): OutboxSweeperAlarms {
    const metric = (name: OutboxSweepMetricName) =>
      MetricFactory.outboxSweep(this.metricsNamespace, service, name);
    const stranded = this.addAlarm(owner, {
      what: 'stranded',
      severity: Severities.notice,
      description:
        `${owner} found outbox events the stream publisher did not publish within the grace period: the publisher ` +
        'is failing (see its failure DLQ, iterator age and errors). The sweeper publishes them meanwhile.',
      metric: metric(OutboxSweepMetrics.stranded),
      threshold: 1,
    });
    const errors = this.addAlarm(owner, {
      what: 'errors',
      severity: Severities.notice,
      description: `${owner} failed a run: stranded outbox events are not being swept.`,
      metric: MetricFactory.functionErrors(fn, owner),
      threshold: 1,
    });
    const scheduleAlarms = this.watchRule(owner, schedule, Severities.notice);
    this.addSection(
      owner,
      'Every 5 minutes: publishes outbox items the stream publisher left behind (the safety net).',
      [
        graph(`${owner}: stranded / published / failed`, [
          metric(OutboxSweepMetrics.stranded),
          metric(OutboxSweepMetrics.published),
          metric(OutboxSweepMetrics.failed),
        ]),
        ...functionGraphs(fn, owner),
      ],
      [stranded, errors, ...scheduleAlarms, ...alarms],
    );
    return { stranded, errors };
  }

  /** A dashboard section for a function that is not a queue consumer (stream publisher, DLQ replay). */
  public watchFunction(
    fn: IFunction,
    owner: string,
    description: string,
    options: { alarms?: readonly Alarm[]; iteratorAge?: boolean; queues?: readonly [string, IQueue][] } = {},
  ): void {
    const extra: IWidget[] = [];
    if (options.iteratorAge) {
      extra.push(graph(`${owner}: iterator age (ms)`, [MetricFactory.streamIteratorAge(fn, owner)]));
    }
    for (const [label, queue] of options.queues ?? []) {
      extra.push(graph(`${label}: depth`, [MetricFactory.queueDepth(queue, label)]));
    }
    this.addSection(owner, description, [...functionGraphs(fn, owner), ...extra], options.alarms ?? []);
  }

  /**
   * Every alarm and a dashboard section of a queue consumer. Pages: either DLQ has a message, its queue's oldest
   * message is older than `maxMessageAge`, the function keeps failing, a record could not be dead-lettered, the
   * rule lost events. Notices: DLQ messages getting old, throttles, records failing (retried), events the rule put
   * in its DLQ.
   */
  public watchConsumer(consumer: WatchedConsumer): ConsumerAlarms {
    const { name } = consumer;
    const batch = (metric: (typeof BatchMetrics)[keyof typeof BatchMetrics]) =>
      MetricFactory.batchRecords(this.metricsNamespace, name, metric);
    const deadLetter = this.watchDeadLetterQueue(
      consumer.deadLetterQueue,
      `${name}-dlq`,
      consumer.deadLetterAlarmAge,
    );
    const targetDeadLetter = this.watchDeadLetterQueue(
      consumer.targetDeadLetterQueue,
      `${name}-target-dlq`,
      consumer.deadLetterAlarmAge,
    );
    const queueAge = this.addAlarm(`${name}-queue`, {
      what: 'age',
      severity: Severities.page,
      description:
        `The oldest message in the ${name} queue is older than ${consumer.maxMessageAge.toHumanString()}: the ` +
        'consumer is not keeping up or not making progress (see its errors, throttles and failed records).',
      metric: MetricFactory.sourceQueueAge(consumer.queue, `${name} queue`),
      threshold: consumer.maxMessageAge.toSeconds(),
    });
    const errors = this.addAlarm(name, {
      what: 'errors',
      severity: Severities.page,
      description:
        `The ${name} function failed whole invocations (not single records) in 3 consecutive minutes: a crash, ` +
        'a timeout or a broken deploy. Its batches return to the queue and walk toward the DLQ.',
      metric: MetricFactory.functionErrors(consumer.function, name),
      threshold: 1,
      evaluationPeriods: 3,
    });
    const throttles = this.addAlarm(name, {
      what: 'throttles',
      severity: Severities.notice,
      description:
        `The ${name} function was throttled: the account's concurrency is exhausted. Each throttled batch burns a ` +
        'receive of every message in it toward the DLQ.',
      metric: MetricFactory.functionThrottles(consumer.function, name),
      threshold: 1,
    });
    const recordsFailed = this.addAlarm(name, {
      what: 'records-failed',
      severity: Severities.notice,
      description:
        `${name} failed at least 10 records in 5 minutes for a reason that may pass (a dependency down, throttling): ` +
        'the queue retries them. Its logs say why (level WARN/ERROR, "record failed").',
      metric: batch(BatchMetrics.recordsFailed),
      threshold: 10,
    });
    const recordsRejected = this.addAlarm(name, {
      what: 'records-rejected',
      severity: Severities.page,
      description:
        `${name} rejected a record that can never succeed and could not send it to its DLQ at once: it walks its ` +
        'remaining receives into the DLQ. The send to the DLQ is failing (permissions, the DLQ URL): check the logs.',
      metric: batch(BatchMetrics.recordsRejected),
      threshold: 1,
    });
    const [ruleFailedInvocations, ruleDeadLetterFailures] = this.watchRule(
      name,
      consumer.rule,
      Severities.page,
    );
    this.addSection(
      name,
      consumer.description,
      [
        graph(`${name}: queue depth / oldest age (s)`, [
          MetricFactory.queueDepth(consumer.queue, `${name} queue`),
          MetricFactory.sourceQueueAge(consumer.queue, `${name} queue`),
        ]),
        ...functionGraphs(consumer.function, name),
        graph(`${name}: records received / failed / rejected / dead-lettered / deferred`, [
          batch(BatchMetrics.recordsReceived),
          batch(BatchMetrics.recordsFailed),
          batch(BatchMetrics.recordsRejected),
          batch(BatchMetrics.recordsDeadLettered),
          batch(BatchMetrics.recordsDeferred),
        ]),
        graph(`${name}: DLQ depth (redrive, rule target)`, [
          MetricFactory.queueDepth(consumer.deadLetterQueue, `${name}-dlq`),
          MetricFactory.queueDepth(consumer.targetDeadLetterQueue, `${name}-target-dlq`),
        ]),
        graph(`${name}: rule delivery failures`, [
          MetricFactory.ruleFailedInvocations(consumer.rule, name),
          MetricFactory.ruleDeadLettered(consumer.rule, name),
          MetricFactory.ruleDeadLetterFailures(consumer.rule, name),
        ]),
      ],
      [
        deadLetter.depth,
        targetDeadLetter.depth,
        queueAge,
        errors,
        recordsRejected,
        ruleDeadLetterFailures,
        deadLetter.age,
        targetDeadLetter.age,
        throttles,
        recordsFailed,
        ruleFailedInvocations,
      ],
    );
    return {
      deadLetter,
      targetDeadLetter,
      queueAge,
      errors,
      throttles,
      recordsFailed,
      recordsRejected,
      ruleFailedInvocations,
      ruleDeadLetterFailures,
    };
  }

  /**
   * The two delivery alarms of a rule's target: failed invocations (a notice: the events are in the target's DLQ,
   * whose depth alarm pages) and events not even sent to the DLQ (lost: `lostSeverity`).
   */
  private watchRule(owner: string, rule: WatchedRule, lostSeverity: Severity): [Alarm, Alarm] {
    const failed = this.addAlarm(owner, {
      what: 'rule-failed-invocations',
      severity: Severities.notice,
      description: `The rule of ${owner} could not deliver events to its target after every retry; they are in its target DLQ.`,
      metric: MetricFactory.ruleFailedInvocations(rule, owner),
      threshold: 1,
    });
    const lost = this.addAlarm(owner, {
      what: 'rule-dlq-failures',
      severity: lostSeverity,
      description:
        `The rule of ${owner} could deliver events neither to its target nor to its DLQ: those events are lost ` +
        '(replay them from the bus archive). Check the DLQ policy and encryption.',
      metric: MetricFactory.ruleDeadLetterFailures(rule, owner),
      threshold: 1,
    });
    return [failed, lost];
  }

  private addSection(title: string, description: string, widgets: IWidget[], alarms: readonly Alarm[]): void {
    this.dashboard.addWidgets(header(title, description, alarms, (a) => this.severityOf(a)));
    this.dashboard.addWidgets(...widgets, ...alarmStatus(title, alarms));
  }

  /** Alarms are grouped under one construct per owner, so their logical ids read `<Owner><What>`. */
  private addAlarm(owner: string, spec: AlarmSpec): Alarm {
    const ownerId = pascalCase(owner);
    const scope = (this.node.tryFindChild(ownerId) as Construct | undefined) ?? new Construct(this, ownerId);
    const alarm = new Alarm(scope, pascalCase(spec.what), {
      alarmName: this.alarmName(owner, spec.what),
      alarmDescription: `[${spec.severity}] ${spec.description}`,
      metric: unlabelled(spec.metric),
      threshold: spec.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      ...(spec.datapointsToAlarm === undefined ? {} : { datapointsToAlarm: spec.datapointsToAlarm }),
      treatMissingData: spec.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topics.topic(spec.severity));
    alarm.addAlarmAction(action);
    if (spec.notifyOk ?? spec.severity === Severities.page) alarm.addOkAction(action);
    this.allAlarms.push(alarm);
    this.severities.set(alarm, spec.severity);
    return alarm;
  }
}

/**
 * The metric without its dashboard label. CloudFormation then gets the alarm's plain form (`Namespace`,
 * `MetricName`, `Dimensions`) instead of a one-query `Metrics` list; the label is for graphs only.
 */
function unlabelled(metric: IMetric): IMetric {
  if (!(metric instanceof Metric)) return metric;
  return new Metric({
    namespace: metric.namespace,
    metricName: metric.metricName,
    dimensionsMap: metric.dimensions as Record<string, string>,
    statistic: metric.statistic,
    period: metric.period,
    ...(metric.unit === undefined ? {} : { unit: metric.unit }),
  });
}
