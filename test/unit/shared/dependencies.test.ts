import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../infra/paths';

// Two promises that keep function bundles lean (bench/bundle-size.bench.ts measures the result).

const sourcesUnder = (folder: string): string[] =>
  readdirSync(join(repoRoot, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));

describe('bundle hygiene', () => {
  it('installs one version of every Powertools package, with no nested copy (two would bundle commons twice)', () => {
    const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string }>;
    };
    const powertools = Object.entries(lock.packages).filter(([path]) =>
      /node_modules\/@aws-lambda-powertools\/(?!jmespath)[^/]+$/.test(path),
    );
    expect(powertools.length).toBeGreaterThanOrEqual(7);
    expect(
      powertools.filter(([path]) => path.split('node_modules/').length > 2).map(([path]) => path),
    ).toEqual([]);
    expect(new Set(powertools.map(([, entry]) => entry.version)).size).toBe(1);
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const ranges = Object.entries(manifest.dependencies).filter(([name]) =>
      name.startsWith('@aws-lambda-powertools/'),
    );
    expect(new Set(ranges.map(([, range]) => range)).size).toBe(1);
  });

  it('imports zod in function code only through shared/contracts/zod.ts (zod/mini, English messages)', () => {
    const offenders = [...sourcesUnder('shared'), ...sourcesUnder('functions')]
      .filter((file) => !file.endsWith(join('shared', 'contracts', 'zod.ts')))
      .filter((file) => /from ['"]zod(\/[a-z0-9-]+)*['"]/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(repoRoot, file));
    expect(offenders).toEqual([]);
  });
});
