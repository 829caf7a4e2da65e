import { type CompiledEventPattern, compileEventPattern, EventPatternError } from '../eventbridge/pattern.js';
import type { PatternMatcher } from './types.js';

/**
 * Lambda event filtering speaks EventBridge's pattern language and runs it on EventBridge's engine (one engine for
 * both). What differs is documented in "Lambda event filtering" and in the comparison-operator table ("Pipe
 * support"): the filter sees the record as Lambda builds it (an SQS `body` that is JSON is matched as parsed JSON, a
 * plain-string body as a string; DynamoDB records through their `dynamodb` key), and these operators are not
 * available for event source mappings: `wildcard`, and `anything-but` with `prefix`, `suffix`, `equals-ignore-case`
 * or `wildcard`. Lambda refuses such a filter when the mapping is created, so the runner refuses it too.
 */
export class FilterCriteriaError extends EventPatternError {
  public constructor(reason: string, path = '') {
    super(reason, path);
    this.name = 'FilterCriteriaError';
  }
}

const isObject = (candidate: unknown): candidate is Record<string, unknown> =>
  typeof candidate === 'object' && candidate !== null && !Array.isArray(candidate);

/** Finds an operator that event source mappings do not support, anywhere in the pattern. */
const unsupportedOperator = (node: unknown, path: string): { operator: string; path: string } | undefined => {
  if (Array.isArray(node)) {
    for (const element of node) {
      if (!isObject(element)) continue;
      if ('wildcard' in element) return { operator: 'wildcard', path };
      const anythingBut = element['anything-but'];
      if (isObject(anythingBut)) {
        const [inner] = Object.keys(anythingBut);
        return { operator: `anything-but/${inner ?? ''}`, path };
      }
    }
    return undefined;
  }
  if (!isObject(node)) return undefined;
  for (const [key, value] of Object.entries(node)) {
    const branches = key === '$or' && Array.isArray(value) ? value : [value];
    for (const branch of branches) {
      const found = unsupportedOperator(branch, path === '' ? key : `${path}.${key}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
};

/**
 * Compiles one `FilterCriteria.Filters[].Pattern` with the EventBridge engine, refusing what Lambda refuses: an
 * invalid pattern (`EventPatternError`) or an operator event source mappings lack (`FilterCriteriaError`).
 */
export const compileFilterPattern = (pattern: string): CompiledEventPattern => {
  const compiled = compileEventPattern(pattern);
  const unsupported = unsupportedOperator(JSON.parse(pattern) as unknown, '');
  if (unsupported !== undefined) {
    throw new FilterCriteriaError(
      `${unsupported.operator} is not supported in Lambda event filtering`,
      unsupported.path,
    );
  }
  return compiled;
};

/** The runner's default matcher: the EventBridge engine, each pattern compiled once. */
export const createFilterMatcher = (): PatternMatcher => {
  const compiled = new Map<string, CompiledEventPattern>();
  return (pattern, event) => {
    let filter = compiled.get(pattern);
    if (filter === undefined) {
      filter = compileFilterPattern(pattern);
      compiled.set(pattern, filter);
    }
    return filter.matches(event);
  };
};

/** True when there are no patterns or any of them matches (Lambda ORs the filters of one mapping). */
export const passesFilters = (
  patterns: readonly string[],
  event: unknown,
  matcher: PatternMatcher,
): boolean => patterns.length === 0 || patterns.some((pattern) => matcher(pattern, event));
