import { Redis } from '@upstash/redis';
import { once } from '../runtime/once';
import type { RedisSecret, SecretReader } from '../secrets';

/** Default per-request timeout of Redis calls: Redis is a cache and a dedupe aid, never worth a slow request. */
export const DEFAULT_REDIS_TIMEOUT_MS = 1000;

/**
 * The Redis commands Breakwater uses. `@upstash/redis`' client satisfies it; tests pass an in-memory fake. Values
 * are strings: the client is created with automatic (de)serialization off, so the callers own their formats.
 */
export interface RedisCommands {
  get(key: string): Promise<string | null>;
  /** `SET key value EX seconds [NX]`: resolves `'OK'` when written, `null` when NX found the key. */
  set(key: string, value: string, options: { ex: number } | { ex: number; nx: true }): Promise<string | null>;
  del(...keys: string[]): Promise<number>;
}

/** Options of the Redis client. */
export interface RedisClientOptions {
  /** Default `DEFAULT_REDIS_TIMEOUT_MS`; covers one command including its retry. */
  readonly timeoutMs?: number;
}

/**
 * Creates an Upstash Redis (REST) client from the secret's URL and token: strings in, strings out, one quick retry,
 * a per-command timeout, no telemetry headers.
 */
export const createRedisClient = (
  secret: RedisSecret,
  { timeoutMs = DEFAULT_REDIS_TIMEOUT_MS }: RedisClientOptions = {},
): Redis =>
  new Redis({
    url: secret.url,
    token: secret.token,
    automaticDeserialization: false,
    enableTelemetry: false,
    // The library's default (5 retries, exponential) would hold a request for seconds on a Redis outage.
    retry: { retries: 1, backoff: () => 50 },
    // A function: a fresh signal per command, so the timeout covers each command rather than the client's life.
    signal: () => AbortSignal.timeout(timeoutMs),
  });

/**
 * THE Redis client factory of Breakwater: reads the secret `{url, token}` once and returns the same client to every
 * caller in the container. A failed secret read is not cached (the next invocation tries again).
 */
export const redisClientFromSecret = (
  secretId: string,
  readSecret: SecretReader<RedisSecret>,
  options: RedisClientOptions = {},
): (() => Promise<RedisCommands>) => once(async () => createRedisClient(await readSecret(secretId), options));
