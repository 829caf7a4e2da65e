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

/** Registers each case as a test named after the behaviour, refusing a case that cites no AWS source. */
export const conformanceCases = <Context>(
  cases: readonly ConformanceCase<Context>[],
  context: () => Context,
): void => {
  for (const { name, source, run } of cases) {
    if (!SOURCE.test(source)) throw new Error(`conformance case "${name}" cites no AWS source: ${source}`);
    it(name, () => run(context()));
  }
};
