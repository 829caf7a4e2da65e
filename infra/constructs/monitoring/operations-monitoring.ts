import type { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  type IWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type OutboxSweepMetricName, OutboxSweepMetrics } from '../../../shared/outbox/metrics';
import type { StageConfig } from '../../config';
import { metricsNamespace } from '../../defaults/functions';
import { pascalCase } from '../../naming';
import { MetricFactory } from './metrics';

/** Properties of {@link OperationsMonitoring}. */
export interface OperationsMonitoringProps {
  readonly config: StageConfig;
  /** Every alarm notifies this topic, on ALARM and on OK. */
  readonly alarmTopic: ITopic;
}

/** The two alarms every DLQ gets. */
export interface DeadLetterQueueAlarms {
  /** ApproximateNumberOfMessagesVisible ≥ 1: something failed for good. */
  readonly depth: Alarm;
  /** ApproximateAgeOfOldestMessage ≥ the threshold: a failure has been left unhandled and nears expiry. */
  readonly age: Alarm;
}

/** The two alarms of a service's circuit breakers. */
export interface CircuitBreakerAlarms {
  /** In ALARM while any circuit of the service is not CLOSED: calls to a dependency are being refused. */
  readonly notClosed: Alarm;
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

/** What one queue consumer looks like to the dashboard. */
export interface WatchedConsumer {
  readonly name: string;
  readonly queue: IQueue;
  readonly function: IFunction;
  /** Alarms shown next to the consumer's graphs. */
  readonly alarms: readonly Alarm[];
}

/**
 * The monitoring facade of the app (in the Operations stack): it builds every alarm with one naming strategy
 * (`<prefix>-<owner>-<what>`) and one action (the alarm topic), and lays out the dashboard.
 *
 * Service stacks hand it their resources; the alarms live in the Operations stack. So references only flow from
 * the service stacks into Operations (which deploys last) and the topic never has to be imported by the stacks
 * whose resources it watches, which would make the dashboard's references a dependency cycle.
 */
export class OperationsMonitoring extends Construct {
  public readonly dashboard: Dashboard;
  public readonly alarmAction: SnsAction;
  private readonly prefix: string;
  /** Namespace of the functions' own metrics (`POWERTOOLS_METRICS_NAMESPACE`), which the breaker alarms query. */
  private readonly metricsNamespace: string;
  private readonly allAlarms: Alarm[] = [];

