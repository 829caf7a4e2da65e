import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../infra/paths';

const run = promisify(execFile);

interface Diagnostic {
  readonly category: string;
  readonly location: { readonly path: string };
}

// `npm run lint` (a CI step) enforces that production code never imports local/, test/ or bench/: biome's
// noRestrictedImports, scoped to functions/, shared/, infra/ and packages/ in biome.json (a package's sources may not
// import anything outside the package; the local cloud, nested in folders, nothing of Breakwater's). This proves the rule bites: the
// repository's own configuration, over a scratch tree with one violation per production folder and the same
// imports where they are allowed.
describe('import boundaries (biome.json)', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'breakwater-boundaries-'));
    const config = JSON.parse(readFileSync(join(repoRoot, 'biome.json'), 'utf8')) as { vcs: object };
    writeFileSync(join(scratch, 'biome.json'), JSON.stringify({ ...config, vcs: { enabled: false } }));
    const files: Record<string, string> = {
      'shared/orders/uses-test.ts': "import { eventually } from '../../test/support/eventually';",
      'functions/billing/uses-local.ts':
        "import { startBreakwaterCloud } from '../../local/cloud/breakwater-cloud';",
      'infra/stacks/uses-bench.ts': "import { main } from '../../bench/run';",
      'local/cli/uses-test.ts': "import { eventually } from '../../test/support/eventually';",
      'test/unit/uses-local.ts': "import { startBreakwaterCloud } from '../../local/cloud/breakwater-cloud';",
      'bench/uses-local.ts': "import { startBreakwaterCloud } from '../local/cloud/breakwater-cloud';",
      'shared/orders/uses-shared.ts': "import { ConfigurationError } from '../errors';",
      'packages/dlq/src/uses-shared.ts': "import { ConfigurationError } from '../../../shared/errors';",
      'packages/dlq/src/uses-own.ts': "import { replayDlq } from './replay.js';",
      // The local cloud is generic: none of Breakwater's folders, app layer or other packages; its own nested files.
      'packages/local-cloud/src/cloud/uses-shared.ts':
        "import { ConfigurationError } from '../../../../shared/errors';",
      'packages/local-cloud/src/cloud/uses-app.ts':
        "import { startFakePaymentGateway } from '../../../../local/gateway';",
      'packages/local-cloud/src/status/uses-breaker.ts':
        "import { DynamoDbCircuitStore } from '@breakwater/circuit-breaker/dynamodb';",
      'packages/local-cloud/src/sqs/actions/uses-own.ts': "import { deadLetterLookup } from '../shared';",
      'local/cloud/uses-package.ts': "import { startLocalCloud } from '@breakwater/local-cloud';",
    };
    for (const [path, line] of Object.entries(files)) {
      mkdirSync(join(scratch, dirname(path)), { recursive: true });
      const name = line.match(/import \{ (\w+) \}/)?.[1];
      writeFileSync(join(scratch, path), `${line}\n\nexport const used = ${name};\n`);
    }
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('fails the lint on each production import of local/, test/ or bench/, and a package reaching outside itself', async () => {
    const biome = join(repoRoot, 'node_modules', '.bin', 'biome');
    const failed = await run(biome, ['lint', '--reporter=json', '.'], { cwd: scratch }).then(
      () => undefined,
      (error: { code?: number; stdout?: string }) => error,
    );

    expect(failed?.code).toBe(1);
    const report = JSON.parse(failed?.stdout ?? '{}') as { diagnostics: Diagnostic[] };
    const refused = report.diagnostics
      .filter((d) => d.category === 'lint/style/noRestrictedImports')
      .map((d) => d.location.path)
      .sort();
    expect(refused).toEqual([
      'functions/billing/uses-local.ts',
      'infra/stacks/uses-bench.ts',
      'packages/dlq/src/uses-shared.ts',
      'packages/local-cloud/src/cloud/uses-app.ts',
      'packages/local-cloud/src/cloud/uses-shared.ts',
      'packages/local-cloud/src/status/uses-breaker.ts',
      'shared/orders/uses-test.ts',
    ]);
    expect(report.diagnostics.filter((d) => d.category !== 'lint/style/noRestrictedImports')).toEqual([]);
  });
});
