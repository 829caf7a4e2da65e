import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsServiceError, type JsonProtocolService } from '../support/aws-protocol.js';
import { intEnv } from '../support/env.js';
import { ConfigurationError } from '../support/errors.js';
import { clientWentAway, readBody, send, sendError } from '../support/http-io.js';
import { DefaultLocalPorts, LocalPortEnv } from '../support/ports.js';
import { type EdgeBackend, type EdgeExchange, jsonServiceBackend } from './backends.js';
import { chooseBackend, describeRequest, type EdgeRoute, isHealthCheck, needsBodyAction } from './routing.js';

/** The default port of the edge, LocalStack's, so existing `AWS_ENDPOINT_URL=http://localhost:4566` setups work. */
export const DEFAULT_EDGE_PORT = DefaultLocalPorts.edge;

/** Options of {@link startEdge}; every one has a default. */
export interface EdgeOptions {
  /** Port; default `BREAKWATER_EDGE_PORT`, else 4566. 0 picks a free port (tests). */
  readonly port?: number;
  /** Interface to listen on; default `127.0.0.1`. */
  readonly host?: string;
  /** Backends to register at start (more can be registered later). */
  readonly backends?: readonly EdgeBackend[];
  /** In-process JSON-protocol services to register at start. */
  readonly services?: readonly JsonProtocolService[];
  /** Where unexpected errors are reported; default standard error. */
  readonly log?: (message: string) => void;
  /**
   * Serves a request with its backend; the local cloud passes fault injection here (faults/). Default: the
   * backend alone.
   */
  readonly serve?: (exchange: EdgeExchange, backend: EdgeBackend) => Promise<void>;
}

/** A running edge endpoint. */
export interface Edge {
  /** The URL to put in `AWS_ENDPOINT_URL`. */
  readonly url: string;
  readonly port: number;
  /** Routes a JSON-protocol service's target prefix and signing name to it, in process. */
  registerService(service: JsonProtocolService): void;
  /** Routes a backend's target prefixes, signing names and query actions to it. */
  registerBackend(backend: EdgeBackend): void;
  /**
   * Serves plain HTTP requests whose path starts with `prefix` (under `/_breakwater/`, where no AWS request goes)
   * with `handler`, before any AWS routing: the local cloud's own pages and APIs.
   */
  registerPathHandler(prefix: string, handler: PathHandler): void;
  /** Stops listening, closes every connection and releases the backends' sockets. */
  stop(): Promise<void>;
}

/** A plain HTTP handler mounted on the edge (see `Edge.registerPathHandler`); it must always answer. */
export type PathHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const defaultLog = (message: string) => process.stderr.write(`[edge] ${message}\n`);

/**
 * Starts the one edge endpoint of the local cloud: any AWS SDK v3 client or the AWS CLI works against it with
 * `AWS_ENDPOINT_URL` alone. Requests are routed by X-Amz-Target prefix, else by the SigV4 signing scope, else by
 * the query action (see routing.ts); `GET /_breakwater/health` reports the backends.
 */
