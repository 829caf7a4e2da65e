import childProcess from 'node:child_process';
import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

// The `unit` project is pure logic: a unit test that listens on a socket, makes a temporary directory or starts a
// process fails here with a pointer to the `integration` project, instead of passing while leaving things behind.
const refuse = (what: string) => () => {
  throw new Error(`${what} in a unit test: move the test to test/integration (the unit project does no I/O)`);
};

net.Server.prototype.listen = refuse('listening on a socket') as typeof net.Server.prototype.listen;
fs.mkdtempSync = refuse('a temporary directory') as typeof fs.mkdtempSync;
fs.mkdtemp = refuse('a temporary directory') as unknown as typeof fs.mkdtemp;
fsPromises.mkdtemp = refuse('a temporary directory') as typeof fsPromises.mkdtemp;
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
  (childProcess as unknown as Record<string, unknown>)[name] = refuse(`child_process.${name}`);
}
syncBuiltinESMExports();
