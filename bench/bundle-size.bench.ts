/**
 * Bundle size and init time of every function, as deployed: reads the synthesized cloud assembly (`cdk.out`, or
 * BENCH_ASSEMBLY) through `aws-cdk-lib/cx-api`, finds each `AWS::Lambda::Function`'s bundled asset, and reports its
 * size in KB and its init time: a cold `import()` of the bundle in a fresh Node process with the function's own
 * literal environment (NODE_OPTIONS included, so the source-map choice is paid as on Lambda), as CPU time (user +
 * system of that import: what a cold start pays on its share of a core, and steady when other processes load the
 * machine) and as wall time. The baseline, built and measured in the same run with the same esbuild settings, is a
 * hello-world handler. Goal: ≤ 400 KB each.
 *
 * BENCH_INIT_RUNS (default 7) cold imports per bundle, the median counts. Without an assembly, synthesizes one
 * (offline, dummy account and region). Prints a table, then LAST one JSON line with `maxBundleKb` and `initRatio`
 * (the slowest function's median init CPU time over the hello-world's; `initRatioWall` the same in wall time).
 *
 * Run: npm run bench -- bundle
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { build } from 'esbuild';
import { bundlingDefaults } from '../infra/defaults/functions';

const root = resolve(import.meta.dirname, '..');
const assemblyDirectory = resolve(root, process.env.BENCH_ASSEMBLY ?? 'cdk.out');
const runs = Math.max(1, Number(process.env.BENCH_INIT_RUNS ?? 7));
const goalKb = 400;

interface Bundle {
  readonly name: string;
  readonly file: string;
  readonly environment: Record<string, string>;
}

interface LambdaResource {
  readonly Type: string;
  readonly Metadata?: Record<string, unknown>;
  readonly Properties?: { Handler?: string; Environment?: { Variables?: Record<string, unknown> } };
}

const synthesize = (): void => {
  console.log(`no cloud assembly in ${assemblyDirectory}: synthesizing`);
  const result = spawnSync(
    resolve(root, 'node_modules/.bin/cdk'),
    ['synth', '--quiet', '-c', 'alarms=none', '-o', assemblyDirectory],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, CDK_DEFAULT_ACCOUNT: '000000000000', CDK_DEFAULT_REGION: 'us-east-1' },
    },
  );
  if (result.status !== 0) throw new Error(`cdk synth exited with ${result.status}`);
};

/** Only literal values: references resolve at deploy and do not change what the bundle does at import. */
const literalEnvironment = (variables: Record<string, unknown> = {}): Record<string, string> =>
  Object.fromEntries(
    Object.entries(variables).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );

const functionBundles = (): Bundle[] => {
  if (!existsSync(join(assemblyDirectory, 'manifest.json'))) synthesize();
  const assembly = new CloudAssembly(assemblyDirectory);
  return assembly.stacksRecursively.flatMap((stack) => {
    const resources = (stack.template as { Resources?: Record<string, LambdaResource> }).Resources ?? {};
    return Object.values(resources)
      .filter((resource) => resource.Type === 'AWS::Lambda::Function')
      .flatMap((resource) => {
        const assetPath = resource.Metadata?.['aws:asset:path'];
        const handler = resource.Properties?.Handler ?? 'index.handler';
        if (typeof assetPath !== 'string') return [];
        const file = join(
          stack.assembly.directory,
          assetPath,
          `${handler.slice(0, handler.lastIndexOf('.'))}.mjs`,
        );
        if (!existsSync(file)) return [];
        const cdkPath = String(resource.Metadata?.['aws:cdk:path'] ?? assetPath);
        return [
          {
            // `breakwater-dev-billing/Billing/Handler/Function/Resource` → `billing/Billing/Handler`
            name: cdkPath.replace(/^[^/]*-/, '').replace(/\/Function\/Resource$/, ''),
            file,
            environment: literalEnvironment(resource.Properties?.Environment?.Variables),
          },
        ];
      });
  });
};

/** The hello-world bundle: the same esbuild settings as every function, one trivial handler. */
const buildHelloWorld = async (directory: string): Promise<string> => {
  const entry = join(directory, 'hello.ts');
  writeFileSync(entry, "export const handler = async () => ({ statusCode: 200, body: 'hello' });\n");
  const outfile = join(directory, 'index.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: bundlingDefaults.target ?? 'node24',
    minify: bundlingDefaults.minify ?? false,
    sourcemap: bundlingDefaults.sourceMap ?? false,
    mainFields: bundlingDefaults.mainFields ?? ['module', 'main'],
    ...(bundlingDefaults.banner === undefined ? {} : { banner: { js: bundlingDefaults.banner } }),
    logLevel: 'silent',
  });
  return outfile;
};

