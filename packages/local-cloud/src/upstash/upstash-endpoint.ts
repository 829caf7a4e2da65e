import { timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { FaultStore } from '../faults/fault-store.js';
import { type RedisServer, startRedisServer } from '../redis/redis-server.js';
import {
  BodyTooLargeError,
  closeServer,
  headerValue,
  listenOnLoopback,
  parseJson,
  readText,
  sendJson,
} from '../support/http-io.js';
import { handleRedisAdmin, REDIS_ADMIN_PATH, type RedisAdminTarget } from './redis-admin.js';
import { RedisCommandRunner } from './redis-runner.js';
import { isParseFailure, parseCommand, parseCommandList, type RedisCommand } from './rest-encoding.js';

/** Largest request body the endpoint reads (Upstash's own limit is of the same order). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Options of `createUpstashRequestHandler`. */
export interface UpstashHandlerOptions {
  /** Runs the commands. */
  readonly runner: RedisCommandRunner;
  /** The bearer token every request must carry (`Authorization: Bearer <token>` or `?_token=<token>`). */
  readonly token: string;
  /** The redis-server the admin API (`/__admin/redis`) stops and starts. Default: none (the admin API answers 409). */
  readonly admin?: RedisAdminTarget;
  /** Fault rules of service `upstash` (action `command`, `pipeline` or `multi-exec`). Default: none. */
  readonly faults?: FaultStore;
}

const sameToken = (given: string | undefined, expected: Buffer): boolean => {
  if (given === undefined) return false;
  const bytes = Buffer.from(given);
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
};

const bearerToken = (request: IncomingMessage, url: URL): string | undefined => {
  const match = /^Bearer\s+(.+)$/i.exec(headerValue(request, 'authorization') ?? '');
  return match?.[1]?.trim() ?? url.searchParams.get('_token') ?? undefined;
};

/**
 * The URL-path form: `GET /set/key/value?EX=10` is `["set", "key", "value", "EX", "10"]`; a POST body becomes
 * the last argument (how Upstash lets large or binary-unsafe values travel outside the URL).
 */
const pathCommand = (url: URL, body: string): RedisCommand | { error: string } => {
  const args = url.pathname
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => decodeURIComponent(segment));
  for (const [name, value] of url.searchParams) {
    if (name === '_token') continue;
    args.push(name);
    if (value !== '') args.push(value);
  }
  if (body !== '') args.push(body);
  return parseCommand(args);
};

const UPSTASH_FAULT_KINDS = ['error', 'latency', 'reset'] as const;

/**
 * Applies a fault rule to one request: an error answer as Upstash sends one (`{ error }`, status 500 unless the rule
 * says), a delay (then false: the request goes on), or a cut connection. True when the fault answered.
 */
const answeredByFault = async (
  faults: FaultStore,
  request: IncomingMessage,
  response: ServerResponse,
  route: string,
  body: string,
): Promise<boolean> => {
  if (!faults.has('upstash', UPSTASH_FAULT_KINDS)) return false;
  const action = route === '/pipeline' || route === '/multi-exec' ? route.slice(1) : 'command';
  const fault = faults.take({ service: 'upstash', action, resource: body }, UPSTASH_FAULT_KINDS);
  if (fault === undefined) return false;
  if (fault.kind === 'latency') {
    await sleep(fault.ms);
    return false;
  }
  if (fault.kind === 'reset') {
    request.socket.destroy();
    return true;
  }
  if (fault.kind === 'error') {
    sendJson(response, fault.status ?? 500, { error: fault.message ?? fault.code ?? 'ERR injected fault' });
    return true;
  }
  return false;
};

/**
 * Builds the request listener of an Upstash-REST-compatible endpoint: `POST /` (one command as a JSON array),
 * `POST /pipeline`, `POST /multi-exec`, and the URL-path form. Every failure is answered as `{ error }`; the
 * listener never throws.
 */
export const createUpstashRequestHandler = ({
  runner,
  token,
  admin,
  faults,
}: UpstashHandlerOptions): RequestListener => {
  const expected = Buffer.from(token);
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (await handleRedisAdmin(request, response, url.pathname.replace(/\/+$/, ''), admin)) return;
    if (!sameToken(bearerToken(request, url), expected)) {
      sendJson(response, 401, { error: 'Unauthorized' });
      return;
    }
    if (request.method !== 'POST' && request.method !== 'GET') {
      sendJson(response, 405, { error: `method ${request.method} not allowed` }, { allow: 'GET, POST' });
      return;
    }
    const base64 = (headerValue(request, 'upstash-encoding') ?? '').toLowerCase() === 'base64';
    const body = await readText(request, MAX_BODY_BYTES);
    const route = url.pathname.replace(/\/+$/, '');
    if (faults !== undefined && (await answeredByFault(faults, request, response, route, body))) return;

    if (request.method === 'POST' && (route === '/pipeline' || route === '/multi-exec')) {
      const json = parseJson(body);
      const commands = json.ok
        ? parseCommandList(json.value)
        : { error: `ERR malformed JSON: ${json.message}` };
      if (isParseFailure(commands)) {
        sendJson(response, 400, commands);
        return;
      }
      if (route === '/pipeline') {
        sendJson(response, 200, await runner.pipeline(commands, base64));
        return;
      }
      const outcome = await runner.multiExec(commands, base64);
      if (Array.isArray(outcome)) sendJson(response, 200, outcome);
      else sendJson(response, 400, { error: outcome.aborted });
      return;
    }

    let command: RedisCommand | { error: string };
    if (request.method === 'POST' && route === '') {
      const json = parseJson(body);
      command = json.ok ? parseCommand(json.value) : { error: `ERR malformed JSON: ${json.message}` };
    } else {
      command = pathCommand(url, body);
    }
    if (isParseFailure(command)) {
      sendJson(response, 400, command);
      return;
    }
    const outcome = await runner.execute(command, base64);
    sendJson(response, 'error' in outcome ? 400 : 200, outcome);
  };

  return (request: IncomingMessage, response: ServerResponse): void => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) {
        sendJson(response, 413, { error: `ERR ${error.message}` }, { connection: 'close' });
        return;
      }
      if (error instanceof URIError) {
        sendJson(response, 400, { error: 'ERR malformed percent-encoding in the URL path' });
        return;
      }
      sendJson(response, 500, { error: `ERR ${error instanceof Error ? error.message : String(error)}` });
    });
  };
};

