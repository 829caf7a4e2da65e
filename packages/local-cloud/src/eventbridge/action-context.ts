import type { Scope } from './arns.js';
import { AwsErrors } from './aws-errors.js';
import type { Input } from './input.js';
import { type CompiledEventPattern, compileEventPattern, EventPatternError } from './pattern.js';
import type { RoutingContext } from './router.js';
import type { ScheduleRunner } from './schedule-runner.js';
import type { EventBridgeStore } from './store.js';

/** What every action handler receives: its input, the state of its region and account, and the router. */
export interface ActionContext {
  readonly input: Input;
  readonly scope: Scope;
  readonly store: EventBridgeStore;
  /** Epoch milliseconds when the request arrived. */
  readonly now: number;
  /** The clock, for work that outlives the request (replays). */
  readonly clock: () => number;
  readonly routing: RoutingContext;
  /** Runs work after the response (a replay); `whenIdle()` waits for it. */
  readonly startTask: (task: () => Promise<void>) => void;
  /** Waits `ms` for work that outlives the request; resolves false at once if the emulator closes meanwhile. */
  readonly sleep: (ms: number) => Promise<boolean>;
  /** How long a replay stays STARTING before it runs (AWS takes minutes; locally a moment). */
  readonly replayStartDelayMs: number;
  /** The schedules of rules with a ScheduleExpression: re-armed by the rule actions. */
  readonly schedules: Pick<ScheduleRunner, 'sync' | 'remove'>;
}

/** An action: input in, response body out (or an `AwsServiceError` thrown). */
export type Action = (context: ActionContext) => unknown;

/** EventBridge's limit on the length of an event pattern. */
export const MAX_EVENT_PATTERN_LENGTH = 4096;

/** Compiles an EventPattern member, turning a bad pattern into `InvalidEventPatternException`. */
export const compilePatternMember = (text: string): CompiledEventPattern => {
  if (text.length > MAX_EVENT_PATTERN_LENGTH) {
    throw AwsErrors.constraint(
      `Value at 'eventPattern' failed to satisfy constraint: Member must have length less than or equal to ${MAX_EVENT_PATTERN_LENGTH}`,
    );
  }
  try {
    return compileEventPattern(text);
  } catch (error) {
    if (error instanceof EventPatternError) throw AwsErrors.invalidPattern(error.message);
    throw error;
  }
};

/** Keeps the properties whose value is defined, so responses carry no `undefined` members. */
export const defined = (record: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
