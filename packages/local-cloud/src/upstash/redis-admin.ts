import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import type { RedisServer } from '../redis/redis-server.js';
import { LocalCloudError } from '../support/errors.js';
import { parseJson, readText, sendJson } from '../support/http-io.js';

/**
 * The admin API of the Upstash-REST endpoint lives under this prefix of its own URL (no Redis command starts with
 * it). Like the fake gateway's `/__admin`, it needs no token: the endpoint listens on loopback only.
 */
export const REDIS_ADMIN_PATH = '/__admin';

/** What `GET|PUT /__admin/redis` answer. */
export const RedisStatusSchema = z.strictObject({
  /** True while the redis-server behind the endpoint runs. */
  running: z.boolean(),
});
/** The state of the redis-server behind the endpoint. */
export type RedisStatus = z.infer<typeof RedisStatusSchema>;

/** What the admin API controls: the redis-server, and a wait until the endpoint's connection is back. */
export interface RedisAdminTarget {
  readonly server: RedisServer;
  /** Resolves once the endpoint can run commands again after a start. */
  readonly whenConnected: () => Promise<void>;
}

/**
 * Answers an admin request, or returns false when the path is not an admin path. `GET /__admin/redis` reports the
 * server's state; `PUT /__admin/redis {"running": false}` stops redis-server (every command then fails as in an
 * outage: the endpoint answers errors after its connection gives up), `{"running": true}` starts it again, empty,
 * and answers once commands run again. The fault API of a later chaos suite builds on this switch.
 */
export const handleRedisAdmin = async (
  request: IncomingMessage,
  response: ServerResponse,
  route: string,
  target: RedisAdminTarget | undefined,
): Promise<boolean> => {
  if (route !== REDIS_ADMIN_PATH && !route.startsWith(`${REDIS_ADMIN_PATH}/`)) return false;
  if (route === REDIS_ADMIN_PATH && request.method === 'GET') {
    sendJson(response, 200, { routes: [{ path: `${REDIS_ADMIN_PATH}/redis`, methods: ['GET', 'PUT'] }] });
    return true;
  }
  if (route !== `${REDIS_ADMIN_PATH}/redis`) {
    sendJson(response, 404, { error: `no admin route ${route}` });
    return true;
  }
  if (target === undefined) {
    sendJson(response, 409, {
      error: 'this endpoint does not manage its redis-server (it was given a port)',
    });
    return true;
  }
  if (request.method === 'GET') {
    sendJson(response, 200, { running: target.server.running } satisfies RedisStatus);
    return true;
  }
  if (request.method !== 'PUT') {
    sendJson(response, 405, { error: `method ${request.method} not allowed` }, { allow: 'GET, PUT' });
    return true;
  }
  const json = parseJson(await readText(request, 1024));
  const wanted = json.ok ? RedisStatusSchema.safeParse(json.value) : undefined;
  if (wanted === undefined || !wanted.success) {
    sendJson(response, 400, { error: 'body must be {"running": true|false}' });
    return true;
  }
  if (wanted.data.running) {
    await target.server.start();
    await target.whenConnected();
  } else {
    await target.server.stop();
  }
  sendJson(response, 200, { running: target.server.running } satisfies RedisStatus);
  return true;
};

/** The admin API answered with an unexpected status. */
export class RedisAdminError extends LocalCloudError {
  public constructor(
    message: string,
    public readonly status: number,
  ) {
    super(message);
    this.name = 'RedisAdminError';
  }
}

/** A typed client of the Upstash endpoint's admin API, for tests, benchmarks and the demo. */
export class RedisAdminClient {
  readonly #url: string;

  /** @param adminUrl `<endpoint url>/__admin` (`LocalCloudEndpoints.redisAdminUrl`). */
  public constructor(
    adminUrl: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.#url = `${adminUrl.replace(/\/+$/, '')}/redis`;
  }

  /** Whether redis-server runs. */
  public async status(): Promise<RedisStatus> {
    return this.#request('GET');
  }

  /** Takes Redis down: redis-server stops; every command through the endpoint fails until `start`. */
  public async stop(): Promise<RedisStatus> {
    return this.#request('PUT', { running: false });
  }

  /** Brings Redis back (empty) and resolves once the endpoint runs commands again. */
  public async start(): Promise<RedisStatus> {
    return this.#request('PUT', { running: true });
  }

  async #request(method: 'GET' | 'PUT', body?: RedisStatus): Promise<RedisStatus> {
    const response = await this.fetchImpl(this.#url, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new RedisAdminError(
        `${method} ${this.#url} answered ${response.status}: ${text}`,
        response.status,
      );
    }
    return RedisStatusSchema.parse(JSON.parse(text));
  }
}
