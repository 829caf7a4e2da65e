import { CloudWatchErrors } from './errors.js';
import type { MathNode } from './expression-syntax.js';

/** A time series under evaluation: values by period start (epoch ms). */
export interface MathSeries {
  readonly label: string;
  readonly points: ReadonlyMap<number, number>;
}

/** What an expression evaluates to. */
export type MathValue =
  | { readonly kind: 'scalar'; readonly value: number }
  | { readonly kind: 'series'; readonly series: MathSeries }
  | { readonly kind: 'array'; readonly items: readonly MathSeries[] };

/** What evaluation needs from the query around it. */
export interface MathContext {
  /** The period starts of the requested range, oldest first (FILL and TIME_SERIES fill these). */
  readonly grid: readonly number[];
  /** The period of the expression, in seconds. */
  readonly period: number;
  /** The value of another query of the request, by id. */
  resolve(id: string): MathValue;
  /** Every MetricStat query's series (METRICS()). */
  metrics(): readonly { readonly id: string; readonly series: MathSeries }[];
}

const fail = (message: string) => CloudWatchErrors.invalidParameterValue(message);

const series = (label: string, points: Map<number, number>): MathValue => ({
  kind: 'series',
  series: { label, points },
});

const mapSeries = (
  value: MathSeries,
  fn: (v: number, t: number) => number | undefined,
): Map<number, number> => {
  const points = new Map<number, number>();
  for (const [t, v] of value.points) {
    const result = fn(v, t);
    if (result !== undefined && !Number.isNaN(result)) points.set(t, result);
  }
  return points;
};

const apply = (op: string, a: number, b: number): number => {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    // CloudWatch returns no datapoint for a division by zero (NaN is dropped below).
    case '/':
      return b === 0 ? Number.NaN : a / b;
    case '^':
      return a ** b;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case '<':
      return a < b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case '&&':
      return a !== 0 && b !== 0 ? 1 : 0;
    case '||':
      return a !== 0 || b !== 0 ? 1 : 0;
    default:
      throw fail(`Unsupported operator ${op}`);
  }
};

/** A binary operation: scalars broadcast; two series combine where both have a datapoint. */
const binary = (op: string, left: MathValue, right: MathValue): MathValue => {
  if (left.kind === 'array')
    return {
      kind: 'array',
      items: left.items.map((item) => asSeries(binary(op, { kind: 'series', series: item }, right))),
    };
  if (right.kind === 'array')
    return {
      kind: 'array',
      items: right.items.map((item) => asSeries(binary(op, left, { kind: 'series', series: item }))),
    };
  if (left.kind === 'scalar' && right.kind === 'scalar')
    return { kind: 'scalar', value: apply(op, left.value, right.value) };
  if (left.kind === 'series' && right.kind === 'scalar')
    return series(
      left.series.label,
      mapSeries(left.series, (v) => apply(op, v, right.value)),
    );
  if (left.kind === 'scalar' && right.kind === 'series')
    return series(
      right.series.label,
      mapSeries(right.series, (v) => apply(op, left.value, v)),
    );
  const l = (left as { series: MathSeries }).series;
  const r = (right as { series: MathSeries }).series;
  return series(
    l.label,
    mapSeries(l, (v, t) => (r.points.has(t) ? apply(op, v, r.points.get(t) as number) : undefined)),
  );
};

const asSeries = (value: MathValue): MathSeries => {
  if (value.kind === 'series') return value.series;
  throw fail('Expected a time series');
};

const aggregateValues = (name: string, values: readonly number[]): number | undefined => {
  if (values.length === 0) return undefined;
  switch (name) {
    case 'SUM':
      return values.reduce((a, b) => a + b, 0);
    case 'AVG':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'MIN':
      return Math.min(...values);
    case 'MAX':
      return Math.max(...values);
    case 'STDDEV': {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    }
    default:
      return undefined;
  }
};

