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
import type { StageConfig } from '../../config';
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
  private readonly allAlarms: Alarm[] = [];

  public constructor(scope: Construct, id: string, props: OperationsMonitoringProps) {
    super(scope, id);
    this.prefix = props.config.prefix;
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
    spec: { name: string; description: string; metric: IMetric; threshold: number },
  ): Alarm {
    const ownerId = pascalCase(owner);
    const scope = (this.node.tryFindChild(ownerId) as Construct | undefined) ?? new Construct(this, ownerId);
    const alarm = new Alarm(scope, id, {
      alarmName: spec.name,
      alarmDescription: spec.description,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // No data means no messages / no traffic: healthy, not unknown.
      treatMissingData: TreatMissingData.NOT_BREACHING,
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
