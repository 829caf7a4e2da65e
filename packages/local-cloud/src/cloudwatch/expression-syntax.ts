import { CloudWatchErrors } from './errors.js';

/**
 * The syntax of CloudWatch metric math (`m1 / m2 * 100`, `IF(m1 > 0, 1, 0)`, `FILL(m1, 0)`, `SUM([m1, m2])`,
 * `METRICS()`), parsed into a tree that `math.ts` evaluates. Metrics Insights queries (`SELECT ...`) have their own
 * grammar (insights.ts). See
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html.
 */
export type MathNode =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'id'; readonly name: string }
  | { readonly kind: 'keyword'; readonly name: 'REPEAT' | 'LINEAR' }
  | { readonly kind: 'array'; readonly items: readonly MathNode[] }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly MathNode[] }
  | { readonly kind: 'unary'; readonly op: '-' | '!'; readonly operand: MathNode }
  | { readonly kind: 'binary'; readonly op: string; readonly left: MathNode; readonly right: MathNode };

type Token =
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'word'; readonly value: string }
  | { readonly type: 'op'; readonly value: string };

const OPERATORS = [
  '&&',
  '||',
  '==',
  '!=',
  '=',
  '<=',
  '>=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '^',
  '(',
  ')',
  '[',
  ']',
  ',',
  '!',
];

/** Splits an expression into tokens (also used by the Metrics Insights parser). */
export const tokenize = (text: string): Token[] => {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at] ?? '';
    if (/\s/.test(char)) {
      at++;
      continue;
    }
    const number = /^(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(at));
    if (number !== null) {
      tokens.push({ type: 'number', value: Number(number[0]) });
      at += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(at));
    if (word !== null) {
      tokens.push({ type: 'word', value: word[0] });
      at += word[0].length;
      continue;
    }
    if (char === '"' || char === "'") {
      const end = text.indexOf(char, at + 1);
      if (end < 0) throw invalid(text, `unterminated string at ${at}`);
      tokens.push({ type: 'string', value: text.slice(at + 1, end) });
      at = end + 1;
      continue;
    }
    const op = OPERATORS.find((candidate) => text.startsWith(candidate, at));
    if (op === undefined) throw invalid(text, `unexpected character '${char}' at ${at}`);
    tokens.push({ type: 'op', value: op });
    at += op.length;
  }
  return tokens;
};

const invalid = (expression: string, detail: string) =>
  CloudWatchErrors.invalidParameterValue(`Invalid metric math expression "${expression}": ${detail}.`);

const PRECEDENCE: Readonly<Record<string, number>> = {
  '||': 1,
  OR: 1,
  '&&': 2,
  AND: 2,
  '==': 3,
  '!=': 3,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '^': 7,
};

/** Parses a metric math expression; throws `InvalidParameterValue` naming what is wrong. */
export const parseMath = (expression: string): MathNode => {
  const tokens = tokenize(expression);
  let at = 0;
  const peek = () => tokens[at];
  const next = () => {
    const token = tokens[at++];
    if (token === undefined) throw invalid(expression, 'unexpected end');
    return token;
  };
  const expect = (value: string) => {
    const token = next();
    if (token.value !== value) throw invalid(expression, `expected '${value}', found '${token.value}'`);
  };
  const list = (close: string): MathNode[] => {
    const items: MathNode[] = [];
    if (peek()?.value === close) {
      at++;
      return items;
    }
    for (;;) {
      items.push(parseBinary(0));
      const token = next();
      if (token.value === close) return items;
      if (token.value !== ',')
        throw invalid(expression, `expected ',' or '${close}', found '${token.value}'`);
    }
  };
  const parsePrimary = (): MathNode => {
    const token = next();
    if (token.type === 'number') return { kind: 'number', value: token.value };
    if (token.type === 'string') return { kind: 'string', value: token.value };
    if (token.type === 'op') {
      if (token.value === '(') {
        const inner = parseBinary(0);
        expect(')');
        return inner;
      }
      if (token.value === '[') return { kind: 'array', items: list(']') };
      if (token.value === '-' || token.value === '!')
        return { kind: 'unary', op: token.value, operand: parsePrimary() };
      throw invalid(expression, `unexpected '${token.value}'`);
    }
    const upper = token.value.toUpperCase();
    if (peek()?.value === '(') {
      at++;
      return { kind: 'call', name: upper, args: list(')') };
    }
    if (upper === 'REPEAT' || upper === 'LINEAR') return { kind: 'keyword', name: upper };
    if (upper === 'NOT') return { kind: 'unary', op: '!', operand: parsePrimary() };
    return { kind: 'id', name: token.value };
  };
  const parseBinary = (minimum: number): MathNode => {
    let left = parsePrimary();
    for (;;) {
      const token = peek();
      const op =
        token === undefined ? undefined : token.type === 'word' ? token.value.toUpperCase() : token.value;
      const precedence = op === undefined ? undefined : PRECEDENCE[op];
      if (precedence === undefined || precedence < minimum) break;
      at++;
      // `^` is right-associative; every other operator left-associative.
      const right = parseBinary(op === '^' ? precedence : precedence + 1);
      const normalized = op === 'AND' ? '&&' : op === 'OR' ? '||' : (op as string);
      left = { kind: 'binary', op: normalized, left, right };
    }
    return left;
  };
  const tree = parseBinary(0);
  if (at < tokens.length) throw invalid(expression, `unexpected '${tokens[at]?.value}'`);
  return tree;
};

/** The ids an expression refers to (to order queries and to check they exist). */
export const referencedIds = (node: MathNode): Set<string> => {
  const ids = new Set<string>();
  const walk = (current: MathNode) => {
    if (current.kind === 'id') ids.add(current.name);
    else if (current.kind === 'array') current.items.forEach(walk);
    else if (current.kind === 'call') current.args.forEach(walk);
    else if (current.kind === 'unary') walk(current.operand);
    else if (current.kind === 'binary') {
      walk(current.left);
      walk(current.right);
    }
  };
  walk(node);
  return ids;
};
