import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, isNonRetryable } from '../../../shared/errors';
import {
  type ChargeRequest,
  PaymentGatewayAuthorizationError,
  secretBackedGateway,
} from '../../../shared/payment-gateway';
import {
  DEFAULT_SECRET_MAX_AGE_SECONDS,
  isPlaceholderUrl,
  paymentGatewaySecretReader,
  redisSecretReader,
  SECRET_PLACEHOLDER_URL,
  type SecretReadOptions,
  type SecretSource,
  secretsManagerSource,
  withCredentialRefresh,
} from '../../../shared/secrets';

/** A secret source over a map the test edits, recording every read. */
const sourceOf = (values: Record<string, string | undefined>) => {
  const reads: ({ secretId: string } & SecretReadOptions)[] = [];
  const source: SecretSource = async (secretId, options) => {
    reads.push({ secretId, ...options });
    return values[secretId];
  };
  return { source, reads, values };
};

/** Like Powertools' cache: a value is served from the cache until a read forces a fetch. */
const cachingSourceOf = (values: Record<string, string>) => {
  const cache = new Map<string, string | undefined>();
  const source: SecretSource = async (secretId, { forceFetch }) => {
    if (forceFetch || !cache.has(secretId)) cache.set(secretId, values[secretId]);
    return cache.get(secretId);
  };
  return { source, values };
};

