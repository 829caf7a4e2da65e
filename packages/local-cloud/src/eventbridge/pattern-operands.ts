import { OperandError } from './pattern-error.js';

/** A compiled test on one string value. */
export type StringTest = (value: string) => boolean;

/**
 * Compiles an EventBridge wildcard: `*` matches any run of characters (including none), `\*` is a literal asterisk,
 * `\\` a literal backslash; any other escape and two consecutive `*` are invalid, as in AWS. Error positions count
 * the opening quote that Event Ruler puts before the value.
 *
 * Matching splits the pattern at each `*` and finds the literal parts left to right (greedy leftmost is exact for
 * `*`-only globs), so a hostile pattern costs O(value × pattern), never the exponential backtracking of a RegExp.
 */
export const compileWildcard = (pattern: string): StringTest => {
  const parts: string[] = [];
  let current = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index];
    if (char === '*') {
      if (pattern[index + 1] === '*')
        throw new OperandError(`Consecutive wildcard characters at pos ${index + 1}`);
      parts.push(current);
      current = '';
    } else if (char === '\\') {
      const next = pattern[index + 1];
      if (next !== '*' && next !== '\\')
        throw new OperandError(`Invalid escape character at pos ${index + 1}`);
      current += next;
      index += 1;
    } else {
      current += char;
    }
  }
  parts.push(current);
  if (parts.length === 1) {
    const literal = parts[0] ?? '';
    return (value) => value === literal;
  }
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  const middle = parts.slice(1, -1).filter((part) => part !== '');
  return (value) => {
    if (value.length < first.length + last.length) return false;
    if (!value.startsWith(first) || !value.endsWith(last)) return false;
    const end = value.length - last.length;
    let position = first.length;
    for (const part of middle) {
      const found = value.indexOf(part, position);
      if (found === -1 || found + part.length > end) return false;
      position = found + part.length;
    }
    return true;
  };
};

/** An IP address as an unsigned integer of its family's width. */
interface IpAddress {
  readonly version: 4 | 6;
  readonly value: bigint;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

const parseIpv4 = (text: string): bigint | undefined => {
  const match = IPV4.exec(text);
  if (match === null) return undefined;
  let value = 0n;
  for (const octet of match.slice(1)) {
    const byte = Number(octet);
    if (byte > 255) return undefined;
    value = (value << 8n) | BigInt(byte);
  }
  return value;
};

const parseIpv6Groups = (text: string): bigint[] | undefined => {
  if (text === '') return [];
  const groups: bigint[] = [];
  const pieces = text.split(':');
  for (const [index, piece] of pieces.entries()) {
    if (index === pieces.length - 1 && piece.includes('.')) {
      const v4 = parseIpv4(piece);
      if (v4 === undefined) return undefined;
      groups.push(v4 >> 16n, v4 & 0xffffn);
    } else if (HEX_GROUP.test(piece)) {
      groups.push(BigInt(`0x${piece}`));
    } else {
      return undefined;
    }
  }
  return groups;
};

const parseIpv6 = (text: string): bigint | undefined => {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseIpv6Groups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseIpv6Groups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<bigint>(missing).fill(0n), ...tail];
  return groups.reduce((value, group) => (value << 16n) | group, 0n);
};

/** Event Ruler's test for text that may be an IP address literal (`d.d.d.d`, or hex digits and colons). */
export const looksLikeIpAddress = (text: string): boolean =>
  /^(\d+\.\d+\.\d+\.\d+|[0-9a-fA-F:]*:[0-9a-fA-F:]*)$/.test(text);

const V4_MAPPED_PREFIX = 0xffffn << 32n;

/**
 * Parses an IPv4 or IPv6 literal (IPv6 with `::` compression and a dotted IPv4 tail). An IPv4-mapped IPv6 address
 * (`::ffff:a.b.c.d`) counts as the IPv4 address, as the JVM that EventBridge's matcher runs on treats it.
 */
export const parseIpAddress = (text: string): IpAddress | undefined => {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { version: 4, value: v4 };
  if (!text.includes(':')) return undefined;
  const v6 = parseIpv6(text);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { version: 4, value: v6 - V4_MAPPED_PREFIX };
  return { version: 6, value: v6 };
};

