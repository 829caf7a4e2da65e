/**
 * DynamoDB as the fleet simulation models it: the breaker's store semantics (the memory store's fencing and ADD
 * counters), per-item throughput limits, item sizes, latency and the SDK's retry of throttled requests.
 *
 * Limits modelled (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html and
 * .../provisioned-capacity-mode.html#read-write-capacity-units): one item lives on one partition, which serves at
 * most 1,000 WCU/s and 3,000 RCU/s; a write costs 1 WCU per KB of the larger of the item before and after it (a
 * refused conditional write costs the same); a strongly consistent read costs 1 RCU per 4 KB. Over the limit a
 * request fails with ProvisionedThroughputExceededException and consumes nothing; the SDK (billing's client has
 * `maxAttempts: 2`) retries it once after a jittered back-off.
 */
import {
  type BucketCounts,
  type CircuitSnapshot,
  type CircuitStateStore,
  CircuitStoreError,
  type CompareAndSetResult,
  type FlushContext,
  type FlushResult,
  MemoryCircuitStore,
  type OutcomeCounterStore,
  type StoredCircuit,
  type WriteContext,
} from '@breakwater/circuit-breaker';
import type { VirtualTime } from './scheduler';

/** The per-partition limits (per item here: one item per partition). */
export const DynamoDbLimits = { wcuPerSecond: 1_000, rcuPerSecond: 3_000 } as const;

/** What one item consumed in one second. */
interface SecondUse {
  wcu: number;
  rcu: number;
  writes: number;
  reads: number;
}

/** Per-item figures of a run. */
export interface ItemFigures {
  readonly maxWritesPerSecond: number;
  readonly maxReadsPerSecond: number;
  readonly maxWcuPerSecond: number;
  readonly maxRcuPerSecond: number;
  readonly maxItemBytes: number;
}

const numberBytes = (value: number): number => Math.ceil(String(Math.abs(Math.trunc(value))).length / 2) + 1;
const stringBytes = (value: string): number => Buffer.byteLength(value, 'utf8');

/** The stored size of a circuit's item as DynamoDbCircuitStore writes it (names + values, DynamoDB's rules). */
export const breakerItemBytes = (
  circuitId: string,
  snapshot: CircuitSnapshot,
  buckets: readonly BucketCounts[],
): number => {
  let bytes = 2 + stringBytes(circuitId);
  if (snapshot.version > 0) {
    bytes += 5 + stringBytes(snapshot.state);
    bytes += 7 + numberBytes(snapshot.version) + 5 + numberBytes(snapshot.since);
    bytes += 7 + numberBytes(snapshot.reopens) + 9 + numberBytes(snapshot.successes);
    bytes += 11 + numberBytes(snapshot.windowStart) + 6 + stringBytes(snapshot.reason);
    bytes += 9 + numberBytes(snapshot.since); // updatedAt
    bytes += 6 + 3; // probes map
    for (const [slot, lease] of Object.entries(snapshot.probes)) {
      bytes += stringBytes(slot) + 3 + 2 + stringBytes(lease.id) + 5 + numberBytes(lease.until);
    }
    if (snapshot.openUntil !== undefined) bytes += 9 + numberBytes(snapshot.openUntil);
  }
  bytes += 9 + 6; // expiresAt
  for (const bucket of buckets) {
    const name = 1 + String(bucket.index).length;
    for (const count of [bucket.calls, bucket.failures, bucket.slow])
      if (count > 0) bytes += name + numberBytes(count);
  }
  return bytes;
};

/** Options of the model. */
export interface DynamoDbModelOptions {
  readonly time: VirtualTime;
  readonly random: () => number;
  /** One-way latency of a request, ms (default 4 + up to 4 of jitter). */
  readonly latencyMs?: () => number;
  /** SDK attempts per request (billing: 2). */
  readonly maxAttempts?: number;
  /** Counters kept with the state (DynamoDbCircuitStore) or elsewhere (the item holds the state only). */
  readonly countersInItem?: boolean;
}

/** The breaker table, shared by every simulated container. */
export class DynamoDbModel {
  readonly #memory = new MemoryCircuitStore();
  readonly #options: Required<Omit<DynamoDbModelOptions, 'latencyMs'>> & { latencyMs: () => number };
  readonly #seconds = new Map<string, Map<number, SecondUse>>();
  readonly #sizes = new Map<string, number>();
  /** Requests by outcome, attempts counted one by one. */
  public readonly requests = { reads: 0, writes: 0, throttled: 0, failedAfterRetries: 0 };
  public maxItemBytes = 0;

