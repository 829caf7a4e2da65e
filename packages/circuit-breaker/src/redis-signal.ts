import { CircuitStoreError } from './errors.js';
import { type CircuitSnapshot, isCircuitState, type ProbeLease } from './state.js';
import type { CircuitStateSignal, StateHint } from './store.js';

/**
 * The Redis commands the signal uses. `@upstash/redis`' `Redis` satisfies it, with automatic deserialization on or
 * off (a hint read back may be a string or an already parsed object).
 *
 * @example
 * ```ts
 * const redis: StateSignalRedis = Redis.fromEnv(); // @upstash/redis fits
 * ```
 */
export interface StateSignalRedis {
  get(key: string): Promise<unknown>;
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
}

/**
 * Options of {@link RedisStateSignal}.
 *
 * @example
 * ```ts
 * const options: RedisStateSignalOptions = { redis: Redis.fromEnv() };
 * ```
 */
export interface RedisStateSignalOptions {
  /**
   * The project's @upstash/redis client (REST; keep auto-pipelining on: reads of several circuits in one tick share
   * one request), or a function resolving it (e.g. after reading its secret; a rejection counts as Redis down).
   */
  readonly redis: StateSignalRedis | (() => Promise<StateSignalRedis>);
  /** Prefix of the keys (default `breaker`): `<prefix>:{<circuit id>}:state`. */
  readonly keyPrefix?: string;
  /**
   * The hint expires this long after its last publish (default 600 s). It only has to outlive `maxStaleMs`: by
   * then every container has read the state store anyway.
   */
  readonly ttlSeconds?: number;
}

/**
 * Sets the hint unless the stored one carries a version at least as new, so a publisher that was overtaken can never
 * hide a newer transition. The version is matched in the JSON this class writes (no cjson needed).
 */
const PUBLISH_IF_NEWER = `
local current = redis.call('GET', KEYS[1])
if current then
  local stored = tonumber(string.match(current, '"version":(%d+)'))
  if stored and stored >= tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return 1`;

const parseHint = (raw: unknown): StateHint | undefined => {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { state, version, openUntil, snapshot } = value as Record<string, unknown>;
  if (!isCircuitState(state) || typeof version !== 'number' || !Number.isInteger(version)) return undefined;
  const published = parseSnapshot(snapshot);
  return {
    state,
    version,
    ...(typeof openUntil === 'number' ? { openUntil } : {}),
    ...(published?.version === version && published.state === state ? { snapshot: published } : {}),
  };
};

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** A published snapshot, or undefined when any field is missing or malformed (the hint then only says "look"). */
const parseSnapshot = (raw: unknown): CircuitSnapshot | undefined => {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { state, version, since, openUntil, reopens, probes, successes, windowStart, reason } = raw as Record<
    string,
    unknown
  >;
  if (!isCircuitState(state) || !isNumber(version) || !isNumber(since) || !isNumber(reopens))
    return undefined;
  if (!isNumber(successes) || !isNumber(windowStart) || typeof reason !== 'string') return undefined;
  if (openUntil !== undefined && !isNumber(openUntil)) return undefined;
  if (typeof probes !== 'object' || probes === null) return undefined;
  const leases: Record<string, ProbeLease> = {};
  for (const [slot, lease] of Object.entries(probes)) {
    const { id, until } = (lease ?? {}) as Record<string, unknown>;
    if (typeof id !== 'string' || !isNumber(until)) return undefined;
    leases[slot] = { id, until };
  }
  return {
    state,
    version,
    since,
    ...(openUntil === undefined ? {} : { openUntil }),
    reopens,
    probes: leases,
    successes,
    windowStart,
    reason,
  };
};

/**
 * The fast path in Redis (Upstash REST): one small key per circuit, `<prefix>:{<circuit id>}:state` =
 * `{"state","version","openUntil","snapshot"}` (≈ 300 bytes) with a TTL. A publish is one EVAL (compare the version, then SET EX); a read is
 * one GET. Braces make the circuit id a hash tag, so a circuit's keys (this one and the counters' window) share a
 * cluster slot. Errors surface as `CircuitStoreError` (operation `signal.read` / `signal.publish`).
 *
 * @example
 * ```ts
 * import { RedisStateSignal } from '@breakwater/circuit-breaker/redis';
 * import { Redis } from '@upstash/redis';
 *
 * const breakers = dynamoDbCircuitBreakers({ client, tableName, signal: new RedisStateSignal({ redis: Redis.fromEnv() }) });
 * ```
 */
export class RedisStateSignal implements CircuitStateSignal {
  readonly #redis: () => Promise<StateSignalRedis>;
  readonly #prefix: string;
  readonly #ttlSeconds: number;

  public constructor(options: RedisStateSignalOptions) {
    const { redis } = options;
    this.#redis = typeof redis === 'function' ? redis : async () => redis;
    this.#prefix = options.keyPrefix ?? 'breaker';
    this.#ttlSeconds = options.ttlSeconds ?? 600;
  }

  /** The key holding a circuit's hint. */
  public keyOf(circuitId: string): string {
    return `${this.#prefix}:{${circuitId}}:state`;
  }

  public async publish(circuitId: string, hint: StateHint): Promise<void> {
    try {
      const redis = await this.#redis();
      await redis.eval(
        PUBLISH_IF_NEWER,
        [this.keyOf(circuitId)],
        [JSON.stringify(hint), String(hint.version), String(this.#ttlSeconds)],
      );
    } catch (error) {
      throw new CircuitStoreError(circuitId, 'signal.publish', { cause: error });
    }
  }

  public async read(circuitId: string): Promise<StateHint | undefined> {
    try {
      const redis = await this.#redis();
      return parseHint(await redis.get(this.keyOf(circuitId)));
    } catch (error) {
      throw new CircuitStoreError(circuitId, 'signal.read', { cause: error });
    }
  }
}
