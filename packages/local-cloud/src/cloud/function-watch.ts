import { existsSync, type FSWatcher, readdirSync, readFileSync, watch } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { BuildContext, BuildOptions } from 'esbuild';
import type { LambdaRunner } from '../lambda/index.js';
import type { FunctionDefinition } from '../lambda/types.js';

/**
 * Watch mode (`npm start -- --watch`): each function's bundle is rebuilt with an incremental esbuild context when a
 * source file it includes changes, written over its code directory, and the runner reloads that function alone:
 * its next invocation starts on the new code, while queues, tables, Redis and the gateway's ledger stay as they
 * were. Only code changes are watched; an infrastructure change still needs a restart.
 */

/** The esbuild options of the app's bundles, as infra/defaults/functions.ts gives them to CDK. */
const BUNDLE_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  external: ['@aws-sdk/*'],
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  metafile: true,
  logLevel: 'silent',
};

/** The handler source a bundle was built from, read from its source map (`functions/<name>/handler.ts`). */
export const entryOfBundle = (codeDirectory: string, rootDirectory: string): string | undefined => {
  const mapFile = join(codeDirectory, 'index.mjs.map');
  if (!existsSync(mapFile)) return undefined;
  const { sources = [] } = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources?: string[] };
  const source = sources.find(
    (path) => !path.includes('node_modules') && /(^|\/)functions\/[^/]+\/handler\.ts$/.test(path),
  );
  const name = source === undefined ? undefined : /functions\/([^/]+)\/handler\.ts$/.exec(source)?.[1];
  const entry = name === undefined ? undefined : join(rootDirectory, 'functions', name, 'handler.ts');
  return entry !== undefined && existsSync(entry) ? entry : undefined;
};

/** One reload, for the log and for tests. */
export interface FunctionReload {
  readonly functionName: string;
  readonly changed: string;
  /** From the file change to the function reloaded. */
  readonly ms: number;
  readonly error?: string;
}

/** Options of {@link startFunctionWatch}. */
export interface FunctionWatchOptions {
  readonly rootDirectory: string;
  readonly functions: readonly FunctionDefinition[];
  readonly runner: LambdaRunner;
  /** Folders to watch, relative to the root; default `functions` and `shared`. */
  readonly directories?: readonly string[];
  readonly onReload?: (reload: FunctionReload) => void;
}

interface Watched {
  readonly definition: FunctionDefinition;
  readonly context: BuildContext;
  inputs: Set<string>;
}

/** Starts watching; `stop()` closes the watchers and esbuild contexts. */
export const startFunctionWatch = async (
  options: FunctionWatchOptions,
): Promise<{ readonly watching: readonly string[]; stop(): Promise<void> }> => {
  const esbuild = await import('esbuild');
  const root = resolve(options.rootDirectory);
  const watched: Watched[] = [];
  for (const definition of options.functions) {
    const entry = entryOfBundle(definition.codeDirectory, root);
    if (entry === undefined || !definition.handler.startsWith('index.')) continue;
    const context = await esbuild.context({
      ...BUNDLE_OPTIONS,
      absWorkingDir: root,
      entryPoints: [entry],
      outfile: join(definition.codeDirectory, 'index.mjs'),
    });
    const first = await context.rebuild();
    watched.push({ definition, context, inputs: new Set(Object.keys(first.metafile?.inputs ?? {})) });
  }
  let pending = Promise.resolve();
  // An editor's save is often several events: changes within a few milliseconds are one rebuild.
  const changedFiles = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  const changed = (path: string) => {
    const file = relative(root, path);
    if (!changedFiles.has(file)) changedFiles.set(file, Date.now());
    timer ??= setTimeout(flush, 25);
  };
  const flush = () => {
    timer = undefined;
    const files = [...changedFiles.entries()];
    changedFiles.clear();
    const at = Math.min(...files.map(([, seen]) => seen));
    const file = files.map(([name]) => name).join(', ');
    const affected = watched.filter((entry) => files.some(([name]) => entry.inputs.has(name)));
    pending = pending.then(async () => {
      for (const entry of affected) {
        const functionName = entry.definition.functionName;
        try {
          const result = await entry.context.rebuild();
          entry.inputs = new Set(Object.keys(result.metafile?.inputs ?? {}));
          await options.runner.reload(functionName);
          options.onReload?.({ functionName, changed: file, ms: Date.now() - at });
        } catch (error) {
          const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
          options.onReload?.({ functionName, changed: file, ms: Date.now() - at, error: message });
        }
      }
    });
  };
  // One watcher per directory, not a recursive one: on Linux a recursive watcher follows files, and loses a file an
  // editor saves by renaming a new one over it (sed -i, vim); a directory's own watcher sees that rename.
  const directories = (options.directories ?? ['functions', 'shared'])
    .map((directory) => join(root, directory))
    .filter((directory) => existsSync(directory))
    .flatMap((directory) => [
      directory,
      ...readdirSync(directory, { recursive: true, withFileTypes: true })
        .filter(
          (entry) =>
            entry.isDirectory() &&
            !entry.parentPath.includes('node_modules') &&
            entry.name !== 'node_modules',
        )
        .map((entry) => join(entry.parentPath, entry.name)),
    ]);
  const watchers: FSWatcher[] = directories.map((directory) =>
    watch(directory, (_, name) => {
      if (name?.endsWith('.ts')) changed(join(directory, name));
    }),
  );
  return {
    watching: watched.map((entry) => entry.definition.functionName),
    stop: async () => {
      for (const watcher of watchers) watcher.close();
      if (timer !== undefined) clearTimeout(timer);
      await pending;
      await Promise.all(watched.map((entry) => entry.context.dispose()));
    },
  };
};
