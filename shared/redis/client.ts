import { Redis } from '@upstash/redis';
import { DEFAULT_REDIS_TIMEOUT_MS } from '../config/settings';
import { AuthorizationError } from '../errors';
import { type RedisSecret, type SecretReader, withCredentialRefresh } from '../secrets';

/** Default per-request timeout of Redis calls: Redis is a cache and a dedupe aid, never worth a slow request. */

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
 * True when Upstash refused the token (HTTP 401, `{"error":"Unauthorized"}`; `WRONGPASS`/`NOAUTH` from a Redis
 * behind a REST proxy). `@upstash/redis` reports it as an `UpstashError` carrying the server's message only.
 */
export const isRedisAuthFailure = (error: unknown): boolean =>
  error instanceof Error &&
  error.name === 'UpstashError' &&
  /^(unauthori[sz]ed|wrongpass|noauth)|invalid or missing auth token/i.test(error.message);

/**
 * THE Redis client of Breakwater: follows its secret `{url, token}`. The secret is read per command from the cached
 * reader (Powertools, bounded max age), and the client is rebuilt only when the secret's value changed; when Redis
 * refuses the token the secret is re-read at once and the command sent again with a rotated token. A token still
 * refused is an `AuthorizationError` naming the secret. A secret that cannot be read fails the command, not the
 * caller's container: the next command reads again.
 */
export class SecretBackedRedis implements RedisCommands {
  readonly #secretId: string;
  readonly #readSecret: SecretReader<RedisSecret>;
  readonly #options: RedisClientOptions;
  #client: { secret: RedisSecret; redis: Redis } | undefined;

  public constructor(
    secretId: string,
    readSecret: SecretReader<RedisSecret>,
    options: RedisClientOptions = {},
  ) {
    this.#secretId = secretId;
    this.#readSecret = readSecret;
    this.#options = options;
  }

  public get(key: string): Promise<string | null> {
    return this.#run((redis) => redis.get<string>(key));
  }

  public set(
    key: string,
    value: string,
    options: { ex: number } | { ex: number; nx: true },
  ): Promise<string | null> {
    return this.#run((redis) => redis.set(key, value, options) as Promise<string | null>);
  }

  public del(...keys: string[]): Promise<number> {
    return this.#run((redis) => redis.del(...keys));
  }

  /** `EVAL` (the circuit breaker's fast path publishes its hint with a script). */
  public eval(script: string, keys: string[], args: string[]): Promise<unknown> {
    return this.#run((redis) => redis.eval(script, keys, args));
  }

  #run<T>(command: (redis: Redis) => Promise<T>): Promise<T> {
    return withCredentialRefresh({
      read: (refresh) => this.#readSecret(this.#secretId, { refresh }),
      use: (secret) => command(this.#clientFor(secret)),
      isRefused: isRedisAuthFailure,
      stillRefused: (error) =>
        new AuthorizationError(
          `Redis refused the token in secret '${this.#secretId}': put the database's current REST token in it`,
          { cause: error },
        ),
    });
  }

  #clientFor(secret: RedisSecret): Redis {
    if (this.#client?.secret !== secret) {
      this.#client = { secret, redis: createRedisClient(secret, this.#options) };
    }
    return this.#client.redis;
  }
}