const ELEMENTWISE: Readonly<Record<string, (v: number) => number>> = {
  ABS: Math.abs,
  CEIL: Math.ceil,
  FLOOR: Math.floor,
  LOG: Math.log,
  LOG10: Math.log10,
  SQRT: Math.sqrt,
};

/** Evaluates a parsed metric math expression. Unknown functions and ids are `InvalidParameterValue`. */
export const evaluateMath = (node: MathNode, context: MathContext): MathValue => {
  const evaluate = (current: MathNode): MathValue => evaluateMath(current, context);
  switch (node.kind) {
    case 'number':
      return { kind: 'scalar', value: node.value };
    case 'string':
    case 'keyword':
      throw fail(
        `Unexpected ${node.kind === 'string' ? `"${node.value}"` : node.name} in a metric math expression`,
      );
    case 'id':
      return context.resolve(node.name);
    case 'array': {
      const items: MathSeries[] = [];
      for (const item of node.items) {
        const value = evaluate(item);
        if (value.kind === 'array') items.push(...value.items);
        else items.push(asSeries(value));
      }
      return { kind: 'array', items };
    }
    case 'unary': {
      const operand = evaluate(node.operand);
      return node.op === '-'
        ? binary('*', operand, { kind: 'scalar', value: -1 })
        : binary('==', operand, { kind: 'scalar', value: 0 });
    }
    case 'binary':
      return binary(node.op, evaluate(node.left), evaluate(node.right));
    case 'call':
      return call(node.name, node.args, context, evaluate);
  }
};

const call = (
  name: string,
  args: readonly MathNode[],
  context: MathContext,
  evaluate: (node: MathNode) => MathValue,
): MathValue => {
  const elementwise = ELEMENTWISE[name];
  if (elementwise !== undefined) {
    const value = evaluate(argument(args, 0, name));
    if (value.kind === 'scalar') return { kind: 'scalar', value: elementwise(value.value) };
    if (value.kind === 'array')
      return {
        kind: 'array',
        items: value.items.map((item) => ({ label: item.label, points: mapSeries(item, elementwise) })),
      };
    return series(value.series.label, mapSeries(value.series, elementwise));
  }
  switch (name) {
    case 'SUM':
    case 'AVG':
    case 'MIN':
    case 'MAX':
    case 'STDDEV': {
      const value = evaluate(argument(args, 0, name));
      if (value.kind === 'scalar') return value;
      if (value.kind === 'series') {
        // One series: a scalar over its datapoints.
        const result = aggregateValues(name, [...value.series.points.values()]);
        return { kind: 'scalar', value: result ?? Number.NaN };
      }
      // An array: one series, the aggregate at each timestamp over the series that have a datapoint there.
      const timestamps = new Set<number>();
      for (const item of value.items) for (const t of item.points.keys()) timestamps.add(t);
      const points = new Map<number, number>();
      for (const t of [...timestamps].sort((a, b) => a - b)) {
        const values = value.items.flatMap((item) =>
          item.points.has(t) ? [item.points.get(t) as number] : [],
        );
        const result = aggregateValues(name, values);
        if (result !== undefined) points.set(t, result);
      }
      return series(name, points);
    }
    case 'METRICS': {
      const filter = args[0]?.kind === 'string' ? args[0].value : undefined;
      const items = context
        .metrics()
        .filter(({ series: s }) => filter === undefined || s.label.includes(filter))
        .map(({ series: s }) => s);
      return { kind: 'array', items };
    }
    case 'FILL':
      return fill(evaluate(argument(args, 0, name)), argument(args, 1, name), context, evaluate);
    case 'IF':
      return conditional(args, evaluate);
    case 'DIFF':
    case 'RATE':
      return perSeries(evaluate(argument(args, 0, name)), (s) => {
        const points = new Map<number, number>();
        let previous: [number, number] | undefined;
        for (const [t, v] of [...s.points].sort((a, b) => a[0] - b[0])) {
          if (previous !== undefined) {
            const diff = v - previous[1];
            points.set(t, name === 'DIFF' ? diff : diff / ((t - previous[0]) / 1000));
          }
          previous = [t, v];
        }
        return points;
      });
    case 'RUNNING_SUM':
      return perSeries(evaluate(argument(args, 0, name)), (s) => {
        let total = 0;
        const points = new Map<number, number>();
        for (const [t, v] of [...s.points].sort((a, b) => a[0] - b[0])) {
          total += v;
          points.set(t, total);
        }
        return points;
      });
    case 'PERIOD':
      return { kind: 'scalar', value: context.period };
    case 'TIME_SERIES': {
      const value = evaluate(argument(args, 0, name));
      if (value.kind !== 'scalar') throw fail('TIME_SERIES takes a scalar');
      return series('TIME_SERIES', new Map(context.grid.map((t) => [t, value.value])));
    }
    default:
      throw fail(`Unsupported function ${name} in a metric math expression`);
  }
};

