import { it } from 'vitest';

/**
 * One behaviour of AWS the local cloud must share. `source` is where AWS says so: a page of AWS's documentation
 * (https://docs.aws.amazon.com/...) or a test or README of AWS's own open-source code (https://github.com/aws/...),
 * read as a specification. A case asserts what AWS does, so the same case passes against a real account.
 */
export interface ConformanceCase<Context> {
  readonly name: string;
  readonly source: string;
  readonly run: (context: Context) => Promise<void>;
}

const SOURCE = /^https:\/\/(docs\.aws\.amazon\.com|github\.com\/aws(labs)?)\//;

/** How the cases of one table run. */
export interface ConformanceOptions {
  /**
   * Run the cases concurrently: for tables of independent, read-only calls such as TestEventPattern, and for cases
   * that each use resources of their own and wait for AWS's clocks (visibility timeouts, delays), which then
   * overlap. Default false.
   */
  readonly concurrent?: boolean;
}

/** Registers each case as a test named after the behaviour, refusing a case that cites no AWS source. */
export const conformanceCases = <Context>(
  cases: readonly ConformanceCase<Context>[],
  context: () => Context,
  { concurrent = false }: ConformanceOptions = {},
): void => {
  const names = new Set<string>();
  for (const { name, source, run } of cases) {
    if (!SOURCE.test(source)) throw new Error(`conformance case "${name}" cites no AWS source: ${source}`);
    if (names.has(name)) throw new Error(`conformance case "${name}" is registered twice`);
    names.add(name);
    (concurrent ? it.concurrent : it)(name, () => run(context()));
  }
};
