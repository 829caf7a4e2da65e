import { OperandError } from './pattern-error.js';
import {
  comparable,
  compileCidr,
  compileNumeric,
  compileWildcard,
  looksLikeIpAddress,
  parseIpAddress,
  type StringTest,
} from './pattern-operands.js';

/** A JSON scalar: the only kind of value a leaf of an event can hold. */
export type Scalar = string | number | boolean | null;

/**
 * One alternative of a leaf's value array: either a test on each scalar value of the field, or an existence test on
 * the field as a whole (`exists: false` looks at whether the field has any leaf value at all). `wildcards` lists the
 * wildcard expressions of the matcher, for the complexity limit.
 */
export type LeafMatcher =
  | {
      readonly kind: 'value';
      readonly test: (value: Scalar) => boolean;
      readonly wildcards?: readonly string[];
    }
  | { readonly kind: 'absent' };

/**
 * The names Event Ruler reserves inside `$or` (its RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP): the operators, the
 * numeric comparators, and names kept for future operators.
 */
export const OR_RESERVED_NAMES: ReadonlySet<string> = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

const EQUALS_IGNORE_CASE = 'equals-ignore-case';

const fold = (text: string): string => text.toLowerCase();

const onStrings =
  (test: StringTest) =>
  (value: Scalar): boolean =>
    typeof value === 'string' && test(value);

const value = (test: (scalar: Scalar) => boolean, wildcards?: readonly string[]): LeafMatcher =>
  wildcards === undefined ? { kind: 'value', test } : { kind: 'value', test, wildcards };

const isObject = (candidate: unknown): candidate is Record<string, unknown> =>
  typeof candidate === 'object' && candidate !== null && !Array.isArray(candidate);

/** The one `name: operand` of a match expression; more than one key is refused with `extra`'s wording. */
const singleEntry = (expression: Record<string, unknown>, what: string, extra: string): [string, unknown] => {
  const entries = Object.entries(expression);
  if (entries.length === 0) throw new OperandError(`${what} expression name not found`);
  if (entries.length > 1) throw new OperandError(extra);
  return entries[0] as [string, unknown];
};

const ONE_KEY = 'Only one key allowed in match expression';
const TOO_MANY = 'Too many elements in numeric expression';

const requireString = (operand: unknown, message: string): string => {
  if (typeof operand !== 'string') throw new OperandError(message);
  return operand;
};

/** `prefix` / `suffix`, each optionally wrapped in `{"equals-ignore-case": ...}`. */
const compileAffix = (operator: 'prefix' | 'suffix', operand: unknown): StringTest => {
  const has = (text: string, affix: string) =>
    operator === 'prefix' ? text.startsWith(affix) : text.endsWith(affix);
  if (isObject(operand)) {
    const title = operator === 'prefix' ? 'Prefix' : 'Suffix';
    const [name, inner] = singleEntry(operand, title, ONE_KEY);
    if (name !== EQUALS_IGNORE_CASE) throw new OperandError(`Unsupported ${operator} pattern: ${name}`);
    const folded = fold(requireString(inner, 'equals-ignore-case match pattern must be a string'));
    return (text) => has(fold(text), folded);
  }
  const affix = requireString(operand, `${operator} match pattern must be a string`);
  return (text) => has(text, affix);
};

type ExclusionOperator = 'prefix' | 'suffix' | 'equals-ignore-case' | 'wildcard';
const EXCLUSION_OPERATORS: ReadonlySet<string> = new Set([
  'prefix',
  'suffix',
  EQUALS_IGNORE_CASE,
  'wildcard',
]);

const exclusionTypeError = (operator: ExclusionOperator): string => {
  if (operator === EQUALS_IGNORE_CASE) {
    return 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.';
  }
  if (operator === 'wildcard') return 'wildcard match pattern must be a string';
  return 'prefix/suffix match pattern must be a string';
};

const exclusionTest = (operator: ExclusionOperator, operand: string): StringTest => {
  switch (operator) {
    case 'prefix':
      return (text) => text.startsWith(operand);
    case 'suffix':
      return (text) => text.endsWith(operand);
    case 'wildcard':
      return compileWildcard(operand);
    default: {
      const folded = fold(operand);
      return (text) => fold(text) === folded;
    }
  }
};

/** `anything-but` with `prefix`, `suffix`, `equals-ignore-case` or `wildcard`, over a string or a list of strings. */
const compileExclusion = (operand: Record<string, unknown>): LeafMatcher => {
  const [name, inner] = singleEntry(operand, 'Anything-But', TOO_MANY);
  if (!EXCLUSION_OPERATORS.has(name)) throw new OperandError(`Unsupported anything-but pattern: ${name}`);
  const operator = name as ExclusionOperator;
  if (!Array.isArray(inner) && typeof inner !== 'string' && typeof inner !== 'number') {
    throw new OperandError('Value of anything-but must be an array or single string/number value.');
  }
  const operands = (Array.isArray(inner) ? inner : [inner]).map((item) => {
    if (typeof item !== 'string') throw new OperandError(exclusionTypeError(operator));
    if ((operator === 'prefix' || operator === 'suffix') && item === '') {
      throw new OperandError('Null prefix/suffix not allowed');
    }
    return item;
  });
  const tests = operands.map((item) => exclusionTest(operator, item));
  // Event Ruler applies these to strings only: any other value is never excluded.
  const excluded = (scalar: Scalar) => typeof scalar === 'string' && tests.some((test) => test(scalar));
  return value((scalar) => !excluded(scalar), operator === 'wildcard' ? operands : undefined);
};

