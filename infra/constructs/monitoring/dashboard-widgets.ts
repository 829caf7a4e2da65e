import {
  type Alarm,
  AlarmStatusWidget,
  GraphWidget,
  type IMetric,
  type IWidget,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Severity } from './alarm-topics';
import { MetricFactory } from './metrics';

/** Width of a graph: four to a dashboard row (24 columns). */
const GRAPH_WIDTH = 6;

/** The header of a service's section: its name, what it does, and how many of its alarms page. */
export function header(
  title: string,
  description: string,
  alarms: readonly Alarm[],
  severityOf: (alarm: Alarm) => Severity | undefined,
): TextWidget {
  const pages = alarms.filter((a) => severityOf(a) === 'page').length;
  const notices = alarms.length - pages;
  const summary = alarms.length === 0 ? 'no alarms' : `${pages} paging alarm(s), ${notices} notice(s)`;
  return new TextWidget({
    markdown: `## ${title}\n${description} — ${summary}.`,
    width: 24,
    height: 2,
  });
}

/** A graph whose title names what it shows; every series carries its own label (function or queue). */
export function graph(title: string, metrics: IMetric[]): GraphWidget {
  return new GraphWidget({ title, left: metrics, width: GRAPH_WIDTH });
}

/** The alarms of a section, as one status widget (none when it has no alarm). */
export function alarmStatus(title: string, alarms: readonly Alarm[]): IWidget[] {
  return alarms.length > 0
    ? [new AlarmStatusWidget({ title: `${title}: alarms`, alarms: [...alarms], width: GRAPH_WIDTH })]
    : [];
}

/** Invocations, errors, throttles and p99 duration of a function, titled and labelled with `label`. */
export function functionGraphs(fn: IFunction, label: string): GraphWidget[] {
  return [
    graph(`${label}: invocations / errors / throttles`, [
      MetricFactory.functionInvocations(fn, label),
      MetricFactory.functionErrors(fn, label),
      MetricFactory.functionThrottles(fn, label),
    ]),
    graph(`${label}: duration p99 (ms)`, [MetricFactory.functionDurationP99(fn, label)]),
  ];
}
