import type { Environment } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { InfraConfigurationError } from './errors';

/**
 * What decides where `cdk deploy` lands, as the app sees it.
 *
 * The CDK CLI sets `CDK_DEFAULT_ACCOUNT` / `CDK_DEFAULT_REGION` for the app from its own resolution (`--profile` or
 * `AWS_PROFILE`, then `AWS_REGION` / `AWS_DEFAULT_REGION`, then the profile's config; us-east-1 when nothing says;
 * the account from the credentials) and overwrites any value exported by hand: `export CDK_DEFAULT_REGION=…` does
 * nothing for `cdk deploy`. Explicit context (`-c account=… -c region=…`) reaches the app untouched, so it wins.
 */
export interface DeployEnvironmentInputs {
  /** CDK context values `account` and `region` (`-c account=… -c region=…`, or cdk.json / cdk.context.json). */
  readonly context: { readonly account?: unknown; readonly region?: unknown };
  /** The process environment the CLI gave the app (`CDK_DEFAULT_ACCOUNT`, `CDK_DEFAULT_REGION`). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Where each part of the environment came from. */
export type EnvironmentSource = 'context' | 'cli' | 'none';

/** The environment of every stack, and where its parts came from. */
export interface ResolvedDeployEnvironment {
  /** Undefined when neither account nor region is known (environment-agnostic stacks). */
  readonly env: Environment | undefined;
  readonly accountFrom: EnvironmentSource;
  readonly regionFrom: EnvironmentSource;
}

const accountPattern = /^\d{12}$/;
const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

const contextValue = (name: 'account' | 'region', value: unknown, pattern: RegExp): string | undefined => {
  if (value === undefined || value === null || value === '') return undefined;
  const text = String(value).trim();
  if (!pattern.test(text)) {
    throw new InfraConfigurationError(
      `context "${name}"`,
      name === 'account'
        ? `"${text}" is not a 12-digit AWS account id`
        : `"${text}" is not an AWS region name (e.g. eu-west-1)`,
    );
  }
  return text;
};

const cliValue = (value: string | undefined): string | undefined => {
  const text = value?.trim();
  return text === undefined || text === '' ? undefined : text;
};

/**
 * Resolves the account and the region of every stack: explicit context first (`-c account=… -c region=…`), then
 * what the CDK CLI resolved (`CDK_DEFAULT_*`, from `--profile` / `AWS_REGION` / the profile). Each part resolves on
 * its own, so `-c region=eu-central-1` with credentials deploys to eu-central-1 in the credentials' account.
 * Throws `InfraConfigurationError` for a malformed context value rather than deploying somewhere unintended. Pure.
 */
export const resolveDeployEnvironment = ({
  context,
  env,
}: DeployEnvironmentInputs): ResolvedDeployEnvironment => {
  const contextAccount = contextValue('account', context.account, accountPattern);
  const contextRegion = contextValue('region', context.region, regionPattern);
  const account = contextAccount ?? cliValue(env.CDK_DEFAULT_ACCOUNT);
  const region = contextRegion ?? cliValue(env.CDK_DEFAULT_REGION);
  const from = (fromContext: string | undefined, resolved: string | undefined): EnvironmentSource =>
    fromContext !== undefined ? 'context' : resolved !== undefined ? 'cli' : 'none';
  return {
    env:
      account === undefined && region === undefined
        ? undefined
        : { ...(account === undefined ? {} : { account }), ...(region === undefined ? {} : { region }) },
    accountFrom: from(contextAccount, account),
    regionFrom: from(contextRegion, region),
  };
};

/** {@link resolveDeployEnvironment} for an app: its `account` and `region` context and this process's environment. */
export const deployEnvironmentOf = (
  scope: Construct,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedDeployEnvironment =>
  resolveDeployEnvironment({
    context: { account: scope.node.tryGetContext('account'), region: scope.node.tryGetContext('region') },
    env,
  });
