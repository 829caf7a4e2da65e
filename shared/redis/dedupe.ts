import type { RedisCommands } from './client';

/** The Redis key that remembers `consumer` handled `eventId`. */
export const dedupeKey = (consumer: string, eventId: string): string => `dedupe:${consumer}:${eventId}`;

/** What a claim found: the key is now ours, or another run holds it, or the work was already done. */
export type ClaimResult = 'claimed' | 'in-flight' | 'done';

/**
 * Remembers which events a consumer has handled, across containers. A claim is held only for the run's remaining
 * time; completing it keeps it for the full TTL. So a run that crashes after claiming does not swallow the event:
 * its claim lapses and the retry runs again.
 */
export interface DedupeStore {
  claim(key: string, inFlightSeconds: number): Promise<ClaimResult>;
  complete(key: string, ttlSeconds: number): Promise<void>;
  release(key: string): Promise<void>;
}

const IN_FLIGHT = 'in-flight';
const DONE = 'done';

/** `DedupeStore` over Redis: `SET key in-flight EX n NX` to claim, `SET key done EX ttl` to complete. */
export class RedisDedupeStore implements DedupeStore {
  readonly #redis: () => Promise<RedisCommands>;

  public constructor(redis: () => Promise<RedisCommands>) {
    this.#redis = redis;
  }

  public async claim(key: string, inFlightSeconds: number): Promise<ClaimResult> {
    const redis = await this.#redis();
    if ((await redis.set(key, IN_FLIGHT, { ex: inFlightSeconds, nx: true })) !== null) return 'claimed';
    // Taken: by a finished run, or by one still running (or that lapsed between the two commands: retry then).
    return (await redis.get(key)) === DONE ? 'done' : 'in-flight';
  }

  public async complete(key: string, ttlSeconds: number): Promise<void> {
    await (await this.#redis()).set(key, DONE, { ex: ttlSeconds });
  }

  public async release(key: string): Promise<void> {
    await (await this.#redis()).del(key);
  }
}
