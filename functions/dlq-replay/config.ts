import { intEnv } from '../../shared/config/env';
import { EnvNames } from '../../shared/config/env-names';

/** Settings of the DLQ replay function, read once per container. */
export interface DlqReplayConfig {
  /** Most messages one invocation replays. Default 1,000. */
  readonly maxMessages: number;
  /** Stop this many ms before the function times out, to release held messages and return the report. Default 15,000. */
  readonly safetyMarginMs: number;
  /** Parallel workers. Default 10. */
  readonly concurrency: number;
}

/** Reads the function's environment; throws `ConfigurationError` naming a malformed variable. */
export const loadConfig = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): DlqReplayConfig => ({
  maxMessages: intEnv(EnvNames.dlqReplayMaxMessages, 1_000, { min: 1, max: 100_000 }, env),
  safetyMarginMs: intEnv(EnvNames.dlqReplaySafetyMarginMs, 15_000, { min: 1_000, max: 600_000 }, env),
  concurrency: intEnv(EnvNames.dlqReplayConcurrency, 10, { min: 1, max: 50 }, env),
});
