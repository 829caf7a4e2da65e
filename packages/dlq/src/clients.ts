import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ReplayClients } from './senders.js';

/**
 * How to reach AWS; everything else comes from the SDK's usual chain (env, profile, instance role).
 *
 * @example
 * ```ts
 * const clients = createClients({ region: 'eu-west-1', endpoint: 'http://localhost:4566' });
 * ```
 */
export interface ClientSettings {
  /** Region; default from AWS_REGION / the profile, or `us-east-1` when an endpoint override is set. */
  readonly region?: string;
  /** Endpoint override for every service (`--endpoint-url`); AWS_ENDPOINT_URL(_SQS) work as usual without it. */
  readonly endpoint?: string;
  /** Credentials of every client. Default: the SDK's chain (environment, profile, instance role). */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
}

type Env = Readonly<Record<string, string | undefined>>;

/** The endpoint override in force for a service: explicit, `AWS_ENDPOINT_URL_<SERVICE>`, or `AWS_ENDPOINT_URL`. */
export const endpointOverride = (service: string, settings: ClientSettings, env: Env): string | undefined =>
  settings.endpoint ?? env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL;

/**
 * Builds the SDK clients the tool uses: the same code then runs against AWS, LocalStack or the local cloud by
 * ordinary SDK configuration. With an endpoint override, the SQS client sends to that endpoint even when queue
 * URLs name another host (emulators hand out URLs such as `http://sqs.us-east-1.localhost:4566/...`).
 *
 * @example
 * ```ts
 * import { createClients, replayDlq } from '@breakwater/dlq';
 *
 * const report = await replayDlq(createClients({ region: 'eu-west-1' }), 'billing-dlq');
 * ```
 */
export const createClients = (settings: ClientSettings = {}, env: Env = process.env): ReplayClients => {
  const local = endpointOverride('SQS', settings, env) !== undefined;
  const region =
    settings.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (local ? 'us-east-1' : undefined);
  const common = {
    ...(region === undefined ? {} : { region }),
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
  };
  return {
    sqs: new SQSClient({ ...common, ...(local ? { useQueueUrlAsEndpoint: false } : {}) }),
    lambda: new LambdaClient(common),
    eventBridge: new EventBridgeClient(common),
  };
};