/** Compiles a `cidr` operand (`10.0.0.0/24`, `2001:db8::/32`) into a test on IP address strings. */
export const compileCidr = (cidr: string): StringTest => {
  const slashed = cidr.split('/');
  if (slashed.length !== 2) throw new OperandError("Malformed CIDR, one '/' required");
  const [addressText = '', bitsText = ''] = slashed;
  if (!/^[+-]?\d{1,9}$/.test(bitsText))
    throw new OperandError('Malformed CIDR, mask bits must be an integer');
  if (bitsText.startsWith('-')) throw new OperandError('Malformed CIDR, mask bits must not be negative');
  // Event Ruler parses only what looks like an address; anything else is "nonstandard".
  if (!looksLikeIpAddress(addressText)) throw new OperandError(`Nonstandard IP address: ${addressText}`);
  const network = parseIpAddress(addressText);
  if (network === undefined) throw new OperandError(`Invalid IP address: ${addressText}`);
  const width = network.version === 4 ? 32n : 128n;
  const bits = BigInt(Number(bitsText));
  // Event Ruler's CIDR.cidr refuses a full-width mask (/32, /128): a single address is written as a plain value.
  if (bits >= width) throw new OperandError(`IPv${network.version} mask bits must be < ${width}`);
  const shift = width - bits;
  const prefix = network.value >> shift;
  return (value) => {
    const address = parseIpAddress(value);
    return address !== undefined && address.version === network.version && address.value >> shift === prefix;
  };
};

/** How Event Ruler's parser shows a token in its messages: `]` at the end of an array, `{`/`[` for a structure. */
const tokenText = (token: unknown): string => {
  if (token === undefined) return ']';
  if (Array.isArray(token)) return '[';
  if (typeof token === 'object' && token !== null) return '{';
  return typeof token === 'string' ? token : String(token);
};

/** A compiled `numeric` operand: a test on JSON numbers. */
export type NumberTest = (value: number) => boolean;

const LOWER_OPERATORS = new Set(['>', '>=']);
const UPPER_OPERATORS = new Set(['<', '<=']);

/**
 * EventBridge's numeric matching works on values from -5.0e9 to +5.0e9 inclusive ("Content filtering", numeric
 * matching); a pattern bound outside is refused, and an event value outside never matches a `numeric` test.
 */
export const NUMERIC_LIMIT = 5e9;

/** Whether a number lies where numeric matching works (see {@link NUMERIC_LIMIT}). */
export const isComparableNumber = (value: number): boolean =>
  Number.isFinite(value) && value >= -NUMERIC_LIMIT && value <= NUMERIC_LIMIT;

/** Refuses a bound that numeric matching cannot compare, in Event Ruler's words. */
export const comparable = (value: number): number => {
  if (!isComparableNumber(value)) {
    throw new OperandError('Value must be between -5.0E9 and 5.0E9, inclusive');
  }
  return value;
};

const operand = (operator: string, value: unknown): number => {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new OperandError(`Value of ${operator === '=' ? 'equals' : operator} must be numeric`);
  }
  return value;
};

/** A range as Event Ruler builds it: bottom below top (checked first), then both within the numeric limits. */
const range = (bottom: number, top: number): void => {
  if (bottom >= top) throw new OperandError('Bottom must be less than top');
  comparable(bottom);
  comparable(top);
};

const bound = (operator: string, limit: number): NumberTest => {
  switch (operator) {
    case '>':
      return (value) => value > limit;
    case '>=':
      return (value) => value >= limit;
    case '<':
      return (value) => value < limit;
    default:
      return (value) => value <= limit;
  }
};

/**
 * Compiles a `numeric` operand: `["=", n]`, `[">"|">=", n]`, `["<"|"<=", n]`, or a lower bound followed by an upper
 * bound (`[">", 0, "<=", 5]`), with the lower bound below the upper one — the grammar EventBridge accepts.
 */
export const compileNumeric = (terms: unknown): NumberTest => {
  if (!Array.isArray(terms)) throw new OperandError('Value of numeric must be an array.');
  const [first, firstValue, second, secondValue, ...rest] = terms as unknown[];
  if (typeof first !== 'string')
    throw new OperandError(`Invalid member in numeric match: ${tokenText(first)}`);
  if (first === '=') {
    const target = comparable(operand(first, firstValue));
    if (terms.length > 2) throw new OperandError('Too many elements in numeric expression');
    return (value) => isComparableNumber(value) && value === target;
  }
  if (!LOWER_OPERATORS.has(first) && !UPPER_OPERATORS.has(first)) {
    throw new OperandError(`Unrecognized numeric range operator: ${first}`);
  }
  const limit = operand(first, firstValue);
  const low = bound(first, limit);
  if (terms.length === 2) {
    if (LOWER_OPERATORS.has(first)) range(limit, NUMERIC_LIMIT);
    else range(-NUMERIC_LIMIT, limit);
    return (value) => isComparableNumber(value) && low(value);
  }
  if (UPPER_OPERATORS.has(first)) throw new OperandError('Too many elements in numeric expression');
  if (typeof second !== 'string') throw new OperandError(`Bad value in numeric range: ${tokenText(second)}`);
  if (!UPPER_OPERATORS.has(second)) throw new OperandError(`Bad numeric range operator: ${second}`);
  const top = operand(second, secondValue);
  if (rest.length > 0) throw new OperandError('Too many terms in numeric range expression');
  range(limit, top);
  const high = bound(second, top);
  return (value) => isComparableNumber(value) && low(value) && high(value);
};
