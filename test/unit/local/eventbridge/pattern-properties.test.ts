import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileEventPattern, EventPatternError } from '../../../../packages/local-cloud/src/eventbridge';

/**
 * Properties of the pattern engine on random input: validation either accepts or refuses with EventPatternError
 * (never another error), matching never throws, and a few laws of the language hold (an event matches the exact
 * pattern of its own values, `$or` is a disjunction, `anything-but` excludes, dot-joined keys equal nesting).
 */
const OPERATORS = [
  'prefix',
  'suffix',
  'anything-but',
  'numeric',
  'exists',
  'equals-ignore-case',
  'wildcard',
  'cidr',
  'exactly',
] as const;

const key = fc.oneof(
  fc.constantFrom('a', 'b', 'c', 'detail', 'state', 'a.b', '$or', 'prefix', 'numeric', ''),
  fc.string({ maxLength: 6 }),
);

/** Operands that are often valid and often just wrong. */
const operand = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom('*', 'a*b', '**', '\\x', '10.0.0.0/24', '::/0', '1.2.3.4/33', 'us-', ''),
  fc.tuple(
    fc.constantFrom('>', '>=', '<', '<=', '=', '!'),
    fc.double(),
    fc.constantFrom('<', '<=', '>'),
    fc.integer(),
  ),
  fc.dictionary(fc.constantFrom(...OPERATORS), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
);

const matcher = fc.oneof(
  fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null)),
  fc.dictionary(fc.constantFrom(...OPERATORS), operand, { minKeys: 0, maxKeys: 2 }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Random patterns: nested objects, value arrays, `$or` arrays, and plain wrong values. */
const pattern: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.dictionary(key, fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('node'), tie('or')), {
    maxKeys: 4,
  }),
  leaf: fc.oneof(fc.array(matcher, { maxLength: 4 }), fc.jsonValue({ maxDepth: 1 })),
  or: fc.array(tie('node'), { maxLength: 3 }),
})).node;

/** Patterns built from the language's well-formed parts, over the same few keys the events use. */
const smallKey = fc.constantFrom('a', 'b', 'c', 'a.b', 'detail');
const wellFormedMatcher = fc.oneof(
  fc.oneof(
    fc.constantFrom('x', 'y', 'X', '10.0.0.1', ''),
    fc.integer({ min: -3, max: 3 }),
    fc.boolean(),
    fc.constant(null),
  ),
  fc.record({ prefix: fc.constantFrom('x', 'y', '') }),
  fc.record({ suffix: fc.constantFrom('x', 'y', '') }),
  fc.record({
    'anything-but': fc.oneof(
      fc.constantFrom('x', 'y'),
      fc.integer({ min: -3, max: 3 }),
      fc.constant(['x', 'y']),
    ),
  }),
  fc.record({ numeric: fc.constantFrom(['>', 0], ['<=', 2], ['>', -1, '<', 3], ['=', 1]) }),
  fc.record({ exists: fc.boolean() }),
  fc.record({ 'equals-ignore-case': fc.constantFrom('x', 'Y') }),
  fc.record({ wildcard: fc.constantFrom('x*', '*y', '*') }),
  fc.record({ cidr: fc.constantFrom('10.0.0.0/8', '::/1') }),
);
const wellFormed: fc.Arbitrary<unknown> = fc
  .letrec((tie) => ({
    node: fc.dictionary(smallKey, fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('node')), {
      minKeys: 1,
      maxKeys: 3,
    }),
    leaf: fc.array(wellFormedMatcher, { minLength: 1, maxLength: 3 }),
  }))
  .node.chain((node) =>
    fc.oneof(
      fc.constant(node),
      wellFormedNodePair().map(([p, q]) => ({ $or: [p, q] })),
    ),
  );
function wellFormedNodePair(): fc.Arbitrary<[unknown, unknown]> {
  const leaf = fc.dictionary(smallKey, fc.array(wellFormedMatcher, { minLength: 1, maxLength: 2 }), {
    minKeys: 1,
    maxKeys: 2,
  });
  return fc.tuple(leaf, leaf);
}

const scalar = fc.oneof(
  fc.constantFrom('x', 'y', 'X', 'xy', '10.0.0.1', ''),
  fc.integer({ min: -3, max: 3 }),
  fc.boolean(),
  fc.constant(null),
);
const event: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.letrec((tie) => ({
    node: fc.dictionary(
      smallKey,
      fc.oneof(
        { depthSize: 'small' },
        scalar,
        tie('node'),
        fc.array(fc.oneof(scalar, tie('node')), { maxLength: 3 }),
      ),
      { maxKeys: 4 },
    ),
  })).node,
);

const compiles = (candidate: unknown) => {
  try {
    return compileEventPattern(JSON.stringify(candidate) ?? 'null');
  } catch (error) {
    if (!(error instanceof EventPatternError)) throw error;
    return undefined;
  }
};

describe('pattern engine properties', () => {
  it('validation accepts or throws EventPatternError, and matching never throws, on random JSON', () => {
    let valid = 0;
    fc.assert(
      fc.property(fc.oneof(pattern, wellFormed), fc.array(event, { maxLength: 4 }), (candidate, events) => {
        const compiled = compiles(candidate);
        if (compiled === undefined) return;
        valid += 1;
        for (const each of events) expect(typeof compiled.matches(each)).toBe('boolean');
      }),
      { numRuns: 400 },
    );
    // The generator must reach the matcher, not only the validator.
    expect(valid).toBeGreaterThan(100);
  });

  it('refuses non-JSON text and non-object patterns with EventPatternError only', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((value) => JSON.stringify(value) ?? ''),
        ),
        (text) => {
          try {
            compileEventPattern(text);
          } catch (error) {
            expect(error).toBeInstanceOf(EventPatternError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  /** Objects of scalar leaves, so that an exact pattern can be built from them. */
  const flatEvent = fc.dictionary(
    fc.stringMatching(/^[a-z]{1,4}$/),
    fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.integer({ min: -1000, max: 1000 }),
      fc.boolean(),
      fc.constant(null),
    ),
    { minKeys: 1, maxKeys: 5 },
  );

  it('matches an event with the exact pattern of its own values, nested or dot-joined', () => {
    fc.assert(
      fc.property(flatEvent, fc.stringMatching(/^[a-z]{1,4}$/), (detail, outer) => {
        const exact = Object.fromEntries(Object.entries(detail).map(([name, value]) => [name, [value]]));
        const dotted = Object.fromEntries(
          Object.entries(detail).map(([name, value]) => [`${outer}.${name}`, [value]]),
        );
        const wrapped = { [outer]: detail };
        expect(compileEventPattern({ [outer]: exact }).matches(wrapped)).toBe(true);
        expect(compileEventPattern(dotted).matches(wrapped)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('makes $or a disjunction and anything-but an exclusion', () => {
    fc.assert(
      fc.property(
        flatEvent,
        fc.string({ maxLength: 4 }),
        fc.string({ maxLength: 4 }),
        (detail, left, right) => {
          const [name = 'a', value] = Object.entries(detail)[0] ?? [];
          const p = { [name]: [left] };
          const q = { [name]: [right] };
          const either = compileEventPattern({ $or: [p, q] }).matches(detail);
          expect(either).toBe(
            compileEventPattern(p).matches(detail) || compileEventPattern(q).matches(detail),
          );
          if (typeof value === 'string') {
            expect(compileEventPattern({ [name]: [{ 'anything-but': value }] }).matches(detail)).toBe(false);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
