import { errors, Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstashEndpoint, type UpstashEndpoint } from '../../../packages/local-cloud/src/upstash';

/**
 * The unmodified @upstash/redis client against the local endpoint over a real redis-server, in every mode the
 * project can meet: base64 responses (the client default) or plain JSON, auto-pipelining (the default: every call
 * goes through `/pipeline`) or one request per command (`/`).
 */
process.env.UPSTASH_DISABLE_TELEMETRY = '1';

const TOKEN = 'local-upstash-token';
let endpoint: UpstashEndpoint;

beforeAll(async () => {
  endpoint = await startUpstashEndpoint({ token: TOKEN });
});

afterAll(async () => {
  await endpoint?.stop();
});

const modes = [
  { name: 'base64, auto-pipelining', responseEncoding: 'base64', enableAutoPipelining: true },
  { name: 'base64, one request per command', responseEncoding: 'base64', enableAutoPipelining: false },
  { name: 'plain JSON, auto-pipelining', responseEncoding: false, enableAutoPipelining: true },
  { name: 'plain JSON, one request per command', responseEncoding: false, enableAutoPipelining: false },
] as const;

describe.each(modes)('@upstash/redis ($name)', ({ name, responseEncoding, enableAutoPipelining }) => {
  let redis: Redis;
  const key = (suffix: string) => `${name}:${suffix}`;

  beforeAll(() => {
    redis = new Redis({ url: endpoint.url, token: TOKEN, responseEncoding, enableAutoPipelining });
  });

  it('sets and gets strings with EX, PX, NX and XX, and reads TTLs', async () => {
    expect(await redis.set(key('s'), 'héllo ✓ OK', { ex: 100 })).toBe('OK');
    expect(await redis.get(key('s'))).toBe('héllo ✓ OK');
    expect(await redis.ttl(key('s'))).toBeGreaterThan(90);
    expect(await redis.set(key('s'), 'other', { nx: true })).toBeNull();
    expect(await redis.set(key('missing'), 'x', { xx: true })).toBeNull();
    expect(await redis.set(key('s'), 'replaced', { xx: true, px: 50_000 })).toBe('OK');
    expect(await redis.pttl(key('s'))).toBeGreaterThan(40_000);
    expect(await redis.get(key('s'))).toBe('replaced');
    expect(await redis.set(key('ok'), 'OK')).toBe('OK');
    expect(await redis.get(key('ok'))).toBe('OK');
  });

  it('stores JSON values and reads them back deserialized', async () => {
    const order = { orderId: 'o-1', totalCents: 1250, items: [{ sku: 'A', qty: 2 }], status: 'OK' };
    await redis.set(key('order'), order, { ex: 60 });
    expect(await redis.get(key('order'))).toEqual(order);
  });

  it('handles MGET, DEL, EXISTS, EXPIRE and TTL', async () => {
    await redis.set(key('m1'), 'one');
    await redis.set(key('m2'), 'two');
    expect(await redis.mget(key('m1'), key('nope'), key('m2'))).toEqual(['one', null, 'two']);
    expect(await redis.exists(key('m1'), key('m2'), key('nope'))).toBe(2);
    expect(await redis.ttl(key('m1'))).toBe(-1);
    expect(await redis.expire(key('m1'), 30)).toBe(1);
    expect(await redis.ttl(key('m1'))).toBeGreaterThan(0);
    expect(await redis.ttl(key('nope'))).toBe(-2);
    expect(await redis.del(key('m1'), key('m2'), key('nope'))).toBe(2);
    expect(await redis.get(key('m1'))).toBeNull();
  });

  it('counts with INCR, INCRBY, DECR and DECRBY', async () => {
    expect(await redis.incr(key('n'))).toBe(1);
    expect(await redis.incrby(key('n'), 10)).toBe(11);
    expect(await redis.decr(key('n'))).toBe(10);
    expect(await redis.decrby(key('n'), 4)).toBe(6);
    expect(await redis.get(key('n'))).toBe(6);
  });

  it('reads hashes: HSET, HGET, HGETALL (flat on the wire, an object for the client), HINCRBY, HDEL', async () => {
    expect(await redis.hset(key('h'), { status: 'PAID', attempts: 1, note: 'OK' })).toBe(3);
    expect(await redis.hget(key('h'), 'status')).toBe('PAID');
    expect(await redis.hincrby(key('h'), 'attempts', 2)).toBe(3);
    expect(await redis.hgetall(key('h'))).toEqual({ status: 'PAID', attempts: 3, note: 'OK' });
    expect(await redis.hdel(key('h'), 'note')).toBe(1);
    expect(await redis.hgetall(key('no-hash'))).toBeNull();
  });

  it('works with sets and sorted sets', async () => {
    expect(await redis.sadd(key('set'), 'a', 'b', 'c')).toBe(3);
    expect((await redis.smembers(key('set'))).sort()).toEqual(['a', 'b', 'c']);
    expect(await redis.sismember(key('set'), 'b')).toBe(1);
    expect(await redis.srem(key('set'), 'b')).toBe(1);
    expect(await redis.scard(key('set'))).toBe(2);

    expect(await redis.zadd(key('z'), { score: 2.5, member: 'late' }, { score: 1, member: 'early' })).toBe(2);
    expect(await redis.zrange(key('z'), 0, -1, { withScores: true })).toEqual(['early', 1, 'late', 2.5]);
    expect(await redis.zscore(key('z'), 'late')).toBe(2.5);
    expect(await redis.zincrby(key('z'), 10, 'early')).toBe(11);
    expect(await redis.zrange(key('z'), 0, 100, { byScore: true })).toEqual(['late', 'early']);
    expect(await redis.zcard(key('z'))).toBe(2);
  });

  it('runs Lua with EVAL, EVALSHA, SCRIPT LOAD and the Script helper (NOSCRIPT falls back to EVAL)', async () => {
    const lua = "return {1, 'OK', ARGV[1], {KEYS[1], true, false}}";
    expect(await redis.eval(lua, [key('k')], ['arg'])).toEqual([1, 'OK', 'arg', [key('k'), 1, null]]);

    const counter = redis.createScript<number>(
      "local n = redis.call('INCRBY', KEYS[1], ARGV[1]); redis.call('EXPIRE', KEYS[1], 60); return n",
    );
    expect(await redis.scriptFlush()).toBe('OK');
    await expect(redis.evalsha('0'.repeat(40), [], [])).rejects.toThrow(/NOSCRIPT/);
    expect(await counter.exec([key('lua')], ['5'])).toBe(5);
    const sha = await redis.scriptLoad("return redis.call('GET', KEYS[1])");
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(await redis.scriptExists(sha)).toEqual([1]);
    expect(await redis.evalsha(sha, [key('lua')], [])).toBe(5);
    expect(await counter.exec([key('lua')], ['1'])).toBe(6);
    await expect(redis.eval("return redis.error_reply('breaker open')", [], [])).rejects.toThrow(
      /breaker open/,
    );
  });

  it('sends explicit pipelines and reports per-command errors', async () => {
    await redis.set(key('text'), 'not a number');
    const results = await redis
      .pipeline()
      .set(key('p'), 1)
      .incr(key('p'))
      .get(key('p'))
      .hget(key('h'), 'status')
      .exec();
    expect(results).toEqual(['OK', 2, 2, 'PAID']);

    const failing = redis.pipeline().incr(key('p')).incr(key('text'));
    await expect(failing.exec()).rejects.toThrow(/Command 2 \[ incr \] failed: ERR value is not an integer/);
    const kept = await redis.pipeline().incr(key('p')).incr(key('text')).exec({ keepErrors: true });
    expect(kept[0]).toEqual({ result: 4, error: undefined });
    expect(kept[1]?.error).toMatch(/^ERR value is not an integer/);
  });

  it('runs MULTI/EXEC transactions through /multi-exec', async () => {
    const results = await redis.multi().set(key('tx'), 'a').append(key('tx'), 'b').get(key('tx')).exec();
    expect(results).toEqual(['OK', 2, 'ab']);
    // Redis semantics: a command failing at run time does not roll the others back.
    await expect(redis.multi().set(key('tx2'), 'x').incr(key('tx2')).exec()).rejects.toThrow(/Command 2/);
    expect(await redis.get(key('tx2'))).toBe('x');
  });

  it('surfaces Redis errors with Redis text', async () => {
    await redis.hset(key('typed'), { a: 1 });
    await expect(redis.incr(key('typed'))).rejects.toThrow(/WRONGTYPE/);
    await expect(redis.exec(['nosuchcommand', 'x'])).rejects.toThrow(/ERR unknown command 'nosuchcommand'/);
    await expect(redis.exec(['subscribe', 'channel'])).rejects.toBeInstanceOf(errors.UpstashError);
  });
});

describe('authentication', () => {
  it('rejects a wrong token with Unauthorized and no retries', async () => {
    const redis = new Redis({ url: endpoint.url, token: 'wrong', enableAutoPipelining: false });
    await expect(redis.get('anything')).rejects.toThrow(/Unauthorized/);
    const pipelined = new Redis({ url: endpoint.url, token: 'wrong' });
    await expect(pipelined.set('anything', 1)).rejects.toThrow(/Unauthorized/);
  });
});
