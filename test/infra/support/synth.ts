import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { addNagChecks, type BreakwaterStacks, buildBreakwater } from '../../../infra/breakwater';
import { type StageConfig, stageConfigFrom } from '../../../infra/config';
import { repoRoot } from '../../../infra/paths';

/** Account and region of the offline synth: the same dummy values CI passes to `cdk synth`. */
export const testEnv = { account: '000000000000', region: 'us-east-1' } as const;

/**
 * The alarm destination the tests deploy with unless they pass their own (`alarmEmail`, `alarmEndpoint` or
 * `alarms`): the app refuses a stage whose alarms would reach no one, and the tests check the shape a real deploy has.
 */
export const testAlarmEmail = 'oncall@example.com';

/** Options of {@link synthBreakwater}. */
export interface SynthOptions {
  /** Extra CDK context (`stage`, `alarmEmail`, ...). */
  readonly context?: Readonly<Record<string, unknown>>;
  /**
   * Run esbuild for every function. Off by default: templates are identical apart from asset hashes, and the
   * bundling itself is covered once by the app test.
   */
  readonly bundle?: boolean;
  /** Register the cdk-nag packs, so that synth throws on any unacknowledged finding. Default: false. */
  readonly nag?: boolean;
}

/** What one synth of the whole app gives a test file. */
export interface SynthResult {
  readonly app: App;
  readonly config: StageConfig;
  readonly stacks: BreakwaterStacks;
  readonly assembly: CloudAssembly;
  /** Template of each stack, by the key used in {@link BreakwaterStacks}. */
  readonly templates: Readonly<Record<keyof BreakwaterStacks, Template>>;
  /** Removes the temporary cloud assembly (call it in `afterAll`). */
  readonly cleanup: () => void;
}

/** The context of cdk.json, so that tests run with the same feature flags as `cdk synth`. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/**
 * Builds and synthesizes the whole app in process, as `infra/bin/app.ts` does, into a fresh temporary directory.
 * Call it once per test file (in `beforeAll`): synthesis bundles functions and is the slow part.
 */
export function synthBreakwater(options: SynthOptions = {}): SynthResult {
  const own = options.context ?? {};
  const destination =
    'alarmEmail' in own || 'alarmEndpoint' in own || 'alarms' in own ? {} : { alarmEmail: testAlarmEmail };
  const context: Record<string, unknown> = { ...cdkJsonContext(), ...destination, ...own };
  if (!options.bundle) {
    context['aws:cdk:bundling-stacks'] = [];
  }
  const outdir = mkdtempSync(join(tmpdir(), 'breakwater-cdk-'));
  const app = new App({ outdir, context });
  const config = stageConfigFrom(app);
  const stacks = buildBreakwater(app, { config, env: testEnv });
  if (options.nag) {
    addNagChecks(app);
  }
  const assembly = app.synth();
  const template = (key: keyof BreakwaterStacks): Template =>
    Template.fromJSON(assembly.getStackByName(stacks[key].stackName).template as Record<string, unknown>);
  const templates = {
    platform: template('platform'),
    operations: template('operations'),
    orders: template('orders'),
    billing: template('billing'),
    fulfilment: template('fulfilment'),
    replay: template('replay'),
  };
  const cleanup = (): void => rmSync(outdir, { recursive: true, force: true });
  return { app, config, stacks, assembly, templates, cleanup };
}
