/**
 * The EventBridge event pattern language, compiled once and matched many times: exact values (arrays are OR),
 * nested objects (AND across fields), arrays in the event (any element; fields of one pattern object must match
 * within the same array element, as EventBridge's array-consistent matching requires), `prefix`, `suffix`,
 * `equals-ignore-case`, `wildcard`, `anything-but`, `numeric`, `exists`, `cidr` and `$or`.
 *
 * Also usable for Lambda event-source filter criteria, which speak the same language.
 */
import { EventPatternError, OperandError } from './pattern-error';
import { compileLeafMatcher, type LeafMatcher, OPERATOR_NAMES, type Scalar } from './pattern-leaf';

export { EventPatternError } from './pattern-error';

/** EventBridge refuses patterns whose `$or` branches expand to more than this many combinations. */
export const MAX_OR_COMBINATIONS = 1000;

const OR = '$or';

type FieldNode =
  | { readonly key: string; readonly kind: 'leaf'; readonly matchers: readonly LeafMatcher[] }
  | { readonly key: string; readonly kind: 'object'; readonly node: ObjectNode };

interface ObjectNode {
  readonly fields: readonly FieldNode[];
  /** Each `$or` at this level: one of its branches must match the same object. */
  readonly alternatives: readonly (readonly ObjectNode[])[];
}

/** A validated, compiled event pattern. */
export interface CompiledEventPattern {
  /** The pattern as JSON text. */
  readonly text: string;
  /** Whether an event (already parsed JSON) matches. */
  matches(event: unknown): boolean;
}

const isObject = (candidate: unknown): candidate is Record<string, unknown> =>
  typeof candidate === 'object' && candidate !== null && !Array.isArray(candidate);

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

const compileLeaf = (key: string, values: readonly unknown[], path: string): FieldNode => {
  if (values.length === 0) throw new EventPatternError('Empty arrays are not allowed', path);
  const matchers = values.map((element) => {
    try {
      return compileLeafMatcher(element);
    } catch (error) {
      if (error instanceof OperandError) throw new EventPatternError(error.message, path, { cause: error });
      throw error;
    }
  });
  return { key, kind: 'leaf', matchers };
};

const compileOr = (branches: unknown, path: string): ObjectNode[] => {
  const where = join(path, OR);
  if (!Array.isArray(branches)) throw new EventPatternError('It must be an Array followed with $or.', where);
  if (branches.length < 2)
    throw new EventPatternError('There must have at least 2 Objects in $or relationship.', where);
  return branches.map((branch) => {
    if (!isObject(branch)) {
      throw new EventPatternError('Only JSON object is allowed in array of $or relationship.', where);
    }
    return compileObject(branch, path, true);
  });
};

function compileObject(raw: Record<string, unknown>, path: string, insideOr: boolean): ObjectNode {
  const entries = Object.entries(raw);
  if (entries.length === 0) throw new EventPatternError('Empty objects are not allowed', path);
  const fields: FieldNode[] = [];
  const alternatives: ObjectNode[][] = [];
  for (const [key, value] of entries) {
    if (key === OR) {
      alternatives.push(compileOr(value, path));
      continue;
    }
    const where = join(path, key);
    if (insideOr && OPERATOR_NAMES.has(key)) {
      throw new EventPatternError(
        `${key} is a reserved keyword which cannot be used as a field name inside $or.`,
        where,
      );
    }
    if (Array.isArray(value)) fields.push(compileLeaf(key, value, where));
    else if (isObject(value))
      fields.push({ key, kind: 'object', node: compileObject(value, where, insideOr) });
    else throw new EventPatternError(`"${key}" must be an object or an array`, where);
  }
  return { fields, alternatives };
}

/** How many plain AND-rules the pattern expands to once every `$or` is distributed (AWS's combination count). */
const combinations = (node: ObjectNode): number => {
  let count = 1;
  for (const field of node.fields) if (field.kind === 'object') count *= combinations(field.node);
  for (const branches of node.alternatives)
    count *= branches.reduce((sum, branch) => sum + combinations(branch), 0);
  return count;
};

/** Flattens nested arrays: EventBridge "crushes" array structure out of events. */
const flatten = (values: readonly unknown[]): unknown[] =>
  values.flatMap((item) => (Array.isArray(item) ? flatten(item) : [item]));

const isScalar = (candidate: unknown): candidate is Scalar =>
  candidate === null || ['string', 'number', 'boolean'].includes(typeof candidate);

/** The scalar values at a leaf field; objects are not leaves, so they contribute nothing (an absent leaf). */
const leafValues = (value: unknown): Scalar[] => {
  if (value === undefined) return [];
  if (Array.isArray(value)) return flatten(value).filter(isScalar);
  return isScalar(value) ? [value] : [];
};

const matchLeaf = (matchers: readonly LeafMatcher[], value: unknown): boolean => {
  const values = leafValues(value);
  return matchers.some((matcher) =>
    matcher.kind === 'exists'
      ? matcher.exists === values.length > 0
      : values.some((scalar) => matcher.test(scalar)),
  );
};

const matchField = (field: FieldNode, container: Record<string, unknown> | undefined): boolean => {
  const value =
    container !== undefined && Object.hasOwn(container, field.key) ? container[field.key] : undefined;
  if (field.kind === 'leaf') return matchLeaf(field.matchers, value);
  if (Array.isArray(value)) {
    const elements = flatten(value).filter(isObject);
    // With no object element the nested fields are absent, which `exists: false` still accepts.
    if (elements.length > 0) return elements.some((element) => matchObject(field.node, element));
    return matchObject(field.node, undefined);
  }
  return matchObject(field.node, isObject(value) ? value : undefined);
};

function matchObject(node: ObjectNode, container: Record<string, unknown> | undefined): boolean {
  return (
    node.fields.every((field) => matchField(field, container)) &&
    node.alternatives.every((branches) => branches.some((branch) => matchObject(branch, container)))
  );
}

const parse = (pattern: string | Record<string, unknown>): unknown => {
  if (typeof pattern !== 'string') return pattern;
  try {
    return JSON.parse(pattern) as unknown;
  } catch (error) {
    throw new EventPatternError(`Pattern is not valid JSON: ${(error as Error).message}`, '', {
      cause: error,
    });
  }
};

/**
 * Validates and compiles an event pattern (JSON text or an already parsed object). Throws `EventPatternError` with a
 * message in AWS's words for anything EventBridge would reject with `InvalidEventPatternException`.
 */
export const compileEventPattern = (pattern: string | Record<string, unknown>): CompiledEventPattern => {
  const parsed = parse(pattern);
  if (!isObject(parsed)) throw new EventPatternError('Filter is not an object');
  const root = compileObject(parsed, '', false);
  const count = combinations(root);
  if (count > MAX_OR_COMBINATIONS) {
    throw new EventPatternError(
      `The use of $or results in ${count} rule combinations, above ${MAX_OR_COMBINATIONS}`,
    );
  }
  const text = typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
  return { text, matches: (event) => matchObject(root, isObject(event) ? event : undefined) };
};

/** Throws `EventPatternError` if the pattern is invalid; returns nothing otherwise. */
export const validateEventPattern = (pattern: string | Record<string, unknown>): void => {
  compileEventPattern(pattern);
};

/** One-shot convenience: compiles the pattern and tests one event. Compile once when matching many events. */
export const matchesEventPattern = (pattern: string | Record<string, unknown>, event: unknown): boolean =>
  compileEventPattern(pattern).matches(event);
