import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../shared/errors';
import { redisClientFromSecret } from '../../../shared/redis/client';
import { paymentGatewaySecretReader, redisSecretReader, type SecretSource } from '../../../shared/secrets';

const sourceOf = (values: Record<string, string | undefined>) => {
  const reads: { secretId: string; maxAge: number }[] = [];
  const source: SecretSource = async (secretId, maxAge) => {
    reads.push({ secretId, maxAge });
    return values[secretId];
  };
  return { source, reads };
};

describe('secret readers', () => {
  it('read and check a JSON secret, with the cache age passed to the source', async () => {
    const { source, reads } = sourceOf({
      gw: '{"url":"https://pay.example.test","apiKey":"sk_1","extra":1}',
    });
    const read = paymentGatewaySecretReader({ source, maxAgeSeconds: 120 });
    expect(await read('gw')).toEqual({ url: 'https://pay.example.test', apiKey: 'sk_1' });
    expect(reads).toEqual([{ secretId: 'gw', maxAge: 120 }]);
  });

  it('name the secret and the failing fields, never the value', async () => {
    const { source } = sourceOf({
      bad: '{"url":"not a url","token":"t0ps3cret"}',
      text: 'plain t0ps3cret',
      none: undefined,
    });
    const read = redisSecretReader({ source });

    const shape = await read('bad').catch((error: unknown) => error);
    expect(shape).toBeInstanceOf(ConfigurationError);
    expect((shape as Error).message).toMatch(/secret 'bad' has an unexpected shape: url/);
    expect((shape as Error).message).not.toContain('t0ps3cret');

    const text = await read('text').catch((error: unknown) => error);
    expect((text as Error).message).toBe("secret 'text' is not JSON");
    expect((text as Error).cause).toBeUndefined();

    await expect(read('none')).rejects.toThrow("secret 'none' has no string value");
  });
});

describe('redisClientFromSecret', () => {
  it('reads the secret once per container and hands out one client; a failed read is retried', async () => {
    let reads = 0;
    const readSecret = async () => {
      reads += 1;
      if (reads === 1) throw new ConfigurationError('throttled');
      return { url: 'https://redis.example.test', token: 'token' };
    };
    const client = redisClientFromSecret('redis', readSecret);

    await expect(client()).rejects.toThrow('throttled');
    const [first, second] = await Promise.all([client(), client()]);
    expect(first).toBe(second);
    expect(reads).toBe(2);
  });
});
