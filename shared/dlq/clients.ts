import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { resolveConnection } from '../operator-cli/local-cloud';
import type { ReplayClients } from './senders';

/** How to reach AWS; everything else comes from the SDK's usual chain (env, profile, instance role). */
export interface ClientSettings {
  /**
   * Region; default from AWS_REGION / the profile, or, with a loopback endpoint, the local cloud's (`us-east-1`).
   */
  readonly region?: string;
  /** Endpoint override for every service (`--endpoint-url`); AWS_ENDPOINT_URL(_SQS) work as usual without it. */
  readonly endpoint?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The endpoint override in force for a service: explicit, `AWS_ENDPOINT_URL_<SERVICE>`, or `AWS_ENDPOINT_URL`. */
export const endpointOverride = (service: string, settings: ClientSettings, env: Env): string | undefined =>
  settings.endpoint ?? env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL;

/**
 * Builds the SDK clients the tool uses: the same code then runs against AWS, LocalStack or the local cloud by
 * ordinary SDK configuration. With an endpoint override, the SQS client sends to that endpoint even when queue
 * URLs name another host (emulators hand out URLs such as `http://sqs.us-east-1.localhost:4566/...`).
 */
export const createClients = (settings: ClientSettings = {}, env: Env = process.env): ReplayClients => {
  const override = endpointOverride('SQS', settings, env);
  const local = override !== undefined;
  // A loopback endpoint is the local cloud: its region and dummy credentials unless the environment names others.
  const connection = resolveConnection({ ...settings, ...(local ? { endpoint: override } : {}) }, env);
  const region = connection.region ?? (local ? 'us-east-1' : undefined);
  const common = {
    ...(region === undefined ? {} : { region }),
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    ...(connection.credentials === undefined ? {} : { credentials: connection.credentials }),
  };
  return {
    sqs: new SQSClient({ ...common, ...(local ? { useQueueUrlAsEndpoint: false } : {}) }),
    lambda: new LambdaClient(common),
    eventBridge: new EventBridgeClient(common),
  };
};
