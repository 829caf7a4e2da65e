import { createClients } from '@breakwater/dlq';
import type { MainOptions } from '@breakwater/dlq/cli';
import { checkEventEnvelope } from '../contracts';
import { resolveConnection } from './local-cloud';
import { resolveQueueName } from './queue-names';
import { operatorContext } from './stack-outputs';

/**
 * What Breakwater's `npm run dlq` adds to the `@breakwater/dlq` command line: envelopes checked with the app's
 * event contract; a loopback endpoint taken for the local cloud (its region, dummy credentials unless the
 * environment names others); and friendly queue names (stack outputs, the `breakwater:source` tag), resolved
 * against `outputs` when given, else the running local cloud's or CloudFormation's.
 */
export const breakwaterDlqOptions = (
  outputs?: () => Promise<Readonly<Record<string, string>>>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): MainOptions => ({
  checkEvent: checkEventEnvelope,
  createClients: (settings) => {
    const endpoint = settings.endpoint ?? env.AWS_ENDPOINT_URL_SQS ?? env.AWS_ENDPOINT_URL;
    const connection = resolveConnection(
      { ...settings, ...(endpoint === undefined ? {} : { endpoint }) },
      env,
    );
    return createClients(
      {
        ...settings,
        ...(connection.region === undefined ? {} : { region: connection.region }),
        ...(connection.credentials === undefined ? {} : { credentials: connection.credentials }),
      },
      env,
    );
  },
  queueNames: (clients, settings) => {
    const load = outputs ?? operatorContext(settings, env).outputs;
    return (reference) => resolveQueueName(clients.sqs, reference, load);
  },
});
