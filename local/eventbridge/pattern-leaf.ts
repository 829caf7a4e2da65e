import { OperandError } from './pattern-error';
import { compileCidr, compileNumeric, compileWildcard, type StringTest } from './pattern-operands';

/** A JSON scalar: the only kind of value a leaf of an event can hold. */
export type Scalar = string | number | boolean | null;

/**
 * One alternative of a leaf's value array: either a test on each scalar value of the field, or an existence test on
 * the field as a whole (`exists` looks at whether the field has any leaf value at all).
 */
export type LeafMatcher =
  | { readonly kind: 'value'; readonly test: (value: Scalar) => boolean }
  | { readonly kind: 'exists'; readonly exists: boolean };

/** The operator names of the pattern language; they cannot be field names inside `$or`. */
export const OPERATOR_NAMES: ReadonlySet<string> = new Set([
  'prefix',
  'suffix',
  'anything-but',
  'numeric',
  'exists',
  'equals-ignore-case',
  'wildcard',
  'cidr',
]);

const EQUALS_IGNORE_CASE = 'equals-ignore-case';

const fold = (text: string): string => text.toLowerCase();

const onStrings =
  (test: StringTest) =>
  (value: Scalar): boolean =>
    typeof value === 'string' && test(value);

const value = (test: (scalar: Scalar) => boolean): LeafMatcher => ({ kind: 'value', test });

const isObject = (candidate: unknown): candidate is Record<string, unknown> =>
  typeof candidate === 'object' && candidate !== null && !Array.isArray(candidate);

const singleEntry = (expression: Record<string, unknown>, what: string): [string, unknown] => {
  const entries = Object.entries(expression);
  if (entries.length === 0) throw new OperandError(`${what} expression name not found`);
  if (entries.length > 1) throw new OperandError('Only one key allowed in match expression');
  return entries[0] as [string, unknown];
};

const requireString = (operand: unknown, operator: string): string => {
  if (typeof operand !== 'string') throw new OperandError(`${operator} match pattern must be a string`);
  return operand;
};

/** `prefix` / `suffix`, each optionally wrapped in `{"equals-ignore-case": ...}`. */
const compileAffix = (operator: 'prefix' | 'suffix', operand: unknown): StringTest => {
  const has = (text: string, affix: string) =>
    operator === 'prefix' ? text.startsWith(affix) : text.endsWith(affix);
  if (isObject(operand)) {
    const [name, inner] = singleEntry(operand, operator === 'prefix' ? 'Prefix' : 'Suffix');
    if (name !== EQUALS_IGNORE_CASE) throw new OperandError(`Unsupported ${operator} pattern: ${name}`);
    const folded = fold(requireString(inner, EQUALS_IGNORE_CASE));
    return (text) => has(fold(text), folded);
  }
  const affix = requireString(operand, operator);
  return (text) => has(text, affix);
};

const ANYTHING_BUT_STRING_OPERATORS = new Set(['prefix', 'suffix', EQUALS_IGNORE_CASE, 'wildcard']);

const compileStringExclusion = (operator: string, operands: readonly string[]): StringTest => {
  const tests = operands.map((operand): StringTest => {
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
  });
  return (text) => tests.some((test) => test(text));
};

/**
 * `anything-but`: a string or number, a list of only strings or only numbers, or one of `prefix`, `suffix`,
 * `equals-ignore-case`, `wildcard` with a string or a list of strings. It matches any present value that is not
 * excluded — including values of another type (the number 5 is "anything but" the string "5").
 */
const compileAnythingBut = (operand: unknown): ((scalar: Scalar) => boolean) => {
  if (isObject(operand)) {
    const [operator, inner] = singleEntry(operand, 'Anything-But');
    if (!ANYTHING_BUT_STRING_OPERATORS.has(operator)) {
      throw new OperandError(`Unsupported anything-but pattern: ${operator}`);
    }
    const list = Array.isArray(inner) ? inner : [inner];
    if (list.length === 0) throw new OperandError('Empty arrays are not allowed');
    const operands = list.map((item) => {
      if (typeof item !== 'string') {
        throw new OperandError(`Inside anything-but/${operator}, only strings are supported`);
      }
      return item;
    });
    const excluded = compileStringExclusion(operator, operands);
    return (scalar) => typeof scalar !== 'string' || !excluded(scalar);
  }
  const list = Array.isArray(operand) ? operand : [operand];
  if (!Array.isArray(operand) && typeof operand !== 'string' && typeof operand !== 'number') {
    throw new OperandError('Value of anything-but must be an array or single string/number value.');
  }
  if (list.length === 0) throw new OperandError('Empty arrays are not allowed');
  const allStrings = list.every((item) => typeof item === 'string');
  const allNumbers = list.every((item) => typeof item === 'number' && Number.isFinite(item));
  if (!allStrings && !allNumbers) {
    throw new OperandError(
      'Inside anything-but list, either all values are number or string, mixed type is not supported',
    );
  }
  const excluded = new Set<Scalar>(list as Scalar[]);
  return (scalar) => !excluded.has(scalar);
};

/** Compiles one operator object of a leaf array, e.g. `{"prefix": "us-"}` or `{"numeric": [">", 0]}`. */
const compileOperator = (expression: Record<string, unknown>): LeafMatcher => {
  const [operator, operand] = singleEntry(expression, 'Match');
  switch (operator) {
    case 'prefix':
    case 'suffix':
      return value(onStrings(compileAffix(operator, operand)));
    case EQUALS_IGNORE_CASE: {
      const folded = fold(requireString(operand, EQUALS_IGNORE_CASE));
      return value(onStrings((text) => fold(text) === folded));
    }
    case 'wildcard':
      return value(onStrings(compileWildcard(requireString(operand, 'wildcard'))));
    case 'cidr':
      return value(onStrings(compileCidr(requireString(operand, 'cidr'))));
    case 'numeric': {
      const test = compileNumeric(operand);
      return value((scalar) => typeof scalar === 'number' && test(scalar));
    }
    case 'anything-but':
      return value(compileAnythingBut(operand));
    case 'exists':
      if (typeof operand !== 'boolean')
        throw new OperandError('exists match pattern must be either true or false.');
      return { kind: 'exists', exists: operand };
    default:
      throw new OperandError(`Unrecognized match type ${operator}`);
  }
};

/**
 * Compiles one element of a leaf's value array: a literal (string, number, boolean, null — numbers compare by value,
 * so 3.018e2 equals 301.8) or an operator object. Throws `OperandError` with AWS's wording on anything else.
 */
export const compileLeafMatcher = (element: unknown): LeafMatcher => {
  if (element === null || typeof element === 'string' || typeof element === 'boolean') {
    return value((scalar) => scalar === element);
  }
  if (typeof element === 'number') {
    if (!Number.isFinite(element)) throw new OperandError('Match value must be a finite number');
    return value((scalar) => scalar === element);
  }
  if (isObject(element)) return compileOperator(element);
  throw new OperandError('Match value must be String, number, true, false, or null');
};
