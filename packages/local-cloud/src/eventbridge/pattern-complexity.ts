/**
 * The wildcard complexity that EventBridge limits ("Wildcards and event pattern complexity"): Event Ruler's
 * MachineComplexityEvaluator counts, for the worst input value, how many wildcard-pattern prefixes can be live at
 * once on one field. Too many makes matching slow, so EventBridge refuses the pattern.
 *
 * Each wildcard expression becomes a chain of states (one per literal character, one per `*`, which loops); the
 * complexity is the largest set of live states (start states excluded) over every input, found by exploring the
 * reachable state sets breadth-first and stopping at the limit.
 */

/**
 * EventBridge refuses a pattern that reaches this many live wildcard prefixes. AWS does not publish the number; it
 * lies between 8 and 11: AWS accepts the path wildcard with five repeated "dir" segments (7 here) and refuses the
 * five-star event bus ARN wildcard (11 here) as "too complex" (see the conformance cases).
 */
export const MAX_WILDCARD_COMPLEXITY = 10;

/** Bound on the state sets explored, so that evaluating a hostile pattern stays cheap. */
const MAX_EXPLORED_SETS = 20_000;

type Token = { readonly star: true } | { readonly star: false; readonly char: string };

const tokenize = (pattern: string): Token[] => {
  const tokens: Token[] = [];
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index] ?? '';
    if (char === '*') tokens.push({ star: true });
    else if (char === '\\') {
      tokens.push({ star: false, char: pattern[index + 1] ?? '' });
      index += 1;
    } else tokens.push({ star: false, char });
  }
  return tokens;
};

/** A state is (expression, tokens consumed); `0` is the start of an expression and is not counted. */
interface Chain {
  readonly tokens: readonly Token[];
}

const key = (states: readonly (readonly [number, number])[]): string =>
  states.map(([chain, position]) => `${chain}:${position}`).join(',');

/** Adds `position` and, across every `*` that follows it, the positions a star lets through without input. */
const close = (chain: Chain, position: number, into: Set<number>): void => {
  let at = position;
  into.add(at);
  while (at < chain.tokens.length && chain.tokens[at]?.star === true) {
    at += 1;
    into.add(at);
  }
};

const step = (chain: Chain, position: number, char: string, into: Set<number>): void => {
  const token = chain.tokens[position - 1];
  // Sitting just after a `*`: the star keeps consuming.
  if (token?.star === true) close(chain, position, into);
  const next = chain.tokens[position];
  if (next !== undefined && !next.star && next.char === char) close(chain, position + 1, into);
};

/**
 * The complexity of the wildcard expressions of one field (capped at `limit`): the most states that can be live at
 * once after some input, counting every state but the starts.
 */
export const wildcardComplexity = (patterns: readonly string[], limit = MAX_WILDCARD_COMPLEXITY): number => {
  const chains: Chain[] = patterns.map((pattern) => ({ tokens: tokenize(pattern) }));
  const alphabet = new Set<string>();
  for (const chain of chains) for (const token of chain.tokens) if (!token.star) alphabet.add(token.char);
  alphabet.add('\u0000');
  const initial: (readonly [number, number])[] = [];
  chains.forEach((chain, index) => {
    const closed = new Set<number>();
    close(chain, 0, closed);
    for (const position of closed) initial.push([index, position]);
  });
  const count = (states: readonly (readonly [number, number])[]) =>
    states.filter(([, position]) => position > 0).length;
  let worst = count(initial);
  const seen = new Set([key(initial)]);
  const queue = [initial];
  while (queue.length > 0 && seen.size < MAX_EXPLORED_SETS) {
    const states = queue.shift() ?? [];
    for (const char of alphabet) {
      const next: (readonly [number, number])[] = [];
      chains.forEach((chain, index) => {
        const positions = new Set<number>();
        // The start stays available only for expressions that begin with a star (handled by `close`).
        for (const [owner, position] of states) if (owner === index) step(chain, position, char, positions);
        for (const position of [...positions].sort((a, b) => a - b)) next.push([index, position]);
      });
      const size = count(next);
      if (size >= limit) return limit;
      worst = Math.max(worst, size);
      const id = key(next);
      if (next.length > 0 && !seen.has(id)) {
        seen.add(id);
        queue.push(next);
      }
    }
  }
  return worst;
};