const ANYTHING_BUT_LIST_TYPES = 'Inside anything but list, start|null|boolean is not supported.';

/**
 * `anything-but`: a string or number, a list of only strings or only numbers, or one of `prefix`, `suffix`,
 * `equals-ignore-case`, `wildcard` with a string or a list of strings. It matches any present value that is not
 * excluded — including values of another type (the number 5 is "anything but" the string "5") and null.
 */
const compileAnythingBut = (operand: unknown): LeafMatcher => {
  if (isObject(operand)) return compileExclusion(operand);
  if (Array.isArray(operand)) {
    let strings = 0;
    let numbers = 0;
    for (const item of operand) {
      if (typeof item === 'string') strings += 1;
      else if (typeof item === 'number') {
        comparable(item);
        numbers += 1;
      } else throw new OperandError(ANYTHING_BUT_LIST_TYPES);
    }
    if (strings > 0 === numbers > 0) {
      throw new OperandError(
        'Inside anything but list, either all values are number or string, mixed type is not supported',
      );
    }
    const excluded = new Set<Scalar>(operand as Scalar[]);
    return value((scalar) => !excluded.has(scalar));
  }
  if (typeof operand === 'number') comparable(operand);
  else if (typeof operand !== 'string') {
    throw new OperandError('Value of anything-but must be an array or single string/number value.');
  }
  return value((scalar) => scalar !== operand);
};

/** Compiles one operator object of a leaf array, e.g. `{"prefix": "us-"}` or `{"numeric": [">", 0]}`. */
const compileOperator = (expression: Record<string, unknown>): LeafMatcher => {
  const entries = Object.entries(expression);
  const [operator, operand] = entries[0] ?? [];
  if (operator === undefined) throw new OperandError('Match expression name not found');
  // The operand is read before the object is checked for more keys, as Event Ruler's streaming parser does.
  const matcher = compileOperand(operator, operand);
  if (entries.length > 1)
    throw new OperandError(operator === 'numeric' || operator === 'anything-but' ? TOO_MANY : ONE_KEY);
  return matcher;
};

const compileOperand = (operator: string, operand: unknown): LeafMatcher => {
  switch (operator) {
    case 'exactly': {
      const exact = requireString(operand, 'exact match pattern must be a string');
      return value((scalar) => scalar === exact);
    }
    case 'prefix':
    case 'suffix':
      return value(onStrings(compileAffix(operator, operand)));
    case EQUALS_IGNORE_CASE: {
      const folded = fold(requireString(operand, 'equals-ignore-case match pattern must be a string'));
      return value(onStrings((text) => fold(text) === folded));
    }
    case 'wildcard': {
      const pattern = requireString(operand, 'wildcard match pattern must be a string');
      return value(onStrings(compileWildcard(pattern)), [pattern]);
    }
    case 'cidr':
      return value(onStrings(compileCidr(requireString(operand, 'prefix match pattern must be a string'))));
    case 'numeric': {
      const test = compileNumeric(operand);
      return value((scalar) => typeof scalar === 'number' && test(scalar));
    }
    case 'anything-but':
      return compileAnythingBut(operand);
    case 'exists':
      if (typeof operand !== 'boolean')
        throw new OperandError('exists match pattern must be either true or false.');
      return operand ? value(() => true) : { kind: 'absent' };
    default:
      throw new OperandError(`Unrecognized match type ${operator}`);
  }
};

/** A string that is an IP address literal matches that address however the event writes it, as in Event Ruler. */
const exactString = (literal: string): ((scalar: Scalar) => boolean) => {
  const address = looksLikeIpAddress(literal) ? parseIpAddress(literal) : undefined;
  if (address === undefined) return (scalar) => scalar === literal;
  return (scalar) => {
    if (typeof scalar !== 'string') return false;
    const other = parseIpAddress(scalar);
    return other !== undefined && other.version === address.version && other.value === address.value;
  };
};

/**
 * Compiles one element of a leaf's value array: a literal (string, number, boolean, null — numbers compare by value,
 * so 3.018e2 equals 301.8) or an operator object. Throws `OperandError` with Event Ruler's wording on anything else.
 */
export const compileLeafMatcher = (element: unknown): LeafMatcher => {
  if (typeof element === 'string') return value(exactString(element));
  if (element === null || typeof element === 'boolean') return value((scalar) => scalar === element);
  if (typeof element === 'number') {
    if (!Number.isFinite(element)) throw new OperandError('Match value must be a finite number');
    return value((scalar) => scalar === element);
  }
  if (isObject(element)) return compileOperator(element);
  throw new OperandError('Match value must be String, number, true, false, or null');
};
