import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../support/aws-protocol.js';

/** Folders never fingerprinted: dependencies, build output, and every dot folder (state, VCS). */
const SKIPPED = new Set(['node_modules', 'cdk.out', 'dist', 'coverage']);
const FINGERPRINT_FILE = 'local-cloud-fingerprint.txt';

/** Options of {@link synthesizeApp}; every default is documented. */
export interface SynthesizeOptions {
  /** The CDK app's directory (holds cdk.json). */
  readonly rootDirectory: string;
  /** The command that runs the app, as cdk.json's `app` writes it. Default: cdk.json's `app`. */
  readonly app?: string;
  /** Where the cloud assembly goes. Default: `<root>/.local-cloud/cdk.out`. */
  readonly outDirectory?: string;
  /** CDK context, merged over cdk.json's. Default: none. */
  readonly context?: Readonly<Record<string, string>>;
  /**
   * What the assembly depends on, relative to the root: a change to any of these files means a new synth. Default:
   * every file under the root but dependencies, build output and dot folders.
   */
  readonly sourceRoots?: readonly string[];
  /** Synthesize even when the sources have not changed since the last synth. Default: false. */
  readonly force?: boolean;
  readonly log?: (line: string) => void;
}

/** A synthesized cloud assembly on disk. */
export interface SynthesizedApp {
  readonly assemblyDirectory: string;
  /** False when an assembly of the same sources was reused. */
  readonly synthesized: boolean;
  readonly durationMs: number;
}

const listFiles = async (path: string): Promise<string[]> => {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return [];
  if (info.isFile()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((entry) => !SKIPPED.has(entry.name) && !entry.name.startsWith('.'))
      .map((entry) => listFiles(join(path, entry.name))),
  );
  return nested.flat();
};

/** A content hash of everything the synthesized assembly depends on, plus the app command and the context. */
export const sourceFingerprint = async (
  rootDirectory: string,
  context: Readonly<Record<string, string>>,
  { app = '', sourceRoots = ['.'] }: { readonly app?: string; readonly sourceRoots?: readonly string[] } = {},
): Promise<string> => {
  const hash = createHash('sha256').update(JSON.stringify({ app, context }));
  const files = (await Promise.all(sourceRoots.map((root) => listFiles(join(rootDirectory, root)))))
    .flat()
    .sort();
  for (const file of files) {
    hash
      .update(relative(rootDirectory, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  return hash.digest('hex');
};

const runApp = (
  rootDirectory: string,
  app: string,
  outDirectory: string,
  context: Record<string, unknown>,
): Promise<void> =>
  new Promise((resolve, reject) => {
    // The app runs as the CDK CLI runs it (a shell command), with cdk.json's context and ours passed the way the CLI
    // passes them, so the local assembly is the one `cdk deploy` would deploy.
    const child = spawn(app, {
      cwd: rootDirectory,
      shell: true,
      env: {
        ...process.env,
        CDK_OUTDIR: outDirectory,
        CDK_CONTEXT_JSON: JSON.stringify(context),
        CDK_DEFAULT_ACCOUNT: LOCAL_ACCOUNT_ID,
        CDK_DEFAULT_REGION: LOCAL_REGION,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`synthesizing the CDK app failed (exit ${code}):\n${output}`)),
    );
  });

/**
 * Synthesizes a CDK app into a cloud assembly, or reuses the last one when no source changed (the fingerprint covers
 * the source roots, the app command and the context), which makes a warm start of the local cloud a matter of seconds.
 */
export const synthesizeApp = async (options: SynthesizeOptions): Promise<SynthesizedApp> => {
  const started = Date.now();
  const { rootDirectory, log = () => {} } = options;
  const outDirectory = options.outDirectory ?? join(rootDirectory, '.local-cloud', 'cdk.out');
  const cdkJson = JSON.parse(await readFile(join(rootDirectory, 'cdk.json'), 'utf8').catch(() => '{}')) as {
    app?: string;
    context?: Record<string, unknown>;
  };
  const app = options.app ?? cdkJson.app;
  if (app === undefined) throw new Error(`no CDK app to synthesize: ${rootDirectory}/cdk.json has no "app"`);
  const context: Record<string, string> = { ...options.context };
  const fingerprint = await sourceFingerprint(rootDirectory, context, {
    app,
    ...(options.sourceRoots === undefined ? {} : { sourceRoots: options.sourceRoots }),
  });
  const fingerprintPath = join(outDirectory, FINGERPRINT_FILE);
  if (!options.force && existsSync(fingerprintPath)) {
    const previous = await readFile(fingerprintPath, 'utf8').catch(() => '');
    if (previous === fingerprint && existsSync(join(outDirectory, 'manifest.json'))) {
      log(`reusing the cloud assembly in ${relative(rootDirectory, outDirectory)} (sources unchanged)`);
      return { assemblyDirectory: outDirectory, synthesized: false, durationMs: Date.now() - started };
    }
  }
  log('synthesizing the CDK app...');
  await rm(outDirectory, { recursive: true, force: true });
  await mkdir(outDirectory, { recursive: true });
  await runApp(rootDirectory, app, outDirectory, { ...cdkJson.context, ...context });
  await writeFile(fingerprintPath, fingerprint);
  const durationMs = Date.now() - started;
  log(`synthesized in ${(durationMs / 1000).toFixed(1)} s`);
  return { assemblyDirectory: outDirectory, synthesized: true, durationMs };
};
