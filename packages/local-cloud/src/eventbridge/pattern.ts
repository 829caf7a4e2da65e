/**
 * The EventBridge event pattern language, compiled once and matched many times, with the semantics of Event Ruler
 * (the matcher EventBridge runs): exact values (arrays are OR), nested objects (AND across fields), `prefix`,
 * `suffix`, `equals-ignore-case`, `wildcard`, `anything-but`, `numeric`, `exists`, `cidr`, `exactly` and `$or`.
 *
 * A pattern compiles, like Event Ruler's JsonRuleCompiler, into sub-rules (one per `$or` combination), each a map of
 * dot-joined field paths to value matchers; an event is flattened the same way (see `flattenEvent`). So `"a.b"` and
 * `{"a": {"b": ...}}` are the same field on either side, and a later key for the same path replaces an earlier one.
 * A sub-rule matches when every field finds a value (or, for `exists: false`, finds none) while all the chosen values
 * come from the same element of any array they share (array-consistent matching). Fields are tried in sorted path
 * order, as Event Ruler walks them.
 *
 * Also the engine of Lambda event-source filter criteria, which speak the same language.
 */
import { MAX_WILDCARD_COMPLEXITY, wildcardComplexity } from './pattern-complexity.js';
import { EventPatternError, OperandError } from './pattern-error.js';
import { type ArrayMembership, type FlatEvent, flattenEvent, mergeMembership } from './pattern-event.js';
import { compileLeafMatcher, type LeafMatcher, OR_RESERVED_NAMES } from './pattern-leaf.js';

export { EventPatternError } from './pattern-error.js';

/** EventBridge refuses patterns whose `$or` branches expand to more than this many combinations. */
export const MAX_OR_COMBINATIONS = 1000;

const OR = '$or';

/** One field of a sub-rule: its path, and the alternatives its value array allows. */
interface RuleField {
  readonly path: string;
  readonly matchers: readonly LeafMatcher[];
}

/** One `$or` combination: fields sorted by path. */
type SubRule = readonly RuleField[];

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

type Rules = Map<string, readonly LeafMatcher[]>[];

/** How one compilation reads `$or`: as Event Ruler's primitive, or (its legacy compiler) as a plain field name. */
interface Dialect {
  readonly orPrimitive: boolean;
}

const compileLeaf = (values: readonly unknown[], path: string): LeafMatcher[] => {
  if (values.length === 0) throw new EventPatternError('Empty arrays are not allowed', path);
  return values.map((element) => {
    try {
      return compileLeafMatcher(element);
    } catch (error) {
      if (error instanceof OperandError) throw new EventPatternError(error.message, path, { cause: error });
      throw error;
    }
  });
};

const write = (rules: Rules, path: string, matchers: readonly LeafMatcher[]): void => {
  if (rules.length === 0) rules.push(new Map());
  for (const rule of rules) rule.set(path, matchers);
};

const copy = (rules: Rules): Rules => rules.map((rule) => new Map(rule));

/** EventBridge's own limit on `$or` combinations: checked on the compiled rule, never a reason to fall back. */
class CombinationLimitError extends EventPatternError {
  public constructor(count: number) {
    super(`The use of ${OR} results in ${count} rule combinations, above ${MAX_OR_COMBINATIONS}`);
  }
}

/** How many sub-rules a pattern object expands to (checked before expanding, so a huge `$or` stays cheap). */
const combinations = (raw: Record<string, unknown>, dialect: Dialect): number => {
  let count = 1;
  for (const [key, value] of Object.entries(raw)) {
    if (key === OR && dialect.orPrimitive && Array.isArray(value)) {
      count *= value.reduce<number>(
        (sum, branch) => sum + (isObject(branch) ? combinations(branch, dialect) : 1),
        0,
      );
    } else if (isObject(value)) count *= combinations(value, dialect);
    if (count > MAX_OR_COMBINATIONS) return count;
  }
  return count;
};

function compileOr(rules: Rules, branches: unknown, path: string, dialect: Dialect): Rules {
  const where = join(path, OR);
  if (!Array.isArray(branches))
    throw new EventPatternError(`It must be an Array followed with ${OR}.`, where);
  const current = copy(rules);
  const result: Rules = [];
  for (const branch of branches) {
    if (!isObject(branch)) {
      throw new EventPatternError(`Only JSON object is allowed in array of ${OR} relationship.`, where);
    }
    const forked = copy(current);
    if (forked.length === 0) forked.push(new Map());
    result.push(...compileObject(forked, branch, path, dialect, true));
  }
  if (branches.length < 2) {
    throw new EventPatternError(`There must have at least 2 Objects in ${OR} relationship.`, where);
  }
  return result;
}

