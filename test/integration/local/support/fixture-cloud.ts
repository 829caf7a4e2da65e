import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import {
  createLocalClients,
  destroyLocalClients,
  type LocalClients,
} from '../../../../packages/local-cloud/src/deployer';
import {
  type DynamoDbLocal,
  startDynamoDbLocal,
} from '../../../../packages/local-cloud/src/dynamodb/dynamodb-local';
import { synthLocalApp } from '../../../fixtures/local-app/app';
import { type RecordingServices, startRecordingServices } from './recording-services';

/** The fixture app synthesized, and the engines it deploys to: fauxqs, DynamoDB Local and the recording fake. */
export interface FixtureCloud {
  readonly assemblyDirectory: string;
  readonly fauxqs: FauxqsServer;
  readonly dynamodb: DynamoDbLocal;
  readonly recording: RecordingServices;
  readonly clients: Required<Pick<LocalClients, 'sqs' | 'dynamodb' | 'dynamodbStreams'>> & LocalClients;
  stop(): Promise<void>;
}

/** Synthesizes `test/fixtures/local-app` into a temp dir (bundling with the local esbuild) and starts the engines. */
export const startFixtureCloud = async (): Promise<FixtureCloud> => {
  const assemblyDirectory = mkdtempSync(join(tmpdir(), 'breakwater-local-app-'));
  synthLocalApp(assemblyDirectory);
  const [fauxqs, dynamodb, recording] = await Promise.all([
    startFauxqs({ port: 0, logger: false }),
    startDynamoDbLocal(),
    startRecordingServices(),
  ]);
  const clients = createLocalClients({
    sqs: fauxqs.address,
    dynamodb: dynamodb.endpoint,
    eventBridge: recording.endpoint,
    secretsManager: recording.endpoint,
    ssm: recording.endpoint,
  });
  const { sqs, dynamodb: dynamodbClient, dynamodbStreams } = clients;
  if (sqs === undefined || dynamodbClient === undefined || dynamodbStreams === undefined)
    throw new Error('clients missing');
  return {
    assemblyDirectory,
    fauxqs,
    dynamodb,
    recording,
    clients: { ...clients, sqs, dynamodb: dynamodbClient, dynamodbStreams },
    stop: async () => {
      destroyLocalClients(clients);
      await Promise.all([fauxqs.stop(), dynamodb.stop(), recording.stop()]);
      rmSync(assemblyDirectory, { recursive: true, force: true });
    },
  };
};
