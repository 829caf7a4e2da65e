import { CloudWatchErrors } from './errors.js';
import { type MathNode, parseMath, referencedIds } from './expression-syntax.js';
import {
  INSIGHTS_STATISTIC,
  type InsightsQuery,
  isInsightsQuery,
  orderAndLimit,
  parseInsights,
  selectMetrics,
} from './insights.js';
import { evaluateMath, type MathSeries, type MathValue } from './math.js';
import { type MetricStore, periodStart } from './metric-store.js';
import type { Dimension } from './model.js';
import { isStatistic, type Statistic } from './statistics.js';

/** A MetricDataQuery as GetMetricData and PutMetricAlarm's `Metrics` take it (SDK shape). */
export interface MetricDataQuery {
  readonly Id: string;
  readonly MetricStat?: {
    readonly Metric: {
      readonly Namespace?: string;
      readonly MetricName?: string;
      readonly Dimensions?: readonly Dimension[];
    };
    readonly Period: number;
    readonly Stat: string;
    readonly Unit?: string;
  };
  readonly Expression?: string;
  readonly Label?: string;
  readonly ReturnData?: boolean;
  readonly Period?: number;
  readonly AccountId?: string;
}

/** One result series of a query (an Insights query with GROUP BY gives several under one id). */
export interface QueryResult {
  readonly id: string;
  readonly label: string;
  readonly returnData: boolean;
  readonly period: number;
  readonly series: MathSeries;
}

const ID = /^[a-z][a-zA-Z0-9_]*$/;

/** Checks a list of queries as GetMetricData and PutMetricAlarm do; returns their parsed expressions. */
export const validateQueries = (
  queries: readonly MetricDataQuery[],
  member = 'MetricDataQueries',
): Map<string, MathNode | InsightsQuery> => {
  if (queries.length === 0) throw CloudWatchErrors.missingParameter(`The parameter ${member} is required.`);
  if (queries.length > 500)
    throw CloudWatchErrors.invalidParameterValue(
      `The collection ${member} must not have a size greater than 500.`,
    );
  const ids = new Set<string>();
  const parsed = new Map<string, MathNode | InsightsQuery>();
  for (const [index, query] of queries.entries()) {
    const where = `${member}.member.${index + 1}`;
    if (typeof query.Id !== 'string' || !ID.test(query.Id))
      throw CloudWatchErrors.invalidParameterValue(
        `The value ${String(query.Id)} for parameter ${where}.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.`,
      );
    if (ids.has(query.Id))
      throw CloudWatchErrors.invalidParameterValue(
        `The value ${query.Id} for parameter ${member}.Id is duplicated.`,
      );
    ids.add(query.Id);
    const hasStat = query.MetricStat !== undefined;
    const hasExpression = query.Expression !== undefined;
    if (hasStat === hasExpression)
      throw CloudWatchErrors.invalidParameterCombination(
        `Exactly one element of the ${member} list must contain one of MetricStat or Expression.`,
      );
    if (query.MetricStat !== undefined) {
      const { Metric, Period, Stat } = query.MetricStat;
      if (Metric?.MetricName === undefined || Metric.Namespace === undefined)
        throw CloudWatchErrors.missingParameter(
          `The parameter ${where}.MetricStat.Metric.MetricName is required.`,
        );
      validatePeriod(Period, `${where}.MetricStat.Period`);
      if (!isStatistic(Stat))
        throw CloudWatchErrors.invalidParameterValue(
          `The value ${Stat} for parameter ${where}.MetricStat.Stat is not a valid statistic.`,
        );
    } else {
      const expression = query.Expression ?? '';
      if (query.Period !== undefined) validatePeriod(query.Period, `${where}.Period`);
      parsed.set(query.Id, isInsightsQuery(expression) ? parseInsights(expression) : parseMath(expression));
    }
  }
  for (const [id, node] of parsed) {
    if ('aggregate' in node) continue;
    for (const ref of referencedIds(node)) {
      if (!ids.has(ref))
        throw CloudWatchErrors.invalidParameterValue(
          `Error in expression '${id}': Unrecognized token ${ref}`,
        );
      if (ref === id)
        throw CloudWatchErrors.invalidParameterValue(`Error in expression '${id}': it refers to itself`);
    }
  }
  return parsed;
};

/** Periods are 1, 5, 10, 30 or a multiple of 60 seconds. */
export const validatePeriod = (period: unknown, member: string): void => {
  if (typeof period !== 'number' || !Number.isInteger(period) || period < 1)
    throw CloudWatchErrors.invalidParameterValue(`The parameter ${member} must be a positive integer.`);
  if (![1, 5, 10, 30].includes(period) && period % 60 !== 0)
    throw CloudWatchErrors.invalidParameterValue(
      `The parameter ${member} must be 1, 5, 10, 30, or a multiple of 60.`,
    );
};