/** Walks one pattern object in document order, writing each leaf into every current sub-rule (later keys win). */
function compileObject(
  initial: Rules,
  raw: Record<string, unknown>,
  path: string,
  dialect: Dialect,
  insideOr: boolean,
): Rules {
  let rules = initial;
  const entries = Object.entries(raw);
  if (entries.length === 0) throw new EventPatternError('Empty objects are not allowed', path);
  for (const [key, value] of entries) {
    if (key === OR && dialect.orPrimitive) {
      rules = compileOr(rules, value, path, dialect);
      continue;
    }
    const where = join(path, key);
    if (insideOr && OR_RESERVED_NAMES.has(key)) {
      throw new EventPatternError(
        `${key} is Ruler reserved fieldName which cannot be used inside ${OR}.`,
        where,
      );
    }
    if (Array.isArray(value)) write(rules, where, compileLeaf(value, where));
    else if (isObject(value)) rules = compileObject(rules, value, where, dialect, insideOr);
    else throw new EventPatternError(`"${key}" must be an object or an array`, where);
  }
  return rules;
}

/** The wildcard expressions of each path across every sub-rule: what one Event Ruler machine would hold. */
const assertWildcardComplexity = (subRules: readonly SubRule[]): void => {
  const byPath = new Map<string, Set<string>>();
  for (const rule of subRules) {
    for (const field of rule) {
      for (const matcher of field.matchers) {
        if (matcher.kind !== 'value' || matcher.wildcards === undefined) continue;
        let patterns = byPath.get(field.path);
        if (patterns === undefined) {
          patterns = new Set();
          byPath.set(field.path, patterns);
        }
        for (const wildcard of matcher.wildcards) patterns.add(wildcard);
      }
    }
  }
  for (const [path, patterns] of byPath) {
    if (wildcardComplexity([...patterns]) >= MAX_WILDCARD_COMPLEXITY) {
      throw new EventPatternError(
        'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character',
        path,
      );
    }
  }
};

const compileSubRules = (parsed: Record<string, unknown>, dialect: Dialect): SubRule[] => {
  const count = combinations(parsed, dialect);
  if (count > MAX_OR_COMBINATIONS) throw new CombinationLimitError(count);
  const rules = compileObject([], parsed, '', dialect, false);
  return rules.map((rule) =>
    [...rule.entries()]
      .map(([path, matchers]) => ({ path, matchers }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  );
};

const hasValueAt = (event: FlatEvent, path: string, constraints: ArrayMembership): boolean =>
  (event.get(path) ?? []).some((field) => mergeMembership(constraints, field.membership) !== undefined);

/** Backtracking over the fields of one sub-rule, carrying the array elements chosen so far. */
const matchFrom = (rule: SubRule, index: number, event: FlatEvent, constraints: ArrayMembership): boolean => {
  const field = rule[index];
  if (field === undefined) return true;
  for (const matcher of field.matchers) {
    if (matcher.kind === 'absent') {
      if (!hasValueAt(event, field.path, constraints) && matchFrom(rule, index + 1, event, constraints))
        return true;
      continue;
    }
    for (const candidate of event.get(field.path) ?? []) {
      if (!matcher.test(candidate.value)) continue;
      const merged = mergeMembership(constraints, candidate.membership);
      if (merged !== undefined && matchFrom(rule, index + 1, event, merged)) return true;
    }
  }
  return false;
};

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
 * Event Ruler first compiles `$or` as its primitive; when that fails it falls back to its legacy compiler, which reads
 * `$or` as an ordinary field name (its documented backward compatibility: `"$or": {...}` is a nested field). Only when
 * both fail is the pattern invalid, with the legacy compiler's reason (the error that Event Ruler's Machine throws).
 */
const compileWithFallback = (parsed: Record<string, unknown>): SubRule[] => {
  try {
    return compileSubRules(parsed, { orPrimitive: true });
  } catch (error) {
    if (!(error instanceof EventPatternError) || error instanceof CombinationLimitError) throw error;
    if (!JSON.stringify(parsed).includes(`"${OR}"`)) throw error;
    return compileSubRules(parsed, { orPrimitive: false });
  }
};

/** An event is flattened once however many rules test it (events are not mutated once routed). */
const flatEvents = new WeakMap<object, FlatEvent>();
const flattened = (event: unknown): FlatEvent => {
  if (typeof event !== 'object' || event === null) return flattenEvent(event);
  let flat = flatEvents.get(event);
  if (flat === undefined) {
    flat = flattenEvent(event);
    flatEvents.set(event, flat);
  }
  return flat;
};

/**
 * Validates and compiles an event pattern (JSON text or an already parsed object). Throws `EventPatternError` with a
 * message in AWS's words for anything EventBridge would reject with `InvalidEventPatternException`.
 */
export const compileEventPattern = (pattern: string | Record<string, unknown>): CompiledEventPattern => {
  const parsed = parse(pattern);
  if (!isObject(parsed)) throw new EventPatternError('Filter is not an object');
  const subRules = compileWithFallback(parsed);
  assertWildcardComplexity(subRules);
  const text = typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
  return {
    text,
    matches: (event) => {
      const flat = flattened(event);
      return subRules.some((rule) => matchFrom(rule, 0, flat, new Map()));
    },
  };
};

/** Throws `EventPatternError` if the pattern is invalid; returns nothing otherwise. */
export const validateEventPattern = (pattern: string | Record<string, unknown>): void => {
  compileEventPattern(pattern);
};

/** One-shot convenience: compiles the pattern and tests one event. Compile once when matching many events. */
export const matchesEventPattern = (pattern: string | Record<string, unknown>, event: unknown): boolean =>
  compileEventPattern(pattern).matches(event);
