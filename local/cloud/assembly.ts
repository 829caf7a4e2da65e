import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../support/aws-protocol';

/** What goes into the app's synthesized templates and bundles: a change to any of these means a new synth. */
const SOURCE_ROOTS = [
  'infra',
  'functions',
  'shared',
  'packages',
  'cdk.json',
  'package-lock.json',
  'tsconfig.json',
] as const;
const FINGERPRINT_FILE = 'breakwater-fingerprint.txt';

/**
 * The alarm destination of the local cloud's deploy: an e-mail subscription on both alarm topics, which the local
 * SNS inbox records, so every notification can be read locally as the on-call address would receive it. (The app
 * refuses a stage without one; see `alarmDestinationsFrom` in infra/config.ts.)
 */
export const LOCAL_ALARM_EMAIL = 'oncall@breakwater.local';

/** Options of {@link synthesizeApp}. */
export interface SynthesizeOptions {
  /** Repository root. */
  readonly rootDirectory: string;
  /** Where the cloud assembly goes. Default: `<root>/.breakwater/cdk.out`. */
  readonly outDirectory?: string;
  /** CDK context (merged over cdk.json's). Default: `{ stage: 'dev', alarmEmail: LOCAL_ALARM_EMAIL }`. */
  readonly context?: Readonly<Record<string, string>>;
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
      .filter((entry) => entry.name !== 'node_modules' && !entry.name.startsWith('.'))
      .map((entry) => listFiles(join(path, entry.name))),
  );
  return nested.flat();
};

/** A content hash of everything the synthesized assembly depends on, plus the context. */
export const sourceFingerprint = async (
  rootDirectory: string,
  context: Readonly<Record<string, string>>,
): Promise<string> => {
  const hash = createHash('sha256').update(JSON.stringify(context));
  const files = (await Promise.all(SOURCE_ROOTS.map((root) => listFiles(join(rootDirectory, root)))))
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
  outDirectory: string,
  context: Record<string, unknown>,
): Promise<void> =>
  new Promise((resolve, reject) => {
    // The app runs as the CDK CLI would run it (cdk.json's `app`), with cdk.json's context and ours passed the way
    // the CLI passes them, so the local assembly is the one `cdk deploy` would deploy.
    const child = spawn(
      join(rootDirectory, 'node_modules/.bin/tsx'),
      // The workspace packages from their sources, as cdk.json's `app` runs them.
      ['--conditions=breakwater-source', 'infra/bin/app.ts'],
      {
        cwd: rootDirectory,
        env: {
          ...process.env,
          CDK_OUTDIR: outDirectory,
          CDK_CONTEXT_JSON: JSON.stringify(context),
          CDK_DEFAULT_ACCOUNT: LOCAL_ACCOUNT_ID,
          CDK_DEFAULT_REGION: LOCAL_REGION,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
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
 * Synthesizes the Breakwater CDK app into a cloud assembly, or reuses the last one when no source changed (the
 * fingerprint covers infra/, functions/, shared/, cdk.json, the lockfile and the context), which makes a warm start
 * of the local cloud a matter of seconds.
 */
export const synthesizeApp = async (options: SynthesizeOptions): Promise<SynthesizedApp> => {
  const started = Date.now();
  const { rootDirectory, log = () => {} } = options;
  const outDirectory = options.outDirectory ?? join(rootDirectory, '.breakwater', 'cdk.out');
  const own = options.context ?? {};
  const destination: Record<string, string> =
    'alarmEmail' in own || 'alarmEndpoint' in own || 'alarms' in own ? {} : { alarmEmail: LOCAL_ALARM_EMAIL };
  const context: Record<string, string> = { stage: 'dev', ...destination, ...own };
  const fingerprint = await sourceFingerprint(rootDirectory, context);
  const fingerprintPath = join(outDirectory, FINGERPRINT_FILE);
  if (!options.force && existsSync(fingerprintPath)) {
    const previous = await readFile(fingerprintPath, 'utf8').catch(() => '');
    if (previous === fingerprint && existsSync(join(outDirectory, 'manifest.json'))) {
      log(`reusing the cloud assembly in ${relative(rootDirectory, outDirectory)} (sources unchanged)`);
      return { assemblyDirectory: outDirectory, synthesized: false, durationMs: Date.now() - started };
    }
  }
  log('synthesizing the CDK app (bundling every function with esbuild)...');
  await rm(outDirectory, { recursive: true, force: true });
  await mkdir(outDirectory, { recursive: true });
  const cdkJson = JSON.parse(await readFile(join(rootDirectory, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  await runApp(rootDirectory, outDirectory, { ...cdkJson.context, ...context });
  await writeFile(fingerprintPath, fingerprint);
  const durationMs = Date.now() - started;
  log(`synthesized in ${(durationMs / 1000).toFixed(1)} s`);
  return { assemblyDirectory: outDirectory, synthesized: true, durationMs };
};