/**
 * Runs GetMetricData's queries over [start, end): MetricStat queries from the store, expressions (metric math
 * and Metrics Insights) over the other queries' results. Every query is evaluated (ReturnData false included), in
 * dependency order.
 */
export const runQueries = (
  store: MetricStore,
  queries: readonly MetricDataQuery[],
  range: { readonly start: number; readonly end: number },
): QueryResult[] => {
  const parsed = validateQueries(queries);
  const byId = new Map(queries.map((query) => [query.Id, query]));
  const values = new Map<string, { value: MathValue; period: number }>();
  const visiting = new Set<string>();
  const periodOf = (query: MetricDataQuery): number => {
    if (query.MetricStat !== undefined) return query.MetricStat.Period;
    if (query.Period !== undefined) return query.Period;
    const node = parsed.get(query.Id);
    const refs = node === undefined || 'aggregate' in node ? [] : [...referencedIds(node)];
    const periods = refs
      .map((ref) => byId.get(ref))
      .filter((q) => q !== undefined)
      .map(periodOf);
    return periods.length > 0 ? Math.max(...periods) : 60;
  };
  const gridOf = (period: number): number[] => {
    const grid: number[] = [];
    for (let t = periodStart(range.start, period); t < range.end; t += period * 1000) grid.push(t);
    return grid;
  };
  const evaluate = (id: string): { value: MathValue; period: number } => {
    const known = values.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id))
      throw CloudWatchErrors.invalidParameterValue(`Error in expression '${id}': circular reference`);
    visiting.add(id);
    const query = byId.get(id) as MetricDataQuery;
    const period = periodOf(query);
    let value: MathValue;
    if (query.MetricStat !== undefined) {
      const { Metric, Stat, Unit } = query.MetricStat;
      const identity = {
        Namespace: Metric.Namespace ?? '',
        MetricName: Metric.MetricName ?? '',
        Dimensions: Metric.Dimensions ?? [],
      };
      const points = store.aggregate([identity], {
        ...range,
        period,
        statistic: Stat as Statistic,
        ...(Unit === undefined ? {} : { unit: Unit }),
      });
      value = { kind: 'series', series: { label: query.Label ?? identity.MetricName, points } };
    } else {
      const node = parsed.get(id) as MathNode | InsightsQuery;
      if ('aggregate' in node) {
        const groups = selectMetrics(
          node,
          store.list().map((entry) => entry.identity),
        );
        const series = groups.map(({ label, metrics }) => ({
          label: label === '' ? (query.Label ?? id) : label,
          points: store.aggregate(metrics, {
            ...range,
            period,
            statistic: INSIGHTS_STATISTIC[node.aggregate],
          }),
        }));
        const ordered = orderAndLimit(node, series);
        value =
          node.groupBy.length === 0
            ? { kind: 'series', series: ordered[0] ?? { label: query.Label ?? id, points: new Map() } }
            : { kind: 'array', items: ordered };
      } else {
        value = evaluateMath(node, {
          grid: gridOf(period),
          period,
          resolve: (ref) => evaluate(ref).value,
          metrics: () =>
            queries
              .filter((q) => q.MetricStat !== undefined)
              .map((q) => ({ id: q.Id, series: asSingle(evaluate(q.Id).value) })),
        });
        if (value.kind === 'scalar') {
          // A scalar result is drawn as a constant over the range, as CloudWatch graphs it.
          const constant = value.value;
          value = {
            kind: 'series',
            series: { label: id, points: new Map(gridOf(period).map((t) => [t, constant])) },
          };
        }
        if (value.kind === 'series' && query.Label !== undefined)
          value = { kind: 'series', series: { ...value.series, label: query.Label } };
      }
    }
    visiting.delete(id);
    const result = { value, period };
    values.set(id, result);
    return result;
  };
  const results: QueryResult[] = [];
  for (const query of queries) {
    const { value, period } = evaluate(query.Id);
    const returnData = query.ReturnData !== false;
    const items = value.kind === 'array' ? value.items : value.kind === 'series' ? [value.series] : [];
    for (const series of items) {
      const inRange = new Map(
        [...series.points].filter(
          ([t]) =>
            t >= periodStart(range.start, period) && t < range.end && Number.isFinite(series.points.get(t)),
        ),
      );
      results.push({
        id: query.Id,
        label: series.label,
        returnData,
        period,
        series: { label: series.label, points: inRange },
      });
    }
  }
  return results;
};

const asSingle = (value: MathValue): MathSeries => {
  if (value.kind === 'series') return value.series;
  return { label: '', points: new Map() };
};