const argument = (args: readonly MathNode[], index: number, name: string): MathNode => {
  const arg = args[index];
  if (arg === undefined) throw fail(`${name} needs argument ${index + 1}`);
  return arg;
};

const perSeries = (value: MathValue, fn: (s: MathSeries) => Map<number, number>): MathValue => {
  if (value.kind === 'scalar') throw fail('Expected a time series');
  if (value.kind === 'array')
    return { kind: 'array', items: value.items.map((item) => ({ label: item.label, points: fn(item) })) };
  return series(value.series.label, fn(value.series));
};

/** FILL(series, value | REPEAT | LINEAR): every period of the range gets a datapoint. */
const fill = (
  target: MathValue,
  how: MathNode,
  context: MathContext,
  evaluate: (node: MathNode) => MathValue,
): MathValue => {
  const filler = how.kind === 'keyword' ? how.name : evaluate(how);
  return perSeries(target, (s) => {
    const points = new Map<number, number>();
    const known = [...s.points].sort((a, b) => a[0] - b[0]);
    let last: number | undefined;
    for (const t of context.grid) {
      const value = s.points.get(t);
      if (value !== undefined) {
        points.set(t, value);
        last = value;
        continue;
      }
      if (filler === 'REPEAT') {
        if (last !== undefined) points.set(t, last);
      } else if (filler === 'LINEAR') {
        const before = known.filter(([at]) => at < t).at(-1);
        const after = known.find(([at]) => at > t);
        if (before !== undefined && after !== undefined)
          points.set(t, before[1] + ((after[1] - before[1]) * (t - before[0])) / (after[0] - before[0]));
      } else if (filler.kind === 'scalar') {
        points.set(t, filler.value);
      } else if (filler.kind === 'series' && filler.series.points.has(t)) {
        points.set(t, filler.series.points.get(t) as number);
      }
    }
    return points;
  });
};

/** IF(condition, whenTrue[, whenFalse]): per datapoint of the condition; no whenFalse → no datapoint. */
const conditional = (args: readonly MathNode[], evaluate: (node: MathNode) => MathValue): MathValue => {
  const condition = evaluate(argument(args, 0, 'IF'));
  const whenTrue = evaluate(argument(args, 1, 'IF'));
  const whenFalse = args[2] === undefined ? undefined : evaluate(args[2]);
  const valueAt = (value: MathValue | undefined, t: number): number | undefined => {
    if (value === undefined) return undefined;
    if (value.kind === 'scalar') return value.value;
    if (value.kind === 'series') return value.series.points.get(t);
    throw fail('IF takes a series or a scalar');
  };
  if (condition.kind === 'scalar')
    return condition.value !== 0 ? whenTrue : (whenFalse ?? { kind: 'scalar', value: Number.NaN });
  const cond = asSeries(condition);
  const points = new Map<number, number>();
  for (const [t, v] of cond.points) {
    const result = v !== 0 ? valueAt(whenTrue, t) : valueAt(whenFalse, t);
    if (result !== undefined) points.set(t, result);
  }
  return series(cond.label, points);
};
