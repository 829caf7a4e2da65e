import { LogsErrors } from './errors.js';

/**
 * CloudWatch Logs filter patterns, for FilterLogEvents: terms (every one must appear, case-sensitive), `"quoted
 * phrases"`, `?term` (any of the ?-terms), `-term` (must not appear), and JSON patterns
 * `{ $.level = "ERROR" && $.duration > 100 }` with `=`, `!=`, `<`, `<=`, `>`, `>=`, `*` wildcards in strings,
 * `&&`, `||`, parentheses. See https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html.
 */
export type LogMatcher = (message: string) => boolean;

export const compileFilterPattern = (pattern: string | undefined): LogMatcher => {
  const text = (pattern ?? '').trim();
  if (text === '') return () => true;
  if (text.startsWith('{')) return compileJsonPattern(text);
  const terms = [...text.matchAll(/([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g)].map((match) => ({
    prefix: match[1] ?? '',
    term: (match[2] ?? match[3] ?? '').replace(/\\"/g, '"'),
  }));
  const required = terms.filter((t) => t.prefix === '').map((t) => t.term);
  const optional = terms.filter((t) => t.prefix === '?').map((t) => t.term);
  const excluded = terms.filter((t) => t.prefix === '-').map((t) => t.term);
  return (message) =>
    required.every((term) => message.includes(term)) &&
    (optional.length === 0 || optional.some((term) => message.includes(term))) &&
    excluded.every((term) => !message.includes(term));
};

type Json = unknown;

const select = (value: Json, path: string): Json => {
  let current: Json = value;
  for (const part of path
    .replace(/^\$\.?/, '')
    .split(/\.|\[(\d+)\]/)
    .filter((p) => p !== undefined && p !== '')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, Json>)[part];
  }
  return current;
};

const compileJsonPattern = (text: string): LogMatcher => {
  const body = text.replace(/^\{/, '').replace(/\}$/, '');
  const tokens =
    body.match(/\$[\w.[\]]+|"(?:[^"\\]|\\.)*"|&&|\|\||!=|<=|>=|=|<|>|\(|\)|[^\s()"=<>!&|]+/g) ?? [];
  let at = 0;
  const invalid = () => LogsErrors.invalidParameter(`Invalid filter pattern: ${text}`);
  type Node = (value: Json) => boolean;
  const parseOr = (): Node => {
    let left = parseAnd();
    while (tokens[at] === '||') {
      at++;
      const right = parseAnd();
      const l = left;
      left = (v) => l(v) || right(v);
    }
    return left;
  };
  const parseAnd = (): Node => {
    let left = parseAtom();
    while (tokens[at] === '&&') {
      at++;
      const right = parseAtom();
      const l = left;
      left = (v) => l(v) && right(v);
    }
    return left;
  };
  const parseAtom = (): Node => {
    if (tokens[at] === '(') {
      at++;
      const inner = parseOr();
      if (tokens[at++] !== ')') throw invalid();
      return inner;
    }
    const path = tokens[at++];
    const op = tokens[at++];
    const raw = tokens[at++];
    if (path === undefined || !path.startsWith('$') || op === undefined || raw === undefined) throw invalid();
    const quoted = raw.startsWith('"');
    const literal = quoted ? raw.slice(1, -1) : raw;
    const number = Number(literal);
    return (value) => {
      const selected = select(value, path);
      if (!quoted && literal.toUpperCase() === 'NULL')
        return op === '=' ? selected === null : selected !== null;
      if (['<', '<=', '>', '>='].includes(op)) {
        if (typeof selected !== 'number' || !Number.isFinite(number)) return false;
        return op === '<'
          ? selected < number
          : op === '<='
            ? selected <= number
            : op === '>'
              ? selected > number
              : selected >= number;
      }
      let equal: boolean;
      if (!quoted && Number.isFinite(number) && typeof selected === 'number') equal = selected === number;
      else if (selected === undefined || selected === null || typeof selected === 'object') equal = false;
      else {
        const regex = new RegExp(
          `^${literal
            .split('*')
            .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`,
        );
        equal = regex.test(String(selected));
      }
      if (op === '=') return equal;
      if (op === '!=') return !equal && selected !== undefined;
      throw invalid();
    };
  };
  const node = parseOr();
  if (at < tokens.length) throw invalid();
  return (message) => {
    const start = message.indexOf('{');
    if (start < 0) return false;
    try {
      return node(JSON.parse(message.slice(start)) as Json);
    } catch {
      return false;
    }
  };
};
