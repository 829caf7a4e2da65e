import type { PatternMatcher } from './types';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const numericHolds = (operations: readonly unknown[], value: number): boolean => {
  for (let index = 0; index + 1 < operations.length; index += 2) {
    const operator = operations[index];
    const bound = Number(operations[index + 1]);
    const holds =
      (operator === '=' && value === bound) ||
      (operator === '<' && value < bound) ||
      (operator === '<=' && value <= bound) ||
      (operator === '>' && value > bound) ||
      (operator === '>=' && value >= bound);
    if (!holds) return false;
  }
  return true;
};

/** One element of a pattern's value array against one value of the event (never `undefined`). */
const matchesRule = (rule: unknown, value: Json): boolean => {
  if (!isObject(rule)) return rule === value;
  if ('prefix' in rule) return typeof value === 'string' && value.startsWith(String(rule.prefix));
  if ('suffix' in rule) return typeof value === 'string' && value.endsWith(String(rule.suffix));
  if ('equals-ignore-case' in rule) {
    return (
      typeof value === 'string' && value.toLowerCase() === String(rule['equals-ignore-case']).toLowerCase()
    );
  }
  if ('numeric' in rule && Array.isArray(rule.numeric))
    return typeof value === 'number' && numericHolds(rule.numeric, value);
  if ('anything-but' in rule) {
    const excluded = rule['anything-but'];
    return Array.isArray(excluded) ? !excluded.includes(value) : excluded !== value;
  }
  throw new Error(`filter rule ${JSON.stringify(rule)} is not supported by the simple matcher`);
};

const matchesField = (rules: unknown, value: Json | undefined): boolean => {
  if (isObject(rules)) {
    return isObject(value) && matchesObject(rules, value);
  }
  if (!Array.isArray(rules)) throw new Error(`filter values must be arrays, got ${JSON.stringify(rules)}`);
  return rules.some((rule) => {
    // `exists` applies to leaves only, as in EventBridge: an object value neither exists nor is absent.
    if (isObject(rule) && 'exists' in rule)
      return rule.exists === true ? value !== undefined && !isObject(value) : value === undefined;
    if (value === undefined) return false;
    // A pattern matches an array in the event when it matches any of its elements.
    return Array.isArray(value)
      ? value.some((element) => matchesRule(rule, element))
      : matchesRule(rule, value);
  });
};

const matchesObject = (pattern: Record<string, unknown>, event: Record<string, unknown>): boolean =>
  Object.entries(pattern).every(([key, rules]) => matchesField(rules, event[key] as Json | undefined));

/**
 * A small matcher for the event-pattern subset that Lambda filter criteria commonly use: exact values (an array is
 * an OR), nested objects, `prefix`, `suffix`, `equals-ignore-case`, `numeric` ranges, `anything-but` with values,
 * `exists`, and any-element matching of arrays in the event. It throws on anything else (`$or`, `wildcard`, `cidr`,
 * `anything-but` with `prefix`/`suffix`), so an unsupported filter fails loudly rather than silently dropping records.
 * Inject the EventBridge emulator's full matcher into the runner to lift these limits.
 */
export const simplePatternMatcher: PatternMatcher = (pattern, event) => {
  const parsed = JSON.parse(pattern) as unknown;
  if (!isObject(parsed)) throw new Error(`a filter pattern must be a JSON object: ${pattern}`);
  return isObject(event) && matchesObject(parsed, event);
};

/** True when there are no patterns or any of them matches (Lambda ORs the filters of one mapping). */
export const passesFilters = (
  patterns: readonly string[],
  event: unknown,
  matcher: PatternMatcher,
): boolean => patterns.length === 0 || patterns.some((pattern) => matcher(pattern, event));
