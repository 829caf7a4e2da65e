import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../infra/paths';

// Promises that keep function bundles lean (bench/bundle-size.bench.ts measures the result) and the manifest true.

/** Tools run by npm scripts or the CLI, never imported: no import shows that they are used. */
const TOOLS = new Set([
  '@biomejs/biome',
  '@types/aws-lambda',
  '@types/node',
  'aws-cdk',
  'node',
  'tsx',
  'typescript',
]);

/** Every package a file names in an import, export-from, dynamic import or `resolve(...)` of its package.json. */
const packagesNamedIn = (text: string): string[] =>
  [...text.matchAll(/(?:from |import\(|resolve\()['"]((?:@[a-z0-9-]+\/)?[a-z0-9.-]+)(?:\/[^'"]*)?['"]/g)].map(
    (match) => match[1]!,
  );

const sourcesUnder = (folder: string): string[] =>
  readdirSync(join(repoRoot, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs)$/.test(entry.name))
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

  it('declares as dependencies exactly what production code imports, and nothing nobody imports', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const namedBy = (folders: string[]) =>
      new Set(folders.flatMap(sourcesUnder).flatMap((file) => packagesNamedIn(readFileSync(file, 'utf8'))));
    const production = namedBy(['functions', 'shared', 'infra']);
    const anywhere = new Set([...production, ...namedBy(['local', 'test', 'bench', 'bin'])]);
    const runtime = Object.keys(manifest.dependencies);
    // A runtime dependency is bundled into a function: production code must import it.
    expect(runtime.filter((name) => !production.has(name))).toEqual([]);
    // A development dependency is imported by something, or is a tool.
    expect(
      Object.keys(manifest.devDependencies).filter((name) => !anywhere.has(name) && !TOOLS.has(name)),
    ).toEqual([]);
  });
});
