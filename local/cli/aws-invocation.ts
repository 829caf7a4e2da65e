import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { LOCAL_CREDENTIALS } from '../../shared/operator-cli/local-cloud';

/*
 * `npm run aws -- <service> <command> ...`: the AWS CLI pointed at the running local cloud, in the spirit of
 * LocalStack's `awslocal`. It passes `--endpoint-url` itself, because the AWS CLI v1 and Debian's awscli 2.9 ignore
 * AWS_ENDPOINT_URL, and sets the region and dummy credentials unless the environment names its own.
 */

type Env = Readonly<Record<string, string | undefined>>;

/** The AWS CLI binary: BREAKWATER_AWS_CLI, else `aws` on PATH, else Debian's /usr/bin/aws. */
export const findAwsCli = (env: Env = process.env): string | undefined => {
  const candidates = [
    env.BREAKWATER_AWS_CLI,
    ...(env.PATH ?? '').split(delimiter).map((directory) => join(directory, 'aws')),
    '/usr/bin/aws',
  ].filter((path): path is string => path !== undefined && path !== '');
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
};

/** The argv and environment to run the AWS CLI with against an edge. Pure. */
export const awsInvocation = (
  args: readonly string[],
  edge: { readonly edgeUrl: string; readonly region: string },
  env: Env,
): { readonly args: string[]; readonly env: Record<string, string | undefined> } => {
  const namesEndpoint = args.some((arg) => arg === '--endpoint-url' || arg.startsWith('--endpoint-url='));
  const ownKeys = env.AWS_ACCESS_KEY_ID !== undefined;
  return {
    args: namesEndpoint ? [...args] : ['--endpoint-url', edge.edgeUrl, ...args],
    env: {
      ...env,
      AWS_REGION: env.AWS_REGION ?? edge.region,
      AWS_DEFAULT_REGION: env.AWS_DEFAULT_REGION ?? env.AWS_REGION ?? edge.region,
      ...(ownKeys
        ? {}
        : {
            AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
            AWS_SESSION_TOKEN: undefined,
            AWS_PROFILE: undefined,
          }),
    },
  };
};
