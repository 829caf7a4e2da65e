import { CloudWatchErrors } from './errors.js';
import { tokenize } from './expression-syntax.js';
import type { MathSeries } from './math.js';
import type { MetricIdentity } from './model.js';
import type { Statistic } from './statistics.js';

/**
 * CloudWatch Metrics Insights queries, as alarms and GetMetricData run them:
 * `SELECT FUNC(metric) FROM SCHEMA("namespace", dim1, dim2) | "namespace" [WHERE ...] [GROUP BY ...]
 * [ORDER BY FUNC() [ASC|DESC]] [LIMIT n]` with `AVG`, `COUNT`, `MAX`, `MIN`, `SUM`; WHERE takes `=`, `!=`, `IN`,
 * `NOT IN`, `AND`, `OR` and parentheses. `SCHEMA("ns", a, b)` matches the metrics whose dimensions are exactly
 * `a` and `b`; a bare namespace matches every metric of it. Without GROUP BY the result is one series (the metrics'
 * samples pooled); with it, one per group. See
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-querylanguage.html.
 */
export interface InsightsQuery {
  readonly aggregate: 'AVG' | 'COUNT' | 'MAX' | 'MIN' | 'SUM';
  readonly metricName: string;
  readonly namespace: string;
  /** The exact dimension set of SCHEMA(...), or undefined for a bare namespace. */
  readonly schema: readonly string[] | undefined;
  readonly where: Condition | undefined;
  readonly groupBy: readonly string[];
  readonly order: 'ASC' | 'DESC' | undefined;
  readonly limit: number | undefined;
}

type Condition =
  | {
      readonly kind: 'compare';
      readonly key: string;
      readonly negate: boolean;
      readonly values: readonly string[];
    }
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition };

const AGGREGATES = new Set(['AVG', 'COUNT', 'MAX', 'MIN', 'SUM']);

/** The statistic each aggregate computes over the pooled samples. */
export const INSIGHTS_STATISTIC: Readonly<Record<InsightsQuery['aggregate'], Statistic>> = {
  AVG: 'Average',
  COUNT: 'SampleCount',
  MAX: 'Maximum',
  MIN: 'Minimum',
  SUM: 'Sum',
};

/** Whether an expression is a Metrics Insights query rather than metric math. */
export const isInsightsQuery = (expression: string): boolean => /^\s*SELECT\s/i.test(expression);

const invalid = (query: string, detail: string) =>
  CloudWatchErrors.invalidParameterValue(`Invalid Metrics Insights query "${query}": ${detail}.`);

/** Parses a Metrics Insights query; throws `InvalidParameterValue` naming what is wrong. */
export const parseInsights = (query: string): InsightsQuery => {
  const tokens = tokenize(query);
  let at = 0;
  const peekWord = () => {
    const token = tokens[at];
    return token?.type === 'word' ? token.value.toUpperCase() : undefined;
  };
  const next = () => {
    const token = tokens[at++];
    if (token === undefined) throw invalid(query, 'unexpected end');
    return token;
  };
  const keyword = (word: string) => {
    const token = next();
    if (token.type !== 'word' || token.value.toUpperCase() !== word)
      throw invalid(query, `expected ${word}, found '${String(token.value)}'`);
  };
  const symbol = (value: string) => {
    const token = next();
    if (token.value !== value) throw invalid(query, `expected '${value}', found '${String(token.value)}'`);
  };
  const name = (): string => {
    const token = next();
    if (token.type === 'word' || token.type === 'string') return token.value;
    throw invalid(query, `expected a name, found '${String(token.value)}'`);
  };
  keyword('SELECT');
  const aggregate = name().toUpperCase();
  if (!AGGREGATES.has(aggregate)) throw invalid(query, `unknown function ${aggregate}`);
  symbol('(');
  const metricName = name();
  symbol(')');
  keyword('FROM');
  let namespace: string;
  let schema: string[] | undefined;
  if (peekWord() === 'SCHEMA') {
    at++;
    symbol('(');
    namespace = name();
    schema = [];
    while (tokens[at]?.value === ',') {
      at++;
      schema.push(name());
    }
    symbol(')');
  } else {
    namespace = name();
  }
  let where: Condition | undefined;
  if (peekWord() === 'WHERE') {
    at++;
    const parseOr = (): Condition => {
      let left = parseAnd();
      while (peekWord() === 'OR') {
        at++;
        left = { kind: 'or', left, right: parseAnd() };
      }
      return left;
    };
    const parseAnd = (): Condition => {
      let left = parseAtom();
      while (peekWord() === 'AND') {
        at++;
        left = { kind: 'and', left, right: parseAtom() };
      }
      return left;
    };
    const parseAtom = (): Condition => {
      if (tokens[at]?.value === '(') {
        at++;
        const inner = parseOr();
        symbol(')');
        return inner;
      }
      const key = name();
      const op = next();
      if (op.value === '=' || op.value === '==')
        return { kind: 'compare', key, negate: false, values: [name()] };
      if (op.value === '!=') return { kind: 'compare', key, negate: true, values: [name()] };
      let negate = false;
      if (op.type === 'word' && op.value.toUpperCase() === 'NOT') {
        negate = true;
        keyword('IN');
      } else if (!(op.type === 'word' && op.value.toUpperCase() === 'IN')) {
        throw invalid(query, `unsupported operator '${String(op.value)}'`);
      }
      symbol('(');
      const values = [name()];
      while (tokens[at]?.value === ',') {
        at++;
        values.push(name());
      }
      symbol(')');
      return { kind: 'compare', key, negate, values };
    };
    where = parseOr();
  }
  const groupBy: string[] = [];
  if (peekWord() === 'GROUP') {
    at++;
    keyword('BY');
    groupBy.push(name());
    while (tokens[at]?.value === ',') {
      at++;
      groupBy.push(name());
    }
  }
  let order: 'ASC' | 'DESC' | undefined;
  if (peekWord() === 'ORDER') {
    at++;
    keyword('BY');
    name();
    symbol('(');
    symbol(')');
    order = peekWord() === 'ASC' ? 'ASC' : 'DESC';
    if (peekWord() === 'ASC' || peekWord() === 'DESC') at++;
  }
  let limit: number | undefined;
  if (peekWord() === 'LIMIT') {
    at++;
    const token = next();
    if (token.type !== 'number' || !Number.isInteger(token.value) || token.value < 1)
      throw invalid(query, 'LIMIT takes a positive integer');
    limit = token.value;
  }
  if (at < tokens.length) throw invalid(query, `unexpected '${String(tokens[at]?.value)}'`);
  return {
    aggregate: aggregate as InsightsQuery['aggregate'],
    metricName,
    namespace,
    schema,
    where,
    groupBy,
    order,
    limit,
  };
};

