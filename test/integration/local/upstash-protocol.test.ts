import { Redis as IoRedis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer } from '../../../packages/local-cloud/src/redis/redis-server';
import { startUpstashEndpoint, type UpstashEndpoint } from '../../../packages/local-cloud/src/upstash';

/**
 * The wire protocol itself, over raw HTTP: what @upstash/redis relies on (status codes, `{result}`/`{error}`,
 * base64 encoding) and how the endpoint treats bad input. The redis-server is started by the test and inspected
 * directly with ioredis, so every claim is checked against real Redis state.
 */
const TOKEN = 'protocol-test-token';
let redisServer: RedisServer;
let endpoint: UpstashEndpoint;
let direct: IoRedis;

beforeAll(async () => {
  redisServer = await startRedisServer();
  endpoint = await startUpstashEndpoint({ token: TOKEN, redisPort: redisServer.port });
  direct = new IoRedis({ port: redisServer.port, host: redisServer.host, protocol: 2 });
});

afterAll(async () => {
  direct?.disconnect();
  await endpoint?.stop();
  await redisServer?.stop();
});

interface CallOptions {
  readonly path?: string;
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly method?: string;
  readonly base64?: boolean;
  readonly token?: string | null;
}

const call = async ({
  path = '/',
  body,
  rawBody,
  method = 'POST',
  base64 = false,
  token = TOKEN,
}: CallOptions) => {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (base64) headers['upstash-encoding'] = 'base64';
  const response = await fetch(`${endpoint.url}${path}`, {
    method,
    headers,
    body: method === 'GET' ? undefined : (rawBody ?? JSON.stringify(body)),
  });
  return { status: response.status, json: (await response.json()) as unknown };
};

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('authentication', () => {
  it('answers 401 {error} without a token or with a wrong one', async () => {
    expect(await call({ body: ['PING'], token: null })).toEqual({
      status: 401,
      json: { error: 'Unauthorized' },
    });
    expect(await call({ body: ['PING'], token: 'nope' })).toEqual({
      status: 401,
      json: { error: 'Unauthorized' },
    });
  });

  it('accepts the token as the _token query parameter', async () => {
    expect(await call({ path: `/ping?_token=${TOKEN}`, method: 'GET', token: null })).toEqual({
      status: 200,
      json: { result: 'PONG' },
    });
  });
});

describe('encoding', () => {
  it('returns plain JSON results without Upstash-Encoding', async () => {
    expect(await call({ body: ['SET', 'enc:plain', 'value'] })).toEqual({
      status: 200,
      json: { result: 'OK' },
    });
    expect(await call({ body: ['GET', 'enc:plain'] })).toEqual({ status: 200, json: { result: 'value' } });
    expect(await call({ body: ['INCR', 'enc:n'] })).toEqual({ status: 200, json: { result: 1 } });
    expect(await call({ body: ['GET', 'enc:none'] })).toEqual({ status: 200, json: { result: null } });
  });

  it('base64-encodes every string except a top-level OK, leaving integers and null raw', async () => {
    expect(await call({ body: ['SET', 'enc:b', 'héllo'], base64: true })).toEqual({
      status: 200,
      json: { result: 'OK' },
    });
    expect((await call({ body: ['GET', 'enc:b'], base64: true })).json).toEqual({ result: b64('héllo') });
    expect((await call({ body: ['PING'], base64: true })).json).toEqual({ result: b64('PONG') });
    const nested = await call({ body: ['EVAL', "return {'OK', 7, false, {'x'}}", 0], base64: true });
    expect(nested.json).toEqual({ result: [b64('OK'), 7, null, [b64('x')]] });
  });

  it('keeps binary values intact in base64', async () => {
    const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x0a]);
    await direct.set('enc:binary', bytes);
    expect((await call({ body: ['GET', 'enc:binary'], base64: true })).json).toEqual({
      result: bytes.toString('base64'),
    });
  });

  it('returns HGETALL as a flat array', async () => {
    await direct.hset('enc:h', 'a', '1', 'b', '2');
    expect((await call({ body: ['HGETALL', 'enc:h'] })).json).toEqual({ result: ['a', '1', 'b', '2'] });
  });
});

describe('pipelines and transactions', () => {
  it('answers /pipeline with one {result}|{error} per command, in order', async () => {
    const response = await call({
      path: '/pipeline',
      body: [['SET', 'p:a', 'x'], ['INCR', 'p:a'], ['NOSUCH'], ['SUBSCRIBE', 'c'], ['GET', 'p:a']],
    });
    expect(response.status).toBe(200);
    const entries = response.json as Array<{ result?: unknown; error?: string }>;
    expect(entries[0]).toEqual({ result: 'OK' });
    expect(entries[1]?.error).toMatch(/^ERR value is not an integer/);
    expect(entries[2]?.error).toMatch(/^ERR unknown command 'NOSUCH'/);
    expect(entries[3]?.error).toMatch(/not supported over REST/);
    expect(entries[4]).toEqual({ result: 'x' });
  });

  it('runs /multi-exec atomically and discards it all when a command cannot be queued', async () => {
    const ok = await call({
      path: '/multi-exec',
      body: [
        ['SET', 'tx:a', '1'],
        ['INCR', 'tx:a'],
      ],
      base64: true,
    });
    expect(ok).toEqual({ status: 200, json: [{ result: 'OK' }, { result: 2 }] });

    const aborted = await call({ path: '/multi-exec', body: [['SET', 'tx:b', '1'], ['NOSUCH']] });
    expect(aborted.status).toBe(400);
    expect((aborted.json as { error: string }).error).toMatch(/^EXECABORT .*unknown command 'NOSUCH'/);
    expect(await direct.exists('tx:b')).toBe(0);

    const refused = await call({
      path: '/multi-exec',
      body: [
        ['SET', 'tx:c', '1'],
        ['WATCH', 'tx:c'],
      ],
    });
    expect(refused.status).toBe(400);
    expect(await direct.exists('tx:c')).toBe(0);
  });

  it('runs blocking commands on their own connection, so they do not hold up other requests', async () => {
    const blocked = call({ body: ['BLPOP', 'queue:jobs', 20] });
    // Wait until Redis is blocked in BLPOP. Had BLPOP taken the shared connection, the RPUSH below would queue
    // behind it and BLPOP would time out with null instead of returning the job.
    await expect
      .poll(async () => String(await direct.call('CLIENT', 'LIST')).includes('cmd=blpop'))
      .toBe(true);
    expect(await call({ body: ['RPUSH', 'queue:jobs', 'job-1'] })).toEqual({
      status: 200,
      json: { result: 1 },
    });
    expect(await blocked).toEqual({ status: 200, json: { result: ['queue:jobs', 'job-1'] } });
  });
});

