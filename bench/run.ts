import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Runs every `bench/*.bench.ts` one after the other (never in parallel: the machine has 2 cores) and prints, last,
 * one JSON line with each benchmark's own final JSON line. `npm run bench -- edge` runs those whose name contains
 * `edge`.
 */
const root = resolve(import.meta.dirname, '..');
const filter = process.argv[2] ?? '';
const files = readdirSync(resolve(root, 'bench'))
  .filter((name) => name.endsWith('.bench.ts') && name.includes(filter))
  .sort();

const runOne = (file: string): Promise<unknown> =>
  new Promise((done, fail) => {
    const child = spawn(resolve(root, 'node_modules/.bin/tsx'), [`bench/${file}`], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      output += chunk.toString('utf8');
    });
    child.once('exit', (code) => {
      const last = output.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return fail(new Error(`${file} exited with ${code}`));
      try {
        done(JSON.parse(last));
      } catch {
        fail(new Error(`${file} did not end with a JSON line`));
      }
    });
  });

const results: Record<string, unknown> = {};
for (const file of files) {
  console.log(`\n== ${file}`);
  results[file.replace('.bench.ts', '')] = await runOne(file);
}
console.log(JSON.stringify({ bench: 'all', results }));
