import { TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { expect } from 'vitest';
import type { ConformanceCase } from '../support/cases';
import type { ConformanceTarget } from '../support/target';

/** Where AWS documents the pattern language and its matcher. */
export const DOCS = {
  syntax: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern.html',
  filtering:
    'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html',
  operators: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html',
  arrays: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html',
  nulls: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html',
  testEventPattern: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html',
  ruler: 'https://github.com/aws/event-ruler/blob/main/README.md',
  rulerCompiler:
    'https://github.com/aws/event-ruler/blob/main/src/main/software/amazon/event/ruler/JsonRuleCompiler.java',
  rulerCidr: 'https://github.com/aws/event-ruler/blob/main/src/main/software/amazon/event/ruler/CIDR.java',
  rulerComplexity:
    'https://github.com/aws/event-ruler/blob/main/src/main/software/amazon/event/ruler/MachineComplexityEvaluator.java',
} as const;

/** An event with the fields TestEventPattern requires (no `resources`: AWS does not require it). */
export const testEvent = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'e5a43d2b-4f2e-4c6c-9d1b-8a4a8b8f2c11',
  account: '123456789012',
  source: 'com.example.orders',
  time: '2026-01-15T10:00:00Z',
  region: 'us-east-1',
  'detail-type': 'Order Placed',
  ...fields,
});

/** Calls TestEventPattern with JSON texts; resolves to Result. */
export const testPattern = async (
  t: ConformanceTarget,
  pattern: unknown,
  event: unknown,
): Promise<boolean> => {
  const { Result } = await t.eventBridge.send(
    new TestEventPatternCommand({
      EventPattern: typeof pattern === 'string' ? pattern : JSON.stringify(pattern),
      Event: typeof event === 'string' ? event : JSON.stringify(event),
    }),
  );
  return Result === true;
};

type Expectation = 'match' | 'no-match' | { readonly invalid: RegExp };

/** One pattern case: the pattern, the event's extra fields (merged into `testEvent`), and what AWS answers. */
export interface PatternCase {
  readonly name: string;
  readonly source: string;
  readonly pattern: unknown;
  readonly event?: Record<string, unknown>;
  readonly expected: Expectation;
}

/** `InvalidEventPatternException` with AWS's first message line. */
export const invalid = (reason: RegExp): { invalid: RegExp } => ({ invalid: reason });

/** Turns pattern cases into conformance cases that ask TestEventPattern. */
export const patternCases = (cases: readonly PatternCase[]): ConformanceCase<ConformanceTarget>[] =>
  cases.map(({ name, source, pattern, event, expected }) => ({
    name,
    source,
    run: async (t) => {
      const call = testPattern(t, pattern, testEvent(event));
      if (typeof expected === 'object') {
        const error = await call.then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toMatchObject({ name: 'InvalidEventPatternException' });
        const firstLine = String((error as Error).message).split('\n')[0];
        expect(firstLine).toMatch(expected.invalid);
      } else {
        expect(await call).toBe(expected === 'match');
      }
    },
  }));
