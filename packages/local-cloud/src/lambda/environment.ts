import { randomBytes } from 'node:crypto';
import type { FunctionDefinition } from './types.js';

/** How the runner sets up every function's environment. */
export interface RuntimeEnvironmentSettings {
  readonly region: string;
  /**
   * `AWS_ENDPOINT_URL` of every function: the local cloud's edge. When unset, functions talk to whatever the SDK
   * resolves (never set it to real AWS by accident: the fake credentials below would fail anyway).
   */
  readonly awsEndpointUrl?: string;
  /** Per-service endpoints, e.g. `{ DYNAMODB: 'http://127.0.0.1:8000' }` → `AWS_ENDPOINT_URL_DYNAMODB`. */
  readonly serviceEndpoints?: Readonly<Record<string, string>>;
  /** Applied last, to every function (e.g. `POWERTOOLS_DEV`). */
  readonly overrides?: Readonly<Record<string, string>>;
}

/** Lambda's log stream name: `YYYY/MM/DD/[$LATEST]<32 hex>`, one per execution environment. */
export const newLogStreamName = (now = new Date()): string =>
  `${now.toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`;

/**
 * The complete environment of one execution environment: the template's variables, then the variables Lambda
 * reserves (which a template cannot set), then the local endpoints and fake credentials, then the overrides.
 * Nothing is inherited from the runner's own process except `PATH`.
 */
export const buildFunctionEnvironment = (
  definition: FunctionDefinition,
  settings: RuntimeEnvironmentSettings,
  logStreamName: string,
): Record<string, string> => {
  const endpoints: Record<string, string> = {};
  if (settings.awsEndpointUrl !== undefined) endpoints.AWS_ENDPOINT_URL = settings.awsEndpointUrl;
  for (const [service, url] of Object.entries(settings.serviceEndpoints ?? {})) {
    endpoints[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] = url;
  }
  return {
    ...definition.environment,
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    _HANDLER: definition.handler,
    LAMBDA_TASK_ROOT: definition.codeDirectory,
    AWS_EXECUTION_ENV: `AWS_Lambda_${definition.runtime}`,
    AWS_REGION: settings.region,
    AWS_DEFAULT_REGION: settings.region,
    AWS_LAMBDA_FUNCTION_NAME: definition.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(definition.memorySizeMb),
    AWS_LAMBDA_LOG_GROUP_NAME: definition.logGroup ?? `/aws/lambda/${definition.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    ...(definition.logFormat === 'JSON'
      ? { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: definition.applicationLogLevel ?? 'INFO' }
      : {}),
    // Fake credentials, as LocalStack uses: the local cloud does not check signatures.
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_SESSION_TOKEN: 'test',
    ...endpoints,
    ...settings.overrides,
  };
};