  public constructor(scope: Construct, id: string, props: OperationsMonitoringProps) {
    super(scope, id);
    this.prefix = props.config.prefix;
    this.metricsNamespace = metricsNamespace(props.config);
    this.alarmAction = new SnsAction(props.alarmTopic);
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: this.prefix });
  }

  /** Every alarm created so far. */
  public get alarms(): readonly Alarm[] {
    return [...this.allAlarms];
  }

  /** The one naming strategy: `breakwater-<stage>-<owner>-<what>`. */
  public alarmName(owner: string, what: string): string {
    return `${this.prefix}-${owner}-${what}`;
  }

  /**
   * Depth and age alarms for a DLQ. `owner` names the DLQ uniquely (e.g. `billing-dlq`, `billing-target-dlq`);
   * watching two queues under one owner fails at synth (duplicate construct id), as their alarm names would clash.
   */
  public watchDeadLetterQueue(queue: IQueue, owner: string, maxMessageAge: Duration): DeadLetterQueueAlarms {
    const depth = this.addAlarm(owner, 'Depth', {
      name: this.alarmName(owner, 'depth'),
      description: `Messages in ${owner}: a failure path ended here. Inspect, fix, then replay with the DLQ tool.`,
      metric: MetricFactory.queueDepth(queue),
      threshold: 1,
    });
    const age = this.addAlarm(owner, 'Age', {
      name: this.alarmName(owner, 'age'),
      description: `Oldest message in ${owner} is older than ${maxMessageAge.toHumanString()}; it expires at 14 days.`,
      metric: MetricFactory.queueAge(queue),
      threshold: maxMessageAge.toSeconds(),
    });
    return { depth, age };
  }

  /** Alarm on a stream consumer's iterator age: the outbox is not being drained. */
  public watchStreamLag(fn: IFunction, owner: string, maxLag: Duration): Alarm {
    return this.addAlarm(owner, 'IteratorAge', {
      name: this.alarmName(owner, 'iterator-age'),
      description: `${owner} is more than ${maxLag.toHumanString()} behind its stream: events are not being published.`,
      metric: MetricFactory.streamIteratorAge(fn),
      threshold: maxLag.toMilliseconds(),
    });
  }

  /** Alarm on HTTP API 5xx responses (at least `serverErrorsPerMinute`), and a dashboard row for the API. */
  public watchHttpApi(api: IHttpApi, owner: string, serverErrorsPerMinute: number): Alarm {
    const alarm = this.addAlarm(owner, 'ServerErrors', {
      name: this.alarmName(owner, '5xx'),
      description: `${owner} answered at least ${serverErrorsPerMinute} 5xx responses in a minute.`,
      metric: MetricFactory.apiServerErrors(api),
      threshold: serverErrorsPerMinute,
    });
    this.addRow(`${owner} API`, [
      graph('Requests and errors', [
        MetricFactory.apiRequests(api),
        MetricFactory.apiClientErrors(api),
        MetricFactory.apiServerErrors(api),
      ]),
      graph('Latency p99 (ms)', [MetricFactory.apiLatencyP99(api)]),
    ]);
    return alarm;
  }

  /**
   * Alarms and a dashboard row for the circuit breakers of `service` (its `POWERTOOLS_SERVICE_NAME`), over every
   * circuit it has, from the metrics its breakers emit (`metricsListeners`).
   *
   * - not closed: the maximum of `CircuitNotClosed` ≥ 1 in a minute. The metric is only emitted at syncs and
   *   transitions, and an OPEN circuit does not sync until its cooldown ends, so missing data keeps the alarm's
   *   state: it stays in ALARM from the opening until a 0 arrives (the transition back to CLOSED emits one).
   * - store errors: `CircuitStoreErrors` in 2 of the last 3 minutes (one failed request is retried by the breaker;
   *   a state store that keeps failing leaves every container on its own local view).
   */
  public watchCircuitBreakers(service: string): CircuitBreakerAlarms {
    const owner = `${service}-breaker`;
    const notClosed = this.addAlarm(owner, 'NotClosed', {
      name: this.alarmName(owner, 'not-closed'),
      description:
        `A circuit breaker of ${service} is not CLOSED: calls to its dependency are refused or probed. Its ` +
        'breaker.* events on the bus say which circuit and why.',
      metric: MetricFactory.circuitsNotClosed(this.metricsNamespace, service),
      threshold: 1,
      treatMissingData: TreatMissingData.IGNORE,
    });
    const storeErrors = this.addAlarm(owner, 'StoreErrors', {
      name: this.alarmName(owner, 'store-errors'),
      description:
        `The circuit breakers of ${service} cannot reach their state table: each container decides alone ` +
        '(closed circuits keep calling, open ones stay open until their cooldown).',
      metric: MetricFactory.circuitStoreErrors(this.metricsNamespace, service),
      threshold: 1,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    this.addRow(
      `${owner}`,
      [
        graph('Circuits not closed / worst failure rate (%)', [
          MetricFactory.circuitsNotClosed(this.metricsNamespace, service),
          MetricFactory.circuitFailureRate(this.metricsNamespace, service),
        ]),
        graph('Rejected calls / store errors / Redis errors', [
          MetricFactory.circuitRejectedCalls(this.metricsNamespace, service),
          MetricFactory.circuitStoreErrors(this.metricsNamespace, service),
          MetricFactory.circuitSignalErrors(this.metricsNamespace, service),
        ]),
      ],
      [notClosed, storeErrors],
    );
    return { notClosed, storeErrors };
  }

  /**
   * Alarms and a dashboard row for the outbox sweeper (service `service`, its `POWERTOOLS_SERVICE_NAME`):
   * - stranded: a run found outbox items older than the grace period. The sweeper has published them (or will), but
   *   the stream publisher is failing: its DLQ, iterator age and errors say why.
   * - errors: a run failed as a whole (scan refused, setting missing): stranded events wait for a run that works.
   */
  public watchOutboxSweeper(
    fn: IFunction,
    owner: string,
    service: string,
    alarms: readonly Alarm[] = [],
  ): OutboxSweeperAlarms {
    const metric = (name: OutboxSweepMetricName) =>
      MetricFactory.outboxSweep(this.metricsNamespace, service, name);
    const stranded = this.addAlarm(owner, 'Stranded', {
      name: this.alarmName(owner, 'stranded'),
      description:
        `${owner} found outbox events the stream publisher did not publish within the grace period: the publisher ` +
        'is failing (see its failure DLQ, iterator age and errors). The sweeper publishes them meanwhile.',
      metric: metric(OutboxSweepMetrics.stranded),
      threshold: 1,
    });
    const errors = this.addAlarm(owner, 'Errors', {
      name: this.alarmName(owner, 'errors'),
      description: `${owner} failed a run: stranded outbox events are not being swept.`,
      metric: MetricFactory.functionErrors(fn),
      threshold: 1,
    });
    this.addRow(
      owner,
      [
        graph('Stranded / published / failed', [
          metric(OutboxSweepMetrics.stranded),
          metric(OutboxSweepMetrics.published),
          metric(OutboxSweepMetrics.failed),
        ]),
        ...functionGraphs(fn),
      ],
      [stranded, errors, ...alarms],
    );
    return { stranded, errors };
  }

  /** A dashboard row for a function that is not a queue consumer (API handler, stream publisher). */
  public watchFunction(fn: IFunction, owner: string, alarms: readonly Alarm[] = []): void {
    this.addRow(owner, [...functionGraphs(fn)], alarms);
  }

  /** A dashboard row for a queue consumer: its queue, its function and its alarms. */
  public watchConsumer(consumer: WatchedConsumer): void {
    this.addRow(
      consumer.name,
      [
        graph('Queue depth / oldest age (s)', [
          MetricFactory.queueDepth(consumer.queue),
          MetricFactory.queueAge(consumer.queue),
        ]),
        ...functionGraphs(consumer.function),
      ],
      consumer.alarms,
    );
  }

  private addRow(title: string, widgets: IWidget[], alarms: readonly Alarm[] = []): void {
    const status =
      alarms.length > 0
        ? [new AlarmStatusWidget({ title: `${title} alarms`, alarms: [...alarms], width: 6 })]
        : [];
    this.dashboard.addWidgets(...widgets, ...status);
  }

  /** Alarms are grouped under one construct per owner, so their logical ids read `<Owner><What>`. */
  private addAlarm(
    owner: string,
    id: string,
    spec: {
      name: string;
      description: string;
      metric: IMetric;
      threshold: number;
      /** Default 1. */
      evaluationPeriods?: number;
      /** Default: `evaluationPeriods`. */
      datapointsToAlarm?: number;
      /** Default NOT_BREACHING: no data means no messages / no traffic, i.e. healthy. */
      treatMissingData?: TreatMissingData;
    },
  ): Alarm {
    const ownerId = pascalCase(owner);
    const scope = (this.node.tryFindChild(ownerId) as Construct | undefined) ?? new Construct(this, ownerId);
    const alarm = new Alarm(scope, id, {
      alarmName: spec.name,
      alarmDescription: spec.description,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      ...(spec.datapointsToAlarm === undefined ? {} : { datapointsToAlarm: spec.datapointsToAlarm }),
      // No data means no messages / no traffic: healthy, not unknown (unless the spec says otherwise).
      treatMissingData: spec.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.alarmAction);
    alarm.addOkAction(this.alarmAction);
    this.allAlarms.push(alarm);
    return alarm;
  }
}

function graph(title: string, metrics: IMetric[]): GraphWidget {
  return new GraphWidget({ title, left: metrics, width: 6 });
}

function functionGraphs(fn: IFunction): GraphWidget[] {
  return [
    graph('Invocations / errors / throttles', [
      MetricFactory.functionInvocations(fn),
      MetricFactory.functionErrors(fn),
      MetricFactory.functionThrottles(fn),
    ]),
    graph('Duration p99 (ms)', [MetricFactory.functionDurationP99(fn)]),
  ];
}
