import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * What the operator CLIs know of a running local cloud: `npm start` writes `<state dir>/endpoints.json` (default
 * `.breakwater`, or `BREAKWATER_STATE_DIR`). Only its edge URL, region and stack outputs are read here, so the CLIs
 * never import the local cloud itself.
 */
export interface LocalCloudFile {
  readonly edgeUrl: string;
  readonly region: string;
  /** Every stack output of the deployed app, by output key. */
  readonly outputs: Readonly<Record<string, string>>;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The environment variable naming the local cloud's state directory (`npm start -- --state-dir`). */
export const STATE_DIR_ENV = 'BREAKWATER_STATE_DIR';

/** The endpoints file's name inside the state directory. */
export const ENDPOINTS_FILE = 'endpoints.json';

/** Dummy credentials: the local cloud checks no signature, but every SDK and the AWS CLI need some to sign. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** The state directory: `BREAKWATER_STATE_DIR` (relative to `cwd`), else `<cwd>/.breakwater`. */
export const stateDirectory = (env: Env = process.env, cwd: string = process.cwd()): string => {
  const given = env[STATE_DIR_ENV]?.trim();
  if (given) return isAbsolute(given) ? given : resolve(cwd, given);
  return join(cwd, '.breakwater');
};

/** True for `localhost`, `127.0.0.0/8` and `::1`: an endpoint on this machine. */
export const isLoopbackEndpoint = (endpoint: string): boolean => {
  let host: string;
  try {
    host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
  );
};

const portOf = (url: URL): string => url.port || (url.protocol === 'https:' ? '443' : '80');

/** True when both URLs are loopback endpoints on the same port (127.0.0.1 and localhost are the same machine). */
export const sameLoopbackEndpoint = (a: string, b: string): boolean => {
  if (!isLoopbackEndpoint(a) || !isLoopbackEndpoint(b)) return false;
  return portOf(new URL(a)) === portOf(new URL(b));
};

const isRecordOfStrings = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  Object.values(value).every((entry) => typeof entry === 'string');

/** Reads the endpoints file of the state directory; undefined when there is none or it is not one. */
export const readLocalCloudFile = (directory: string = stateDirectory()): LocalCloudFile | undefined => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(directory, ENDPOINTS_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  const { edgeUrl, region, outputs } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof edgeUrl !== 'string' || typeof region !== 'string' || !isRecordOfStrings(outputs))
    return undefined;
  return { edgeUrl, region, outputs };
};

/** How a CLI reaches AWS or the local cloud, after the local cloud's defaults were applied. */
export interface ResolvedConnection {
  readonly region?: string;
  readonly endpoint?: string;
  /** Set only for a loopback endpoint when the environment names no credentials: the local dummy ones. */
  readonly credentials?: typeof LOCAL_CREDENTIALS;
  /** The local cloud's stack outputs when the endpoint is the edge of the cloud the endpoints file describes. */
  readonly localOutputs?: Readonly<Record<string, string>>;
}

/**
 * Applies the local cloud's defaults. With a loopback endpoint (`--endpoint-url`, else `AWS_ENDPOINT_URL`): the
 * region defaults to the endpoints file's (else us-east-1), credentials to dummy ones when the environment names none
 * (no keys, no profile), and when the endpoints file describes that very edge its outputs name tables and queues.
 * Any other endpoint, or none, is AWS: nothing is defaulted.
 */
export const resolveConnection = (
  explicit: { readonly region?: string; readonly endpoint?: string },
  env: Env = process.env,
  cwd: string = process.cwd(),
): ResolvedConnection => {
  const endpoint = explicit.endpoint ?? env.AWS_ENDPOINT_URL;
  const region = explicit.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (endpoint === undefined || !isLoopbackEndpoint(endpoint)) {
    return {
      ...(region === undefined ? {} : { region }),
      ...(explicit.endpoint === undefined ? {} : { endpoint }),
    };
  }
  const file = readLocalCloudFile(stateDirectory(env, cwd));
  const running = file !== undefined && sameLoopbackEndpoint(file.edgeUrl, endpoint) ? file : undefined;
  const namedCredentials =
    env.AWS_ACCESS_KEY_ID !== undefined ||
    env.AWS_PROFILE !== undefined ||
    env.AWS_WEB_IDENTITY_TOKEN_FILE !== undefined;
  return {
    region: region ?? running?.region ?? 'us-east-1',
    endpoint,
    ...(namedCredentials ? {} : { credentials: LOCAL_CREDENTIALS }),
    ...(running === undefined ? {} : { localOutputs: running.outputs }),
  };
};