  public constructor(options: DynamoDbModelOptions) {
    this.#options = {
      maxAttempts: 2,
      countersInItem: true,
      latencyMs: () => 4 + Math.floor(options.random() * 5),
      ...options,
    };
  }

  /** A container's view of the table (what `DynamoDbCircuitStore` is to a real container). */
  public client(): CircuitStateStore & OutcomeCounterStore {
    return {
      read: (circuitId) => this.#request(circuitId, 'read', () => this.#memory.read(circuitId)),
      compareAndSet: (circuitId, expected, next, context) =>
        this.#request(circuitId, 'write', () =>
          this.#memory.compareAndSet(circuitId, expected, next, context),
        ),
      flush: (circuitId, deltas, context) =>
        deltas.length === 0
          ? this.#request(circuitId, 'read', () => this.#memory.flush(circuitId, deltas, context))
          : this.#request(circuitId, 'write', () => this.#memory.flush(circuitId, deltas, context)),
    };
  }

  /** The stored state (for the simulation's own observations; costs nothing). */
  public async peek(circuitId: string): Promise<StoredCircuit> {
    return this.#memory.read(circuitId);
  }

  /** Per-second use of one item, in time order: [epoch second, writes, reads, WCU, RCU]. */
  public timeline(circuitId: string): [number, number, number, number, number][] {
    return [...(this.#seconds.get(circuitId) ?? new Map<number, SecondUse>())]
      .sort(([a], [b]) => a - b)
      .map(([second, use]) => [second, use.writes, use.reads, use.wcu, use.rcu]);
  }

  /** Per-item maxima over the run. */
  public figures(circuitId: string): ItemFigures {
    const seconds = [...(this.#seconds.get(circuitId)?.values() ?? [])];
    const max = (pick: (use: SecondUse) => number) => Math.max(0, ...seconds.map(pick));
    return {
      maxWritesPerSecond: max((use) => use.writes),
      maxReadsPerSecond: max((use) => use.reads),
      maxWcuPerSecond: max((use) => use.wcu),
      maxRcuPerSecond: max((use) => use.rcu),
      maxItemBytes: this.maxItemBytes,
    };
  }

  async #request<T extends StoredCircuit | FlushResult | CompareAndSetResult>(
    circuitId: string,
    kind: 'read' | 'write',
    operation: () => Promise<T>,
  ): Promise<T> {
    const { time, random, maxAttempts, latencyMs } = this.#options;
    for (let attempt = 1; ; attempt += 1) {
      await time.sleep(latencyMs());
      const use = this.#use(circuitId);
      const before = this.#sizes.get(circuitId) ?? 0;
      if (kind === 'read') {
        const rcu = Math.max(1, Math.ceil(before / 4_096));
        if (use.rcu + rcu <= DynamoDbLimits.rcuPerSecond) {
          use.rcu += rcu;
          use.reads += 1;
          this.requests.reads += 1;
          const result = await operation();
          await time.sleep(latencyMs());
          return result;
        }
      } else {
        // The cost is known once the write is applied (the larger of old and new): apply, then check the budget
        // against the larger size; a throttled write is undone by applying nothing (checked before applying).
        const estimate = Math.max(1, Math.ceil(before / 1_024));
        if (use.wcu + estimate <= DynamoDbLimits.wcuPerSecond) {
          const result = await operation();
          const after = await this.#size(circuitId);
          use.wcu += Math.max(1, Math.ceil(Math.max(before, after) / 1_024));
          use.writes += 1;
          this.requests.writes += 1;
          await time.sleep(latencyMs());
          return result;
        }
      }
      this.requests.throttled += 1;
      if (attempt >= maxAttempts) {
        this.requests.failedAfterRetries += 1;
        const cause = Object.assign(
          new Error('The level of configured provisioned throughput for the table was exceeded.'),
          {
            name: 'ProvisionedThroughputExceededException',
          },
        );
        await time.sleep(latencyMs());
        throw new CircuitStoreError(circuitId, kind, { cause });
      }
      // The SDK's standard retry strategy backs off throttling errors (base 500 ms, full jitter).
      await time.sleep(Math.floor(random() * 500));
    }
  }

  async #size(circuitId: string): Promise<number> {
    const stored = await this.#memory.read(circuitId);
    const bytes = breakerItemBytes(
      circuitId,
      stored.snapshot,
      this.#options.countersInItem ? (stored.buckets ?? []) : [],
    );
    this.#sizes.set(circuitId, bytes);
    this.maxItemBytes = Math.max(this.maxItemBytes, bytes);
    return bytes;
  }

  #use(circuitId: string): SecondUse {
    let perItem = this.#seconds.get(circuitId);
    if (perItem === undefined) {
      perItem = new Map();
      this.#seconds.set(circuitId, perItem);
    }
    const second = Math.floor(this.#options.time.now() / 1_000);
    let use = perItem.get(second);
    if (use === undefined) {
      use = { wcu: 0, rcu: 0, writes: 0, reads: 0 };
      perItem.set(second, use);
    }
    return use;
  }
}

export type { FlushContext, WriteContext };
