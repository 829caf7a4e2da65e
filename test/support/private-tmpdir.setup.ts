import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

// Each test file gets a temporary directory of its own (TMPDIR, which `os.tmpdir()` and the processes it starts
// read), removed after the file. Tests clean up what they make; this also catches what libraries make on their
// behalf, e.g. the `cdk.out*` directory of every CDK App created without an `outdir`.
const previous = process.env.TMPDIR;
const privateTmp = mkdtempSync(join(tmpdir(), 'breakwater-test-'));
process.env.TMPDIR = privateTmp;

afterAll(() => {
  if (previous === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previous;
  rmSync(privateTmp, { recursive: true, force: true });
});
