import { createServer, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigurationError } from './errors.js';

/**
 * The one home of ports: which ones the local cloud listens on (flags, environment, defaults), a free one from the
 * kernel, and the probe that waits for one to accept connections.
 */

/** Asks the kernel for a free loopback port. */
export const freePort = async (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

/** Whether something accepts TCP connections at host:port within `timeoutMs`: the one port probe. */
export const canConnect = (port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host);
  });

/** Waits until something accepts TCP connections on the port, or throws after `timeoutMs`. */
export const waitForPort = async (
  port: number,
  { host = '127.0.0.1', timeoutMs = 30_000, what = `port ${port}` } = {},
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await canConnect(port, host)) return;
    await sleep(50);
  }
  throw new Error(`${what} did not accept connections on ${host}:${port} within ${timeoutMs} ms`);
};

/** Environment variables that set the local cloud's ports (flags of a command take precedence). */
export const LocalPortEnv = {
  edge: 'BREAKWATER_EDGE_PORT',
  api: 'BREAKWATER_API_PORT',
  redisRest: 'BREAKWATER_REDIS_PORT',
} as const;

/** Default ports: the edge where LocalStack's is, the rest next to it. 0 means any free port. */
export const DefaultLocalPorts = { edge: 4566, api: 4567, redisRest: 4568 } as const;

/** The ports of one local cloud instance. */
export type LocalPorts = { readonly [K in keyof typeof DefaultLocalPorts]: number };

const parsePort = (name: string, raw: string): number => {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigurationError(`${name} must be a port number from 0 to 65535, got '${raw}'`);
  }
  return port;
};

/** Where one port comes from: its flag, its environment variable, its default. */
export interface PortSource {
  readonly flag: string;
  readonly env: string;
  readonly fallback: number;
}

/** One port: the explicit value (a flag's), else the environment's, else the default. */
export const resolvePort = (
  given: string | number | undefined,
  source: PortSource,
  env: Readonly<Record<string, string | undefined>> = process.env,
): number => {
  if (given !== undefined) return parsePort(source.flag, String(given));
  const fromEnv = env[source.env]?.trim();
  return fromEnv ? parsePort(source.env, fromEnv) : source.fallback;
};

/** The local cloud's ports from explicit values, else the environment, else the defaults. */
export const resolvePorts = (
  explicit: Partial<Record<keyof LocalPorts, string | number>> = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): LocalPorts => {
  const pick = (key: keyof LocalPorts): number =>
    resolvePort(
      explicit[key],
      {
        flag: `--${key === 'redisRest' ? 'redis' : key}-port`,
        env: LocalPortEnv[key],
        fallback: DefaultLocalPorts[key],
      },
      env,
    );
  return { edge: pick('edge'), api: pick('api'), redisRest: pick('redisRest') };
};
