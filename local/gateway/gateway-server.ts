import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BodyTooLargeError,
  closeServer,
  headerValue,
  listenOnLoopback,
  parseJson,
  readText,
  sendJson,
} from '@breakwater/local-cloud/http';
import { GatewayAdminClient } from './admin-client';
import { FakeGatewayCore } from './gateway-core';
import type { GatewayConfigUpdate } from './gateway-model';

const MAX_BODY_BYTES = 64 * 1024;

/** The admin API lives under this path prefix of the gateway's own URL. */
export const ADMIN_PATH = '/__admin';

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void | Promise<void>;
type Routes = Readonly<Record<string, Readonly<Partial<Record<string, Handler>>>>>;

const adminRoutes = (core: FakeGatewayCore): Routes => ({
  [`${ADMIN_PATH}/config`]: {
    GET: (_, response) => sendJson(response, 200, core.config()),
    PUT: (_, response, body) => {
      const json = parseJson(body);
      const result = json.ok
        ? core.updateConfig(json.value)
        : { ok: false as const, issues: ['(body): not JSON'] };
      if (result.ok) sendJson(response, 200, result.config);
      else sendJson(response, 400, { error: 'invalid_config', issues: result.issues });
    },
  },
  [`${ADMIN_PATH}/ledger`]: { GET: (_, response) => sendJson(response, 200, { entries: core.ledger() }) },
  [`${ADMIN_PATH}/stats`]: { GET: (_, response) => sendJson(response, 200, core.stats()) },
  [`${ADMIN_PATH}/reset`]: {
    POST: (_, response) => {
      core.reset();
      response.writeHead(204).end();
    },
  },
});

/**
 * Builds the request listener of the fake gateway: `POST /v1/charges` and the admin API. Requests the gateway
 * decides to time out go to `holdUntilDropped`, which owns them from then on.
 */
export const createGatewayRequestHandler = (
  core: FakeGatewayCore,
  holdUntilDropped: (request: IncomingMessage, hangMs: number) => void,
): RequestListener => {
  const charge: Handler = async (request, response, body) => {
    // The delay comes first and the decision after it, as in a slow gateway: a client that gave up meanwhile may
    // still have been charged.
    const { latencyMs } = core.config();
    if (latencyMs > 0) await sleep(latencyMs);
    const decision = core.charge({
      authorization: headerValue(request, 'authorization'),
      idempotencyKey: headerValue(request, 'idempotency-key'),
      body,
    });
    if (decision.kind === 'hang') holdUntilDropped(request, decision.hangMs);
    else sendJson(response, decision.status, decision.body, decision.headers);
  };
  const served: Routes = { ...adminRoutes(core), '/v1/charges': { POST: charge } };
  // `GET /__admin` says what the gateway serves, so its admin URL (printed by `npm start`) is a starting point.
  const index = Object.entries(served).map(([path, methods]) => ({ path, methods: Object.keys(methods) }));
  const routes: Routes = {
    ...served,
    [ADMIN_PATH]: { GET: (_, response) => sendJson(response, 200, { routes: index }) },
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
    const methods = routes[path];
    if (!methods) {
      sendJson(response, 404, { error: 'not_found', message: `no route for ${path || '/'}` });
      return;
    }
    const route = methods[request.method ?? 'GET'];
    if (!route) {
      sendJson(response, 405, { error: 'method_not_allowed' }, { allow: Object.keys(methods).join(', ') });
      return;
    }
    await route(request, response, await readText(request, MAX_BODY_BYTES));
  };

  return (request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) {
        sendJson(response, 413, { error: 'request_too_large' }, { connection: 'close' });
        return;
      }
      sendJson(response, 500, {
        error: 'internal_error',
        message: error instanceof Error ? error.message : '',
      });
    });
  };
};

/** Options of `startFakePaymentGateway`. */
export interface FakePaymentGatewayOptions {
  /** The API key charge requests must carry as `Authorization: Bearer <apiKey>`. */
  readonly apiKey: string;
  /** Port to listen on. Default: a free port. */
  readonly port?: number;
  /** Interface to listen on. Default loopback (`0.0.0.0`: every interface, for containers; a trusted machine only). */
  readonly host?: string;
  /** Seed of every random draw, for repeatable tests. Default: a random seed. */
  readonly seed?: number;
  /** Knobs to start with, over the healthy defaults. */
  readonly config?: GatewayConfigUpdate;
}

/** A running fake payment gateway. */
export interface FakePaymentGateway {
  /** Base URL of the gateway API (`POST {url}/v1/charges`), e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Base URL of the admin API, `{url}/__admin`. */
  readonly adminUrl: string;
  readonly apiKey: string;
  readonly port: number;
  /** The seed of the random draws (the given one, or the one chosen): a run can be replayed with it. */
  readonly seed: number;
  /** A typed client of the admin API. */
  readonly admin: GatewayAdminClient;
  /** Stops the server, dropping open and hanging connections. */
  stop(): Promise<void>;
}

/** Starts the fake payment gateway (on loopback unless `host` says otherwise). */
export const startFakePaymentGateway = async (
  options: FakePaymentGatewayOptions,
): Promise<FakePaymentGateway> => {
  const core = new FakeGatewayCore({
    apiKey: options.apiKey,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  if (options.config) {
    const applied = core.updateConfig(options.config);
    if (!applied.ok) throw new Error(`invalid fake gateway config: ${applied.issues.join('; ')}`);
  }
  const timers = new Set<NodeJS.Timeout>();
  const holdUntilDropped = (request: IncomingMessage, hangMs: number) => {
    // Never answer: hold the socket, then drop it, so the client sees a timeout or a reset, never a status.
    const timer = setTimeout(() => {
      timers.delete(timer);
      request.socket.destroy();
    }, hangMs);
    timers.add(timer);
    request.socket.once('close', () => {
      clearTimeout(timer);
      timers.delete(timer);
    });
  };
  const server = createServer(createGatewayRequestHandler(core, holdUntilDropped));
  const port = await listenOnLoopback(server, options.port ?? 0, options.host);
  const url = `http://127.0.0.1:${port}`;
  const adminUrl = `${url}${ADMIN_PATH}`;
  return {
    url,
    adminUrl,
    apiKey: options.apiKey,
    port,
    seed: core.seed,
    admin: new GatewayAdminClient(adminUrl),
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await closeServer(server);
    },
  };
};