describe('the URL-path form', () => {
  it('takes the command from the path and options from the query string', async () => {
    expect(await call({ path: '/set/path%3Akey/a%20value?EX=100', method: 'GET' })).toEqual({
      status: 200,
      json: { result: 'OK' },
    });
    expect(await direct.get('path:key')).toBe('a value');
    expect(await direct.ttl('path:key')).toBeGreaterThan(90);
    expect(await call({ path: '/get/path%3Akey', method: 'GET' })).toEqual({
      status: 200,
      json: { result: 'a value' },
    });
  });

  it('appends a POST body as the last argument', async () => {
    const value = 'a/value with "quotes" and / slashes';
    expect(await call({ path: '/set/path:body', rawBody: value })).toEqual({
      status: 200,
      json: { result: 'OK' },
    });
    expect(await direct.get('path:body')).toBe(value);
  });
});

describe('bad input', () => {
  it.each([
    ['malformed JSON', { rawBody: '["GET", ' }, /malformed JSON/],
    ['an empty body', { rawBody: '' }, /malformed JSON/],
    ['an object instead of an array', { body: { command: 'GET' } }, /must be a JSON array/],
    ['an empty command', { body: [] }, /empty command/],
    ['an argument that is an object', { body: ['SET', 'k', { a: 1 }] }, /strings or numbers/],
    ['an argument that is null', { body: ['GET', null] }, /strings or numbers/],
    ['an empty pipeline', { path: '/pipeline', body: [] }, /empty pipeline/],
    [
      'a pipeline entry that is not a command',
      { path: '/pipeline', body: [['GET', 'a'], 'GET'] },
      /command 2/,
    ],
    ['a bad percent-encoding', { path: '/get/%E0%A4%A', method: 'GET' }, /percent-encoding/],
  ] as const)('answers 400 {error} to %s', async (_, options, message) => {
    const response = await call(options);
    expect(response.status).toBe(400);
    expect((response.json as { error: string }).error).toMatch(message);
  });

  it("answers an unknown command with Redis's own error text", async () => {
    const response = await call({ body: ['FROBNICATE', 'x'] });
    expect(response).toEqual({
      status: 400,
      json: { error: "ERR unknown command 'FROBNICATE', with args beginning with: 'x' " },
    });
  });

  it('refuses commands that would change the shared connection', async () => {
    for (const command of [
      ['SELECT', '1'],
      ['MULTI'],
      ['SUBSCRIBE', 'c'],
      ['MONITOR'],
      ['QUIT'],
      ['HELLO', '3'],
    ]) {
      const response = await call({ body: command });
      expect(response.status).toBe(400);
      expect((response.json as { error: string }).error).toMatch(/not supported over REST/);
    }
  });

  it('answers 405 to other methods and 413 to oversized bodies, then keeps serving', async () => {
    expect((await call({ method: 'DELETE', body: ['PING'] })).status).toBe(405);
    const huge = JSON.stringify(['SET', 'big', 'x'.repeat(11 * 1024 * 1024)]);
    expect((await call({ rawBody: huge })).status).toBe(413);
    expect(await call({ body: ['PING'] })).toEqual({ status: 200, json: { result: 'PONG' } });
  });
});

describe('lifecycle', () => {
  it('leaves a redis-server it did not start running when it stops', async () => {
    const second = await startUpstashEndpoint({ token: 'other', redisPort: redisServer.port });
    await second.stop();
    expect(await direct.ping()).toBe('PONG');
    await expect(fetch(second.url, { method: 'POST', body: '["PING"]' })).rejects.toThrow();
  });

  it('answers 500 {error} while Redis is unreachable, without crashing', async () => {
    const doomed = await startRedisServer();
    const over = await startUpstashEndpoint({ token: 'doomed', redisPort: doomed.port });
    await doomed.stop();
    const response = await fetch(over.url, {
      method: 'POST',
      headers: { authorization: 'Bearer doomed' },
      body: '["PING"]',
    });
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: string }).error).toMatch(/^ERR /);
    await over.stop();
  });

  it('starts and stops a redis-server of its own when given no port', async () => {
    const own = await startUpstashEndpoint({ token: 'own' });
    expect(own.redis.port).not.toBe(redisServer.port);
    const probe = new IoRedis({
      port: own.redis.port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => {});
    await own.stop();
    await expect(probe.connect()).rejects.toThrow();
    probe.disconnect();
  });
});
