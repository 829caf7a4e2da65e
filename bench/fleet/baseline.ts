/**
 * The breaker as it was before the coordination redesign, loaded from git in the same run, so that the benchmark's
 * baseline is that code itself rather than a reconstruction: `git archive` of `shared/` at the commit below into
 * `.breakwater/fleet-baseline/<commit>/` (inside the repository, so that its imports resolve against the same
 * node_modules), then imported through tsx.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CircuitBreaker, CircuitBreakerDependencies } from '@breakwater/circuit-breaker';

/** The last commit whose breaker synced once per container per interval (the fleet simulation's first commit). */
export const BASELINE_COMMIT = '742298e458987108aa1750c3376ed99c056f39cf';

/** Constructs a breaker: the current one, or the baseline's (same constructor shape). */
export type BreakerFactory = (circuitId: string, dependencies: CircuitBreakerDependencies) => CircuitBreaker;

const root = resolve(import.meta.dirname, '../..');

/** Loads the baseline's CircuitBreaker class, or throws when the commit is not in this clone. */
export const loadBaselineBreaker = async (): Promise<BreakerFactory> => {
  const directory = join(root, '.breakwater', 'fleet-baseline', BASELINE_COMMIT);
  if (!existsSync(join(directory, 'shared', 'circuit-breaker', 'index.ts'))) {
    mkdirSync(directory, { recursive: true });
    const archive = execFileSync('git', ['archive', BASELINE_COMMIT, 'shared'], {
      cwd: root,
      maxBuffer: 1 << 28,
    });
    execFileSync('tar', ['-x', '-C', directory], { input: archive });
  }
  const module = (await import(
    pathToFileURL(join(directory, 'shared', 'circuit-breaker', 'index.ts')).href
  )) as {
    CircuitBreaker: new (circuitId: string, dependencies: CircuitBreakerDependencies) => CircuitBreaker;
  };
  return (circuitId, dependencies) => new module.CircuitBreaker(circuitId, dependencies);
};