const importScript = `
const started = performance.now();
const cpu = process.cpuUsage();
await import(process.argv[1]);
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - started }));
`;

interface InitTime {
  readonly cpuMs: number;
  readonly wallMs: number;
}

/** One cold import in a fresh process (plain Node, as Lambda's runtime loads a handler). */
const coldImport = (file: string, environment: Record<string, string>): InitTime => {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', importScript, file], {
    cwd: tmpdir(),
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'bench',
      // A dead address: nothing at import may call out.
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      ...environment,
    },
  });
  if (result.status !== 0) {
    throw new Error(`import of ${file} failed (${result.status}): ${result.stderr.slice(-1500)}`);
  }
  return JSON.parse(result.stdout) as InitTime;
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const measure = (file: string, environment: Record<string, string>): InitTime => {
  const samples = Array.from({ length: runs }, () => coldImport(file, environment));
  return {
    cpuMs: median(samples.map((sample) => sample.cpuMs)),
    wallMs: median(samples.map((sample) => sample.wallMs)),
  };
};

const kb = (file: string): number => Math.round((statSync(file).size / 1024) * 10) / 10;

const bundles = functionBundles();
if (bundles.length === 0) throw new Error(`no function bundles found in ${assemblyDirectory}`);
const scratch = mkdtempSync(join(tmpdir(), 'breakwater-bench-bundle-'));
try {
  const hello = await buildHelloWorld(scratch);
  // The functions' NODE_OPTIONS apply to the baseline too, so the ratio compares the bundles, not the flags.
  const sharedOptions = bundles[0]?.environment.NODE_OPTIONS;
  const helloEnvironment: Record<string, string> =
    sharedOptions === undefined ? {} : { NODE_OPTIONS: sharedOptions };
  const rows: { name: string; kb: number; init: InitTime }[] = [];
  // Alternate the baseline with the functions so that load on the machine affects both alike.
  const helloRuns: InitTime[] = [];
  for (const bundle of bundles) {
    helloRuns.push(measure(hello, helloEnvironment));
    rows.push({ name: bundle.name, kb: kb(bundle.file), init: measure(bundle.file, bundle.environment) });
  }
  const helloInit: InitTime = {
    cpuMs: median(helloRuns.map((run) => run.cpuMs)),
    wallMs: median(helloRuns.map((run) => run.wallMs)),
  };
  const helloKb = kb(hello);
  const round = (value: number) => Math.round(value * 10) / 10;

  const pad = (text: string, width: number) => text.padEnd(width);
  const width = Math.max(12, ...rows.map((row) => row.name.length)) + 2;
  const line = (name: string, size: number, init: InitTime) =>
    `${pad(name, width)}${pad(size.toFixed(1), 9)}${pad(init.cpuMs.toFixed(1), 13)}` +
    `${pad((init.cpuMs / helloInit.cpuMs).toFixed(1), 11)}${pad(init.wallMs.toFixed(1), 14)}` +
    `${(init.wallMs / helloInit.wallMs).toFixed(1)}`;
  console.log(
    `${pad('function', width)}${pad('KB', 9)}${pad('init CPU ms', 13)}${pad('ratio', 11)}${pad('init wall ms', 14)}ratio`,
  );
  for (const row of rows) console.log(line(row.name, row.kb, row.init));
  console.log(line('hello-world', helloKb, helloInit));

  const maxBundleKb = Math.max(...rows.map((row) => row.kb));
  const maxCpuMs = Math.max(...rows.map((row) => row.init.cpuMs));
  const maxWallMs = Math.max(...rows.map((row) => row.init.wallMs));
  const initRatio = Math.round((maxCpuMs / helloInit.cpuMs) * 100) / 100;
  const initRatioWall = Math.round((maxWallMs / helloInit.wallMs) * 100) / 100;
  console.log(
    `max ${maxBundleKb.toFixed(1)} KB (goal ≤ ${goalKb}: ${maxBundleKb <= goalKb ? 'met' : 'NOT met'}); ` +
      `slowest init ${maxCpuMs.toFixed(1)} ms CPU = ${initRatio}× hello-world (median of ${runs})`,
  );
  console.log(
    JSON.stringify({
      bench: 'bundle-size',
      functions: rows.length,
      maxBundleKb,
      goalKb,
      initRatio,
      initRatioWall,
      helloWorldKb: helloKb,
      helloWorldInitCpuMs: round(helloInit.cpuMs),
      helloWorldInitWallMs: round(helloInit.wallMs),
      bundles: Object.fromEntries(
        rows.map((row) => [
          row.name,
          { kb: row.kb, initCpuMs: round(row.init.cpuMs), initWallMs: round(row.init.wallMs) },
        ]),
      ),
    }),
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