describe('secret readers', () => {
  it('read and check a JSON secret, with the cache age passed to the source', async () => {
    const { source, reads } = sourceOf({
      gw: '{"url":"https://pay.example.test","apiKey":"sk_1","extra":1}',
    });
    const read = paymentGatewaySecretReader({ source, maxAgeSeconds: 120 });
    expect(await read('gw')).toEqual({ url: 'https://pay.example.test', apiKey: 'sk_1' });
    expect(reads).toEqual([{ secretId: 'gw', maxAgeSeconds: 120, forceFetch: false }]);
  });

  it('re-read past the cache when asked, and hand out the same object while the value is unchanged', async () => {
    const { source, reads, values } = sourceOf({ r: '{"url":"https://r.example.test","token":"t1"}' });
    const read = redisSecretReader({ source });
    const first = await read('r');
    expect(await read('r')).toBe(first);
    values.r = '{"url":"https://r.example.test","token":"t2"}';
    const rotated = await read('r', { refresh: true });
    expect(rotated).toEqual({ url: 'https://r.example.test', token: 't2' });
    expect(rotated).not.toBe(first);
    expect(reads.map(({ forceFetch, maxAgeSeconds }) => [forceFetch, maxAgeSeconds])).toEqual([
      [false, DEFAULT_SECRET_MAX_AGE_SECONDS],
      [false, DEFAULT_SECRET_MAX_AGE_SECONDS],
      [true, DEFAULT_SECRET_MAX_AGE_SECONDS],
    ]);
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

  it('refuse a secret still holding its deploy-time placeholder, saying which secret and what to put in it', async () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:PaymentGatewaySecret-AbCdEf';
    const { source, reads } = sourceOf({
      [arn]: JSON.stringify({
        url: SECRET_PLACEHOLDER_URL,
        apiKey: 'generated0123456789generated0123456789ab',
      }),
    });
    const error = await paymentGatewaySecretReader({ source })(arn).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigurationError);
    expect(isNonRetryable(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(`secret '${arn}' still holds its deploy-time placeholder`);
    expect(message).toContain("put the payment gateway's base URL and API key in it");
    expect(message).toContain(`aws secretsmanager put-secret-value --secret-id ${arn}`);
    expect(message).toContain('{"url":"https://api.your-gateway.example","apiKey":"<key>"}');
    expect(message).not.toContain('generated0123456789');
    // A cached placeholder is not trusted: it was read again past the cache before being refused.
    expect(reads.map((read) => read.forceFetch)).toEqual([false, true]);
  });

  it('take a placeholder the operator has just replaced: the fresh read wins', async () => {
    let reads = 0;
    const source: SecretSource = async () => {
      reads += 1;
      return reads === 1
        ? JSON.stringify({ url: SECRET_PLACEHOLDER_URL, token: 'generated' })
        : JSON.stringify({ url: 'https://eu1-x.upstash.io', token: 'real' });
    };
    expect(await redisSecretReader({ source })('r')).toEqual({
      url: 'https://eu1-x.upstash.io',
      token: 'real',
    });
  });

  it('recognise any URL on the reserved .invalid domain as a placeholder', () => {
    expect(isPlaceholderUrl(SECRET_PLACEHOLDER_URL)).toBe(true);
    expect(isPlaceholderUrl('http://gateway.invalid:8080/v1')).toBe(true);
    expect(isPlaceholderUrl('https://invalid.example.com')).toBe(false);
    expect(isPlaceholderUrl('not a url')).toBe(false);
  });
});

describe('withCredentialRefresh', () => {
  const refused = new Error('401');
  const isRefused = (error: unknown) => error === refused;

  it('re-reads a refused credential at once and retries with the rotated one', async () => {
    const used: string[] = [];
    const secrets = { current: { key: 'old' } };
    const result = await withCredentialRefresh({
      read: async (refresh) => {
        if (refresh) secrets.current = { key: 'new' };
        return secrets.current;
      },
      use: async ({ key }) => {
        used.push(key);
        if (key === 'old') throw refused;
        return 'charged';
      },
      isRefused,
    });
    expect(result).toBe('charged');
    expect(used).toEqual(['old', 'new']);
  });

  it('throws the refusal when the fresh credential is the same one, and never re-reads for other failures', async () => {
    const same = { key: 'k' };
    let reads = 0;
    const read = async () => {
      reads += 1;
      return same;
    };
    await expect(
      withCredentialRefresh({
        read,
        use: async () => Promise.reject(refused),
        isRefused,
        stillRefused: () => new ConfigurationError('still refused'),
      }),
    ).rejects.toThrow('still refused');
    expect(reads).toBe(2);
    await expect(
      withCredentialRefresh({ read, use: async () => Promise.reject(new Error('503')), isRefused }),
    ).rejects.toThrow('503');
    expect(reads).toBe(3);
  });
});

describe('secretBackedGateway', () => {
  const request: ChargeRequest = {
    amountCents: 100,
    currency: 'EUR',
    reference: 'o-1',
    idempotencyKey: 'charge:o-1',
  };
  /** A gateway over `fetch` that accepts one key only; records the keys it was sent. */
  const gatewayAccepting = (accepted: { key: string }) => {
    const keys: string[] = [];
    const fetchFn: typeof fetch = async (_url, init) => {
      const key = String(new Headers(init?.headers).get('authorization')).replace('Bearer ', '');
      keys.push(key);
      return key === accepted.key
        ? new Response(JSON.stringify({ chargeId: 'ch_1', status: 'succeeded' }), { status: 201 })
        : new Response(JSON.stringify({ error: 'unauthorized' }), { status: 401 });
    };
    return { fetchFn, keys };
  };

  it('picks up a rotated key at its first refusal and charges with it (same idempotency key)', async () => {
    const { source, values } = cachingSourceOf({ gw: '{"url":"https://pay.example.test","apiKey":"old"}' });
    const accepted = { key: 'old' };
    const { fetchFn, keys } = gatewayAccepting(accepted);
    const gateway = secretBackedGateway({
      secretId: 'gw',
      readSecret: paymentGatewaySecretReader({ source }),
      timeoutMs: 1000,
      fetch: fetchFn,
    });
    expect(await gateway.charge(request)).toMatchObject({ status: 'succeeded' });

    // The key is rotated at the gateway and in the secret; the container still has the old one cached.
    accepted.key = 'new';
    values.gw = '{"url":"https://pay.example.test","apiKey":"new"}';
    expect(await gateway.charge(request)).toMatchObject({ status: 'succeeded' });
    expect(keys).toEqual(['old', 'old', 'new']);
  });

  it('fails for good, naming the secret, when the key in the secret is the one refused', async () => {
    const { source } = sourceOf({ gw: '{"url":"https://pay.example.test","apiKey":"revoked"}' });
    const { fetchFn, keys } = gatewayAccepting({ key: 'current' });
    const gateway = secretBackedGateway({
      secretId: 'gw',
      readSecret: paymentGatewaySecretReader({ source }),
      timeoutMs: 1000,
      fetch: fetchFn,
    });
    const error = await gateway.charge(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentGatewayAuthorizationError);
    expect(isNonRetryable(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /refused our API key with 401 \(unauthorized\): the API key in secret 'gw' is wrong or revoked/,
    );
    expect(keys).toEqual(['revoked']);
  });
});

describe('secretsManagerSource (Powertools SecretsProvider)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('serves a secret from the cache for its max age, then reads it again; a refresh reads at once', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const client = new SecretsManagerClient({ region: 'us-east-1' });
    let calls = 0;
    vi.spyOn(client, 'send').mockImplementation(async () => {
      calls += 1;
      return { SecretString: JSON.stringify({ url: 'https://r.example.test', token: `t${calls}` }) };
    });
    const read = redisSecretReader({ source: secretsManagerSource(client), maxAgeSeconds: 300 });

    expect(await read('r')).toMatchObject({ token: 't1' });
    vi.advanceTimersByTime(299_000);
    expect(await read('r')).toMatchObject({ token: 't1' });
    expect(calls).toBe(1);
    vi.advanceTimersByTime(2_000);
    expect(await read('r')).toMatchObject({ token: 't2' });
    expect(await read('r', { refresh: true })).toMatchObject({ token: 't3' });
    expect(calls).toBe(3);
  });
});
