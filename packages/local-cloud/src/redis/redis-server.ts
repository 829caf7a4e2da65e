import { type ManagedProcess, spawnManaged } from '../support/child-process.js';
import { freePort, waitForPort } from '../support/ports.js';

/**
 * A running `redis-server` on loopback, without persistence. It can be stopped and started again on the same port
 * (the local cloud's way to take Redis down and bring it back; it comes back empty, like a cache after a failover).
 */
export interface RedisServer {
  readonly host: string;
  readonly port: number;
  /** True while the process runs. */
  readonly running: boolean;
  /** Stops the process (nothing happens when it is not running). */
  stop(): Promise<void>;
  /** Starts it again on the same port and waits until it accepts connections (nothing happens when running). */
  start(): Promise<void>;
}

const spawnRedis = async (bin: string, port: number, dataDirectory?: string): Promise<ManagedProcess> => {
  const server = spawnManaged(bin, [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    // With a data directory, an append-only file keeps the data across restarts (`npm start -- --persist`).
    ...(dataDirectory === undefined
      ? ['--appendonly', 'no']
      : ['--appendonly', 'yes', '--dir', dataDirectory]),
    '--protected-mode',
    'yes',
  ]);
  const failedToSpawn = new Promise<never>((_, reject) =>
    server.child.once('error', (error) =>
      reject(new Error(`could not run ${bin}: install it (apt-get install redis-server)`, { cause: error })),
    ),
  );
  try {
    await Promise.race([waitForPort(port, { what: 'redis-server', timeoutMs: 10_000 }), failedToSpawn]);
  } catch (error) {
    await server.stop();
    throw error instanceof Error && error.message.startsWith('could not run')
      ? error
      : new Error(`redis-server did not start. Its output:\n${server.output()}`, { cause: error });
  }
  return server;
};

/** Starts Debian's `redis-server` (or `REDIS_SERVER_BIN`) on a free loopback port with persistence switched off. */
export const startRedisServer = async ({
  port,
  dataDirectory,
}: {
  port?: number;
  dataDirectory?: string;
} = {}): Promise<RedisServer> => {
  const chosenPort = port ?? (await freePort());
  const bin = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  if (dataDirectory !== undefined) (await import('node:fs')).mkdirSync(dataDirectory, { recursive: true });
  let managed: ManagedProcess | undefined = await spawnRedis(bin, chosenPort, dataDirectory);
  // One start or stop at a time: a stop racing a start must not leave an orphan process behind.
  let pending: Promise<void> = Promise.resolve();
  const serialized = (step: () => Promise<void>): Promise<void> => {
    pending = pending.then(step, step);
    return pending;
  };
  return {
    host: '127.0.0.1',
    port: chosenPort,
    get running() {
      return managed !== undefined;
    },
    stop: () =>
      serialized(async () => {
        const current = managed;
        managed = undefined;
        await current?.stop();
      }),
    start: () =>
      serialized(async () => {
        managed ??= await spawnRedis(bin, chosenPort, dataDirectory);
      }),
  };
};
