import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBreakwater } from '../../infra/breakwater';
import { stageConfigFrom } from '../../infra/config';
import { type DeployEnvironmentInputs, resolveDeployEnvironment } from '../../infra/deploy-environment';
import { InfraConfigurationError } from '../../infra/errors';
import { repoRoot } from '../../infra/paths';

const run = promisify(execFile);

// Where `cdk deploy` lands for each form README.md documents. The CDK CLI (the project's own, node_modules/.bin/cdk)
// runs a probe app that records what the CLI hands an app (CDK_DEFAULT_*, the context); the app's resolver then
// turns those inputs into the stacks' environment. Offline: a throw-away HOME and AWS config, no credentials.

/** The probe: records its inputs, then writes an empty cloud assembly (the CLI then reports "no stacks"). */
const PROBE = `
import { writeFileSync } from 'node:fs';
writeFileSync(process.env.PROBE_OUT, JSON.stringify({
  env: { CDK_DEFAULT_ACCOUNT: process.env.CDK_DEFAULT_ACCOUNT, CDK_DEFAULT_REGION: process.env.CDK_DEFAULT_REGION },
  context: JSON.parse(process.env.CDK_CONTEXT_JSON ?? '{}'),
}));
writeFileSync(process.env.CDK_OUTDIR + '/manifest.json', JSON.stringify({ version: '36.0.0', artifacts: {} }));
`;

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'breakwater-deploy-forms-'));
  writeFileSync(join(dir, 'probe.mjs'), PROBE);
  // A profile with a region, as `aws configure --profile deploy` writes it; no credentials anywhere.
  writeFileSync(join(dir, 'config'), '[profile deploy]\nregion = eu-north-1\n');
  writeFileSync(join(dir, 'credentials'), '');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `cdk synth` the way an operator would run `cdk deploy`, and returns what the app was given. */
const cliInputs = async (
  name: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<DeployEnvironmentInputs> => {
  const out = join(dir, `${name}.json`);
  await run(
    process.execPath,
    [
      join(repoRoot, 'node_modules/aws-cdk/bin/cdk'),
      'synth',
      '--app',
      `"${process.execPath}" probe.mjs`,
      '--output',
      join(dir, `${name}.out`),
      '--no-notices',
      '--quiet',
      ...args,
    ],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        AWS_CONFIG_FILE: join(dir, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
        CDK_DISABLE_VERSION_CHECK: '1',
        PROBE_OUT: out,
        ...env,
      },
    },
  ).catch(() => undefined); // exit 1: "This app contains no stacks" (the probe defines none)
  const recorded = JSON.parse(readFileSync(out, 'utf8')) as DeployEnvironmentInputs;
  return { env: recorded.env, context: recorded.context };
};

describe('deploy forms documented in README.md, through the CDK CLI', () => {
  // One CLI run per form, in parallel (about 2 s each).
  let forms: Record<'awsRegion' | 'profile' | 'context' | 'exported', DeployEnvironmentInputs>;
  beforeAll(async () => {
    const [awsRegion, profile, context, exported] = await Promise.all([
      cliInputs('aws-region', [], { AWS_REGION: 'eu-west-1' }),
      cliInputs('profile', ['--profile', 'deploy']),
      cliInputs('context', ['-c', 'region=eu-central-1', '-c', 'account=123456789012'], {
        AWS_REGION: 'us-west-2',
        CDK_DEFAULT_ACCOUNT: '999999999999',
      }),
      cliInputs('exported', [], { CDK_DEFAULT_REGION: 'eu-west-1' }),
    ]);
    forms = { awsRegion, profile, context, exported };
  }, 60_000);

  it('AWS_REGION=eu-west-1 npx cdk deploy: eu-west-1 (the account comes from the credentials)', () => {
    expect(resolveDeployEnvironment(forms.awsRegion)).toMatchObject({
      env: { region: 'eu-west-1' },
      regionFrom: 'cli',
    });
  });

  it("npx cdk deploy --profile deploy: the profile's region", () => {
    expect(resolveDeployEnvironment(forms.profile)).toMatchObject({
      env: { region: 'eu-north-1' },
      regionFrom: 'cli',
    });
  });

  it('npx cdk deploy -c region=eu-central-1 -c account=123456789012: exactly that, over what the CLI resolved', () => {
    expect(forms.context.env.CDK_DEFAULT_REGION).toBe('us-west-2');
    expect(resolveDeployEnvironment(forms.context)).toEqual({
      env: { account: '123456789012', region: 'eu-central-1' },
      accountFrom: 'context',
      regionFrom: 'context',
    });
  });

  it('export CDK_DEFAULT_REGION=eu-west-1 does nothing: the CLI replaces it (us-east-1 without a profile)', () => {
    expect(resolveDeployEnvironment(forms.exported).env?.region).toBe('us-east-1');
  });

  it('builds every stack in the resolved environment', () => {
    const { env } = resolveDeployEnvironment(forms.context);
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [], alarms: 'none' } });
    const stacks = buildBreakwater(app, {
      config: stageConfigFrom(app),
      ...(env === undefined ? {} : { env }),
    });
    for (const stack of Object.values(stacks)) {
      expect([stack.account, stack.region], stack.stackName).toEqual(['123456789012', 'eu-central-1']);
    }
  });
});

describe('resolveDeployEnvironment', () => {
  it('takes each part from context first, then from the CLI, independently', () => {
    expect(
      resolveDeployEnvironment({
        context: { region: 'ap-southeast-2' },
        env: { CDK_DEFAULT_ACCOUNT: '111111111111', CDK_DEFAULT_REGION: 'us-east-1' },
      }),
    ).toEqual({
      env: { account: '111111111111', region: 'ap-southeast-2' },
      accountFrom: 'cli',
      regionFrom: 'context',
    });
  });

  it('leaves the stacks environment-agnostic when nothing names an account or a region', () => {
    expect(resolveDeployEnvironment({ context: {}, env: { CDK_DEFAULT_REGION: ' ' } })).toEqual({
      env: undefined,
      accountFrom: 'none',
      regionFrom: 'none',
    });
  });

  it('rejects a malformed account or region instead of deploying somewhere unintended', () => {
    expect(() => resolveDeployEnvironment({ context: { account: '1234' }, env: {} })).toThrow(
      InfraConfigurationError,
    );
    expect(() => resolveDeployEnvironment({ context: { region: 'Europe' }, env: {} })).toThrow(
      /context "region": "Europe" is not an AWS region name/,
    );
  });
});
