import { spawnManaged } from '../support/child-process';
import { freePort, waitForPort } from '../support/ports';

/** A running `redis-server` on loopback, without persistence. */
export interface RedisServer {
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts Debian's `redis-server` (or `REDIS_SERVER_BIN`) on a free loopback port with persistence switched off. */
export const startRedisServer = async ({ port }: { port?: number } = {}): Promise<RedisServer> => {
  const chosenPort = port ?? (await freePort());
  const bin = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  const server = spawnManaged(bin, [
    '--port',
    String(chosenPort),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--protected-mode',
    'yes',
  ]);
  const failedToSpawn = new Promise<never>((_, reject) =>
    server.child.once('error', (error) =>
      reject(new Error(`could not run ${bin}: install it (apt-get install redis-server)`, { cause: error })),
    ),
  );
  try {
    await Promise.race([waitForPort(chosenPort, { what: 'redis-server', timeoutMs: 10_000 }), failedToSpawn]);
  } catch (error) {
    await server.stop();
    throw error instanceof Error && error.message.startsWith('could not run')
      ? error
      : new Error(`redis-server did not start. Its output:\n${server.output()}`, { cause: error });
  }
  return { host: '127.0.0.1', port: chosenPort, stop: () => server.stop() };
};
