import { vi } from 'vitest';

/** Options of {@link eventually}. */
export interface EventuallyOptions {
  /** How long to keep polling. Default: 30 s (a loaded machine is slow; the bound is generous on purpose). */
  readonly timeoutMs?: number;
  /** Pause between two probes. Default: 250 ms. */
  readonly intervalMs?: number;
}

/**
 * The one polling helper of the test suites: `vi.waitFor` over a probe that answers `undefined` while the
 * condition does not hold yet (a probe that throws is retried too). Resolves with the probe's first other value;
 * on timeout rejects with the probe's last error, prefixed by `what`.
 */
export const eventually = <T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  { timeoutMs = 30_000, intervalMs = 250 }: EventuallyOptions = {},
): Promise<T> =>
  vi.waitFor(
    async () => {
      const value = await probe();
      if (value === undefined) throw new Error(`not yet (after ${timeoutMs} ms)`);
      return value;
    },
    { timeout: timeoutMs, interval: intervalMs, message: `waiting for ${what}` },
  );
