#!/usr/bin/env node
// `npm test`: three lanes side by side, so the suite's wall time is the longest lane's, not their sum: the system
// suite and its alarm tests (two projects, each on a local cloud of its own, each running its files one after another:
// they share their deployed app and break it on purpose), and the other four projects (their files two at a time).
// After them, alone, the few tests whose promises are times (`integration-alone`). Arguments (a file, `--project`,
// `-t`) run one plain `vitest run` instead.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const vitest = ['vitest', 'run'];
const args = process.argv.slice(2);
const lanes =
  args.length > 0
    ? [{ name: '', args: [...vitest, ...args] }]
    : [
        { name: 'system', args: [...vitest, '--project', 'system'] },
        { name: 'alarms', args: [...vitest, '--project', 'system-alarms'] },
        {
          name: 'others',
          args: [
            ...vitest,
            ...['unit', 'infra', 'conformance', 'integration'].flatMap((p) => ['--project', p]),
          ],
        },
      ];

const children = [];
const run = ({ name, args: laneArgs }) =>
  new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('npx', laneArgs, {
      stdio: lanes.length === 1 ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      env: process.env,
    });
    children.push(child);
    if (lanes.length > 1) {
      // Each line keeps its lane's name, so the two live reports can be told apart.
      for (const stream of [child.stdout, child.stderr]) {
        const target = stream === child.stdout ? process.stdout : process.stderr;
        createInterface({ input: stream }).on('line', (line) => target.write(`[${name}] ${line}\n`));
      }
    }
    child.once('exit', (code, signal) =>
      resolve({ name, code: code ?? (signal === null ? 1 : 128), seconds: (Date.now() - started) / 1000 }),
    );
  });

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
  });
}

const results = await Promise.all(lanes.map(run));
// Then, alone on the machine, the tests whose promises are times (see ALONE_TESTS in vitest.config.ts).
if (lanes.length > 1)
  results.push(await run({ name: 'alone', args: [...vitest, '--project', 'integration-alone'] }));
if (lanes.length > 1) {
  for (const { name, code, seconds } of results)
    process.stdout.write(
      `\n${name}: ${code === 0 ? 'passed' : `failed (exit ${code})`} in ${seconds.toFixed(0)} s`,
    );
  process.stdout.write('\n');
}
process.exit(results.some(({ code }) => code !== 0) ? 1 : 0);
