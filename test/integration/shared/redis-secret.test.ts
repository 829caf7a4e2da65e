import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RedisAdminClient,
  startUpstashEndpoint,
  type UpstashEndpoint,
} from '../../../packages/local-cloud/src/upstash';
import { AuthorizationError } from '../../../shared/errors';
import { SecretBackedRedis } from '../../../shared/redis/client';
import { redisSecretReader, type SecretSource } from '../../../shared/secrets';

// The Redis client as the functions build it (following its secret) against the local Upstash-REST endpoint over a
// real redis-server, and the endpoint's admin switch that takes redis-server down and back.
process.env.UPSTASH_DISABLE_TELEMETRY = '1';

let primary: UpstashEndpoint;
let rotated: UpstashEndpoint;

beforeAll(async () => {
  primary = await startUpstashEndpoint({ token: 'token-a' });
  // A second endpoint over the same redis-server with another token: what a token rotation looks like.
  rotated = await startUpstashEndpoint({ token: 'token-b', redisPort: primary.redis.port });
});
afterAll(async () => {
  await rotated?.stop();
  await primary?.stop();
});

/** A secret source like Powertools' cache: the stored value is served until a read forces a fetch. */
const secretHolding = (value: { url: string; token: string }) => {
  let stored = JSON.stringify(value);
  let cached: string | undefined;
  const source: SecretSource = async (_id, { forceFetch }) => {
    if (forceFetch || cached === undefined) cached = stored;
    return cached;
  };
  return {
    read: redisSecretReader({ source }),
    put: (next: { url: string; token: string }) => {
      stored = JSON.stringify(next);
    },
  };
};

describe('SecretBackedRedis', () => {
  it('re-reads a refused token at once and sends the command again with the rotated one', async () => {
    const secret = secretHolding({ url: rotated.url, token: 'token-a' });
    await secret.read('redis-secret'); // the container's cache holds the old token
    secret.put({ url: rotated.url, token: 'token-b' }); // rotated in Secrets Manager
    const redis = new SecretBackedRedis('redis-secret', secret.read, { timeoutMs: 2_000 });

    expect(await redis.set('rotation', 'v', { ex: 60 })).toBe('OK');
    expect(await redis.get('rotation')).toBe('v');
  });

  it('names the secret when the token it holds is refused', async () => {
    const redis = new SecretBackedRedis(
      'redis-secret',
      secretHolding({ url: rotated.url, token: 'token-a' }).read,
      { timeoutMs: 2_000 },
    );
    const error = await redis.get('rotation').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthorizationError);
    expect((error as Error).message).toContain("Redis refused the token in secret 'redis-secret'");
  });
});

describe('the Redis admin switch of the local endpoint', () => {
  it('stops redis-server (commands fail) and starts it again, empty, answering once commands run', async () => {
    const admin = new RedisAdminClient(primary.adminUrl);
    const redis = new SecretBackedRedis(
      'redis-secret',
      secretHolding({ url: primary.url, token: 'token-a' }).read,
      { timeoutMs: 1_000 },
    );
    expect(await redis.set('switch', 'on', { ex: 60 })).toBe('OK');
    expect(await admin.status()).toEqual({ running: true });

    expect(await admin.stop()).toEqual({ running: false });
    await expect(redis.get('switch')).rejects.toThrow();

    expect(await admin.start()).toEqual({ running: true });
    expect(await redis.get('switch')).toBeNull(); // back, without persistence
    expect(await redis.set('switch', 'again', { ex: 60 })).toBe('OK');
  });

  it('refuses to switch a redis-server the endpoint does not own', async () => {
    await expect(new RedisAdminClient(rotated.adminUrl).stop()).rejects.toThrow(/409/);
  });
});
