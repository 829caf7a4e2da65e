import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ENDPOINTS_FILE, LOCAL_CREDENTIALS, STATE_DIR_ENV } from '../../shared/operator-cli/local-cloud';
import type { BreakwaterCloudEndpoints } from '../cloud/breakwater-cloud';

/** The sourceable environment file `npm start` writes next to `endpoints.json`. */
export const ENV_FILE = 'local.env';

const quote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

/**
 * The lines of the env file: what any AWS SDK, the AWS CLI ≥ 2.13 and the operator CLIs need to reach the local
 * cloud (endpoint, region, dummy credentials), and where its state directory is. Pure.
 */
export const renderEnvFile = (endpoints: BreakwaterCloudEndpoints, stateDirectory: string): string => {
  const variables: Record<string, string> = {
    AWS_ENDPOINT_URL: endpoints.edgeUrl,
    AWS_REGION: endpoints.region,
    AWS_DEFAULT_REGION: endpoints.region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    [STATE_DIR_ENV]: stateDirectory,
    BREAKWATER_API_URL: endpoints.apiUrl,
  };
  return [
    '# The running Breakwater local cloud: endpoint, region and dummy credentials (written by `npm start`).',
    '# Use: source this file. The AWS CLI before 2.13 ignores AWS_ENDPOINT_URL: use `npm run aws -- ...` there.',
    // A session token or profile left in the shell would be sent along or win over the keys: drop them.
    'unset AWS_SESSION_TOKEN AWS_PROFILE',
    ...Object.entries(variables).map(([name, value]) => `export ${name}=${quote(value)}`),
    '',
  ].join('\n');
};

/** How a user types a path: relative when it is under the directory `npm` was run from. */
export const displayPath = (path: string, cwd: string = process.env.INIT_CWD ?? process.cwd()): string => {
  const fromCwd = relative(cwd, path);
  return fromCwd !== '' && !fromCwd.startsWith('..') && !fromCwd.startsWith(sep) ? fromCwd : path;
};

/** Writes `endpoints.json` and `local.env` into the state directory; returns their paths. */
export const writeClientFiles = async (
  stateDirectory: string,
  endpoints: BreakwaterCloudEndpoints,
): Promise<{ readonly endpointsFile: string; readonly envFile: string }> => {
  await mkdir(stateDirectory, { recursive: true });
  const endpointsFile = join(stateDirectory, ENDPOINTS_FILE);
  const envFile = join(stateDirectory, ENV_FILE);
  await writeFile(endpointsFile, `${JSON.stringify(endpoints, null, 2)}\n`);
  await writeFile(envFile, renderEnvFile(endpoints, stateDirectory));
  return { endpointsFile, envFile };
};