const dimensionValue = (metric: MetricIdentity, key: string): string | undefined =>
  metric.Dimensions.find((dimension) => dimension.Name === key)?.Value;

const holds = (condition: Condition, metric: MetricIdentity): boolean => {
  if (condition.kind !== 'compare')
    return condition.kind === 'and'
      ? holds(condition.left, metric) && holds(condition.right, metric)
      : holds(condition.left, metric) || holds(condition.right, metric);
  const value = dimensionValue(metric, condition.key);
  const found = value !== undefined && condition.values.includes(value);
  return condition.negate ? !found : found;
};

/** The metrics a query reads, grouped as its GROUP BY says (one group, labelled by the query, without). */
export const selectMetrics = (
  query: InsightsQuery,
  metrics: readonly MetricIdentity[],
): { label: string; metrics: MetricIdentity[] }[] => {
  const matching = metrics.filter((metric) => {
    if (metric.Namespace !== query.namespace || metric.MetricName !== query.metricName) return false;
    if (query.schema !== undefined) {
      const names = metric.Dimensions.map((dimension) => dimension.Name).sort();
      const wanted = [...query.schema].sort();
      if (names.length !== wanted.length || names.some((n, i) => n !== wanted[i])) return false;
    }
    return query.where === undefined || holds(query.where, metric);
  });
  if (query.groupBy.length === 0) return matching.length === 0 ? [] : [{ label: '', metrics: matching }];
  const groups = new Map<string, MetricIdentity[]>();
  for (const metric of matching) {
    const values = query.groupBy.map((key) => dimensionValue(metric, key));
    // A metric without a GROUP BY dimension falls in the "Other" group, as on AWS.
    const label = values.some((value) => value === undefined) ? 'Other' : values.join(' ');
    const group = groups.get(label);
    if (group === undefined) groups.set(label, [metric]);
    else group.push(metric);
  }
  return [...groups].map(([label, grouped]) => ({ label, metrics: grouped }));
};

/** Orders and limits grouped series as ORDER BY / LIMIT say (by the aggregate over the whole range). */
export const orderAndLimit = (query: InsightsQuery, series: MathSeries[]): MathSeries[] => {
  if (query.order === undefined && query.limit === undefined) return series;
  const rank = (s: MathSeries) => {
    const values = [...s.points.values()];
    if (values.length === 0) return Number.NEGATIVE_INFINITY;
    switch (query.aggregate) {
      case 'MAX':
        return Math.max(...values);
      case 'MIN':
        return Math.min(...values);
      case 'AVG':
        return values.reduce((a, b) => a + b, 0) / values.length;
      default:
        return values.reduce((a, b) => a + b, 0);
    }
  };
  const sorted = [...series].sort((a, b) => (query.order === 'ASC' ? rank(a) - rank(b) : rank(b) - rank(a)));
  return query.limit === undefined ? sorted : sorted.slice(0, query.limit);
};