export const startEdge = async (options: EdgeOptions = {}): Promise<Edge> => {
  const { host = '127.0.0.1', log = defaultLog } = options;
  const port = options.port ?? intEnv(LocalPortEnv.edge, DEFAULT_EDGE_PORT, { min: 0, max: 65_535 });
  const backends: EdgeBackend[] = [];
  const byTargetPrefix = new Map<string, EdgeBackend>();
  const bySigningName = new Map<string, EdgeBackend>();
  const byQueryAction = new Map<string, EdgeBackend>();
  const table = { byTargetPrefix, bySigningName, byQueryAction };

  const registerBackend = (backend: EdgeBackend) => {
    const taken = [
      ...backend.targetPrefixes.map((key) => ({
        what: 'target prefix',
        key,
        holder: byTargetPrefix.get(key),
      })),
      ...backend.signingNames.map((key) => ({ what: 'signing name', key, holder: bySigningName.get(key) })),
    ].filter(({ holder }) => holder !== undefined);
    if (taken.length > 0) {
      const list = taken.map(({ what, key, holder }) => `${what} '${key}' (to ${holder?.name})`).join(', ');
      throw new ConfigurationError(`${backend.name} cannot be registered: the edge already routes ${list}`);
    }
    for (const key of backend.targetPrefixes) byTargetPrefix.set(key, backend);
    for (const key of backend.signingNames) bySigningName.set(key, backend);
    for (const action of backend.queryActions ?? [])
      if (!byQueryAction.has(action)) byQueryAction.set(action, backend);
    backends.push(backend);
  };
  const registerService = (service: JsonProtocolService) => registerBackend(jsonServiceBackend(service, log));
  const pathHandlers: { prefix: string; handler: PathHandler }[] = [];
  const registerPathHandler = (prefix: string, handler: PathHandler) => {
    if (!prefix.startsWith('/_breakwater/')) {
      throw new ConfigurationError(`a path handler must live under /_breakwater/, not ${prefix}`);
    }
    if (pathHandlers.some((mounted) => mounted.prefix === prefix)) {
      throw new ConfigurationError(`the edge already serves ${prefix}`);
    }
    pathHandlers.push({ prefix, handler });
    // Longest prefix first, so a more specific handler wins.
    pathHandlers.sort((a, b) => b.prefix.length - a.prefix.length);
  };
  for (const backend of options.backends ?? []) registerBackend(backend);
  for (const service of options.services ?? []) registerService(service);

  const health = async (res: ServerResponse, requestId: string) => {
    const report = await Promise.all(
      backends.map(async (backend) => ({
        name: backend.name,
        kind: backend.kind,
        ...(backend.upstream === undefined ? {} : { upstream: backend.upstream }),
        healthy: backend.healthy === undefined ? true : await backend.healthy().catch(() => false),
      })),
    );
    const ok = report.every((backend) => backend.healthy);
    send(
      res,
      ok ? 200 : 503,
      JSON.stringify({ status: ok ? 'ok' : 'degraded', edge: url, backends: report }),
      {
        'content-type': 'application/json',
        'x-amzn-requestid': requestId,
      },
    );
  };

  const unknown = (
    req: IncomingMessage,
    res: ServerResponse,
    route: EdgeRoute,
    requestId: string,
    action?: string,
  ) => {
    const seen = [
      route.targetPrefix === undefined
        ? undefined
        : `X-Amz-Target ${route.targetPrefix}.${route.action ?? ''}`,
      route.signingName === undefined ? undefined : `signing scope '${route.signingName}'`,
      route.protocol !== 'query' || (route.action ?? action) === undefined
        ? undefined
        : `Action=${route.action ?? action}`,
    ].filter((part) => part !== undefined);
    const what = seen.length === 0 ? 'nothing that names an AWS service' : seen.join(', ');
    const query = route.protocol === 'query';
    const error = new AwsServiceError(
      query ? 'InvalidAction' : 'UnknownOperationException',
      `No service of the local cloud answers this request (saw ${what}).`,
    );
    sendError(req, res, error, { requestId, queryProtocol: query });
  };

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    if (isHealthCheck(req)) return health(res, requestId);
    const path = (req.url ?? '').split('?')[0] ?? '';
    const mounted = pathHandlers.find(({ prefix }) => path.startsWith(prefix) || `${path}/` === prefix);
    if (mounted !== undefined) return mounted.handler(req, res);
    const route = describeRequest(req);
    let body: Promise<Buffer> | undefined;
    const exchange: EdgeExchange = {
      req,
      res,
      route,
      requestId,
      body: () => {
        body ??= readBody(req);
        return body;
      },
      get bodyRead() {
        return body !== undefined;
      },
    };
    let bodyAction: string | undefined;
    if (needsBodyAction(route, table)) {
      bodyAction = new URLSearchParams((await exchange.body()).toString('utf8')).get('Action') ?? undefined;
    }
    const backend = chooseBackend(route, table, bodyAction);
    if (backend === undefined) return unknown(req, res, route, requestId, bodyAction);
    if (options.serve === undefined) await backend.handle(exchange);
    else await options.serve(exchange, backend);
  };

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      if (error instanceof AwsServiceError) {
        sendError(req, res, error, {
          requestId: randomUUID(),
          queryProtocol: describeRequest(req).protocol === 'query',
        });
        return;
      }
      if (clientWentAway(error, req)) return;
      log(
        `request ${req.method} ${req.url} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      const failure = new AwsServiceError(
        'InternalFailure',
        'The local cloud edge failed to process the request',
        500,
      );
      sendError(req, res, failure, {
        requestId: randomUUID(),
        queryProtocol: describeRequest(req).protocol === 'query',
      });
    });
  });
  // SDKs keep connections alive; outlive their idle timeouts so a reused socket is never closed under them.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) =>
      reject(
        new ConfigurationError(`the edge could not listen on ${host}:${port}: ${error.message}`, {
          cause: error,
        }),
      );
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      // Past start-up, a server error (e.g. out of file descriptors) is reported, never fatal.
      server.on('error', (error) => log(`server error: ${error.message}`));
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${actualPort}`;

  return {
    url,
    port: actualPort,
    registerService,
    registerBackend,
    registerPathHandler,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      for (const backend of backends) backend.close?.();
    },
  };
};
