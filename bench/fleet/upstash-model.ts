/**
 * Upstash Redis as the fleet simulation models it: a database-wide limit of commands per second (pay-as-you-go and
 * the free tier: 10,000 commands/s, https://upstash.com/docs/redis/overall/billing), one REST round trip of latency
 * per request, every command of a pipeline or script counted as Upstash bills it (a script counts once). Over the
 * limit a request fails, as a rate-limited REST call does; the breaker treats it as Redis down.
 */
import type { CircuitStateSignal, StateHint } from '@breakwater/circuit-breaker';
import { MemoryStateSignal } from '@breakwater/circuit-breaker/testing';
import type { VirtualTime } from './scheduler';

export const UpstashLimits = { commandsPerSecond: 10_000 } as const;

/** Options of the model. */
export interface UpstashModelOptions {
  readonly time: VirtualTime;
  readonly random: () => number;
  /** One-way latency, ms (default 1 + up to 2 of jitter). */
  readonly latencyMs?: () => number;
}

/** The Redis database shared by every simulated container. */
export class UpstashModel {
  readonly #time: VirtualTime;
  readonly #latencyMs: () => number;
  readonly #perSecond = new Map<number, number>();
  readonly #perKeySecond = new Map<string, number>();
  /** While true, every request fails (an outage). */
  public down = false;
  public readonly requests = { accepted: 0, rateLimited: 0, failedWhileDown: 0 };
  public maxCommandsPerSecond = 0;
  public maxKeyCommandsPerSecond = 0;
  readonly #signal = new MemoryStateSignal();

  public constructor(options: UpstashModelOptions) {
    this.#time = options.time;
    this.#latencyMs = options.latencyMs ?? (() => 1 + Math.floor(options.random() * 3));
  }

  /** One REST request of `commands` commands touching `key`; `run` applies it. */
  public async request<T>(key: string, commands: number, run: () => Promise<T> | T): Promise<T> {
    await this.#time.sleep(this.#latencyMs());
    if (this.down) {
      this.requests.failedWhileDown += 1;
      await this.#time.sleep(this.#latencyMs());
      throw new Error('fetch failed: Redis unreachable');
    }
    const second = Math.floor(this.#time.now() / 1_000);
    const used = this.#perSecond.get(second) ?? 0;
    if (used + commands > UpstashLimits.commandsPerSecond) {
      this.requests.rateLimited += 1;
      await this.#time.sleep(this.#latencyMs());
      throw new Error('ERR max commands per second exceeded');
    }
    this.#perSecond.set(second, used + commands);
    this.maxCommandsPerSecond = Math.max(this.maxCommandsPerSecond, used + commands);
    const keySecond = `${key}@${second}`;
    const keyUsed = (this.#perKeySecond.get(keySecond) ?? 0) + commands;
    this.#perKeySecond.set(keySecond, keyUsed);
    this.maxKeyCommandsPerSecond = Math.max(this.maxKeyCommandsPerSecond, keyUsed);
    this.requests.accepted += 1;
    const result = await run();
    await this.#time.sleep(this.#latencyMs());
    return result;
  }

  /** The fast path as `RedisStateSignal` uses it: a GET per read, one EVAL per publish. */
  public signal(): CircuitStateSignal {
    return {
      publish: (circuitId: string, hint: StateHint) =>
        this.request(`breaker:{${circuitId}}:state`, 1, () => this.#signal.publish(circuitId, hint)),
      read: (circuitId: string) =>
        this.request(`breaker:{${circuitId}}:state`, 1, () => this.#signal.read(circuitId)),
    };
  }
}