/** Options of `startUpstashEndpoint`. */
export interface UpstashEndpointOptions {
  /** The bearer token clients must send. */
  readonly token: string;
  /** Where the redis-server it starts keeps its data across restarts; default nowhere (in memory). */
  readonly redisDataDirectory?: string;
  /** Port of a running redis-server on `redisHost`; when absent the endpoint starts (and later stops) its own. */
  readonly redisPort?: number;
  /** Host of that redis-server. Default `127.0.0.1`. */
  readonly redisHost?: string;
  /** Port to listen on. Default: a free port. */
  readonly port?: number;
  /** Interface to listen on. Default loopback (`0.0.0.0`: every interface, for containers; a trusted machine only). */
  readonly host?: string;
  /** Fault rules of service `upstash`. Default: none. */
  readonly faults?: FaultStore;
}

/** A running Upstash-REST-compatible endpoint. */
export interface UpstashEndpoint {
  /** Base URL for `new Redis({ url, token })` of @upstash/redis, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly token: string;
  readonly port: number;
  /** The redis-server behind the endpoint (for direct inspection in tests). */
  readonly redis: { readonly host: string; readonly port: number };
  /** The redis-server the endpoint started itself, which can be stopped and started again; absent when given one. */
  readonly redisServer: RedisServer | undefined;
  /** `<url>/__admin`: `PUT /__admin/redis {"running": false|true}` takes Redis down and back (`RedisAdminClient`). */
  readonly adminUrl: string;
  /** Stops the HTTP server, the Redis connections, and the redis-server if the endpoint started it. */
  stop(): Promise<void>;
}

/** Starts the endpoint on loopback over a given redis-server or one of its own. */
export const startUpstashEndpoint = async (options: UpstashEndpointOptions): Promise<UpstashEndpoint> => {
  if (options.token.trim() === '') throw new Error('startUpstashEndpoint: token must not be empty');
  const ownServer =
    options.redisPort === undefined
      ? await startRedisServer(
          options.redisDataDirectory === undefined ? {} : { dataDirectory: options.redisDataDirectory },
        )
      : undefined;
  const host = ownServer?.host ?? options.redisHost ?? '127.0.0.1';
  const redisPort = ownServer?.port ?? options.redisPort ?? 0;
  // RESP2, as Upstash answers: Lua true is 1 and map replies are flat arrays.
  const connection = new Redis({
    host,
    port: redisPort,
    protocol: 2,
    lazyConnect: true,
    maxRetriesPerRequest: 2,
  });
  // Connection errors reach callers as failed commands (500); without a listener ioredis would also log each one.
  connection.on('error', () => {});
  const runner = new RedisCommandRunner(connection);
  const admin: RedisAdminTarget | undefined =
    ownServer === undefined
      ? undefined
      : {
          server: ownServer,
          // After a restart, ioredis reconnects on its own back-off (up to 2 s between attempts).
          whenConnected: async () => {
            if (connection.status === 'ready') return;
            await Promise.race([
              once(connection, 'ready'),
              new Promise((_, reject) =>
                setTimeout(() => reject(new Error('redis connection not back within 10 s')), 10_000).unref(),
              ),
            ]);
          },
        };
  const server = createServer(
    createUpstashRequestHandler({
      runner,
      token: options.token,
      ...(admin === undefined ? {} : { admin }),
      ...(options.faults === undefined ? {} : { faults: options.faults }),
    }),
  );
  const stop = async () => {
    await closeServer(server);
    runner.close();
    connection.disconnect();
    await ownServer?.stop();
  };
  try {
    await connection.connect();
    const port = await listenOnLoopback(server, options.port ?? 0, options.host);
    return {
      url: `http://127.0.0.1:${port}`,
      token: options.token,
      port,
      redis: { host, port: redisPort },
      redisServer: ownServer,
      adminUrl: `http://127.0.0.1:${port}${REDIS_ADMIN_PATH}`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
