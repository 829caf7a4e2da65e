import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../infra/paths';

// semver is npm's own range language; it is installed by the toolchain (not a dependency of the app).
const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
};

const read = (file: string): string => readFileSync(join(repoRoot, file), 'utf8');

describe('the Node a user needs', () => {
  const readmeNode = /with Node\.js (\d+)\b/.exec(read('README.md'))?.[1];

  it('is the same in the README quick start and in package.json engines', () => {
    expect(readmeNode).toBeDefined();
    const manifest = JSON.parse(read('package.json')) as { engines: { node: string } };
    expect(manifest.engines.node).toBe(`>=${readmeNode}`);
  });

  it('satisfies every locked package, so npm ci prints no engine warning on it', () => {
    const lock = JSON.parse(read('package-lock.json')) as {
      packages: Record<string, { engines?: { node?: string } | string[] }>;
    };
    const refusing = Object.entries(lock.packages)
      .map(([path, entry]) => ({
        path,
        range: Array.isArray(entry.engines) ? undefined : entry.engines?.node,
      }))
      .filter(({ range }) => range !== undefined && !semver.satisfies(`${readmeNode}.0.0`, range))
      .map(({ path, range }) => `${path || '(root)'} ${range}`);
    expect(refusing).toEqual([]);
  });
});
