import type { RedisCommands } from '../../shared/redis/client';

/**
 * `RedisCommands` over a Map, with expiry by a controllable clock and a switch that makes every command fail (to
 * test that Redis is never load-bearing).
 */
export class InMemoryRedis implements RedisCommands {
  readonly #values = new Map<string, { value: string; expiresAt: number }>();
  /** When set, every command rejects with this error. */
  public failWith: Error | undefined;
  /** Milliseconds since the epoch, as Redis sees it. */
  public now = Date.now();
  /** Every command received, e.g. `['set', 'order:1']`. */
  public readonly calls: string[][] = [];

  public async get(key: string): Promise<string | null> {
    this.#check('get', key);
    const entry = this.#values.get(key);
    if (entry === undefined || entry.expiresAt <= this.now) return null;
    return entry.value;
  }

  public async set(
    key: string,
    value: string,
    options: { ex: number } | { ex: number; nx: true },
  ): Promise<string | null> {
    this.#check('set', key);
    // Checked and written without yielding: SET NX is atomic in Redis, and parallel records rely on it.
    const current = this.#values.get(key);
    if ('nx' in options && current !== undefined && current.expiresAt > this.now) return null;
    this.#values.set(key, { value, expiresAt: this.now + options.ex * 1000 });
    return 'OK';
  }

  public async del(...keys: string[]): Promise<number> {
    this.#check('del', ...keys);
    let deleted = 0;
    for (const key of keys) if (this.#values.delete(key)) deleted += 1;
    return deleted;
  }

  /** Seconds until `key` expires, or undefined when absent. */
  public ttlSeconds(key: string): number | undefined {
    const entry = this.#values.get(key);
    return entry === undefined ? undefined : Math.round((entry.expiresAt - this.now) / 1000);
  }

  #check(command: string, ...keys: string[]): void {
    this.calls.push([command, ...keys]);
    if (this.failWith !== undefined) throw this.failWith;
  }
}
