import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { CircuitStoreError } from './errors.js';
import { type CircuitSnapshot, initialSnapshot, isCircuitState, type ProbeLease } from './state.js';
import type {
  CircuitStateStore,
  CompareAndSetResult,
  FlushContext,
  FlushResult,
  OutcomeCounterStore,
  StoredCircuit,
  WriteContext,
} from './store.js';
import type { BucketCounts } from './window.js';

/**
 * The breaker table's item: ONE item per circuit holds both the state and the window's counters, so a single
 * UpdateItem flushes this container's outcomes (atomic ADD) and returns the fresh state and the whole fleet-wide
 * window (ReturnValues ALL_NEW). Table: partition key `pk` (S), TTL attribute `expiresAt`, nothing else.
 *
 * | attribute     | type | meaning                                                                           |
 * |---------------|------|-----------------------------------------------------------------------------------|
 * | pk            | S    | circuit id, e.g. `gateway:stripe-eu`                                              |
 * | state         | S    | CLOSED, OPEN, HALF_OPEN, FORCED_OPEN, DISABLED, METRICS_ONLY (absent = CLOSED)    |
 * | version       | N    | fencing version, +1 on every state write, each one conditional (absent = 0)      |
 * | since         | N    | epoch ms the state was entered                                                    |
 * | openUntil     | N    | OPEN only: end of the cooldown, epoch ms                                          |
 * | reopens       | N    | failed half-open rounds since the last close (cooldown growth)                    |
 * | probes        | M    | HALF_OPEN only: slot → { id S, until N } probe leases                             |
 * | successes     | N    | HALF_OPEN only: successful probes in this round                                   |
 * | windowStart   | N    | epoch ms; window buckets that start earlier are ignored (reset on close)          |
 * | reason, updatedAt | S, N | last transition's reason; epoch ms of the last state write                   |
 * | c<n>, f<n>, s<n> | N | calls, failures, slow calls in bucket n = floor(epoch ms / bucketMs) (ADD only)    |
 * | p<n>          | N    | containers' presence in bucket n, ms (ADD only): the fleet-size estimate          |
 * | expiresAt     | N    | TTL, epoch seconds: last flush or state write + retention                          |
 *
 * Counter writes never touch `version`; state writes never touch counters: neither can undo the other.
 *
 * @example
 * ```ts
 * new Table(stack, 'Breaker', {
 *   partitionKey: { name: breakerItemSchema.partitionKey, type: AttributeType.STRING },
 *   timeToLiveAttribute: breakerItemSchema.timeToLiveAttribute,
 * });
 * ```
 */
export const breakerItemSchema = {
  partitionKey: 'pk',
  timeToLiveAttribute: 'expiresAt',
  bucketAttribute: /^([cfsp])(\d+)$/,
} as const;

/**
 * Options of {@link DynamoDbCircuitStore}.
 *
 * @example
 * ```ts
 * const options: DynamoDbCircuitStoreOptions = { client: new DynamoDBClient({}), tableName: 'breaker' };
 * ```
 */
export interface DynamoDbCircuitStoreOptions {
  /** A ready client. Give it short timeouts and few attempts (e.g. `maxAttempts: 2`): the breaker has a fallback. */
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

const n = (value: number): AttributeValue => ({ N: String(value) });
const s = (value: string): AttributeValue => ({ S: value });
const num = (value: AttributeValue | undefined): number | undefined =>
  value?.N === undefined ? undefined : Number(value.N);

/**
 * The circuit state store and counter store on DynamoDB (see {@link breakerItemSchema}).
 *
 * @example
 * ```ts
 * import { DynamoDbCircuitStore } from '@breakwater/circuit-breaker/dynamodb';
 *
 * const store = new DynamoDbCircuitStore({ client: new DynamoDBClient({ maxAttempts: 2 }), tableName: 'breaker' });
 * const breaker = new CircuitBreaker('gateway', { stateStore: store, counterStore: store });
 * ```
 */
export class DynamoDbCircuitStore implements CircuitStateStore, OutcomeCounterStore {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  /** Bucket indexes seen in each circuit's item: the next flush removes those that left the window. */
  readonly #seenBuckets = new Map<string, Set<number>>();

  public constructor(options: DynamoDbCircuitStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  public async read(circuitId: string): Promise<StoredCircuit> {
    const output = await this.#send(circuitId, 'read', () =>
      this.#client.send(
        new GetItemCommand({ TableName: this.#tableName, Key: { pk: s(circuitId) }, ConsistentRead: true }),
      ),
    );
    return this.#parse(circuitId, output.Item);
  }

  public async compareAndSet(
    circuitId: string,
    expectedVersion: number,
    next: CircuitSnapshot,
    context: WriteContext,
  ): Promise<CompareAndSetResult> {
    const values: Record<string, AttributeValue> = {
      ':state': s(next.state),
      ':version': n(next.version),
      ':since': n(next.since),
      ':reopens': n(next.reopens),
      ':probes': {
        M: Object.fromEntries(Object.entries(next.probes).map(([slot, lease]) => [slot, leaseItem(lease)])),
      },
      ':successes': n(next.successes),
      ':windowStart': n(next.windowStart),
      ':reason': s(next.reason),
      ':updatedAt': n(context.now),
      ':expiresAt': n(context.expiresAt),
    };
    const sets = Object.keys(values).map((key) => `#${key.slice(1)} = ${key}`);
    if (next.openUntil !== undefined) {
      values[':openUntil'] = n(next.openUntil);
      sets.push('#openUntil = :openUntil');
    }
    if (expectedVersion > 0) values[':expected'] = n(expectedVersion);
    const names = Object.fromEntries(
      [
        'state',
        'version',
        'since',
        'reopens',
        'probes',
        'successes',
        'windowStart',
        'reason',
        'updatedAt',
        'expiresAt',
        'openUntil',
      ].map((name) => [`#${name}`, name]),
    );
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { pk: s(circuitId) },
          UpdateExpression: `SET ${sets.join(', ')}${next.openUntil === undefined ? ' REMOVE #openUntil' : ''}`,
          // The fence: a never-written circuit has no version attribute (counters alone may exist already).
          ConditionExpression:
            expectedVersion > 0 ? '#version = :expected' : 'attribute_not_exists(#version)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { applied: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return { applied: false, current: this.#parse(circuitId, error.Item).snapshot };
      }
      throw new CircuitStoreError(circuitId, 'compareAndSet', { cause: error });
    }
  }

  public async flush(
    circuitId: string,
    deltas: readonly BucketCounts[],
    context: FlushContext,
  ): Promise<FlushResult> {
    const adds: string[] = [];
    const names: Record<string, string> = { '#expiresAt': 'expiresAt' };
    const values: Record<string, AttributeValue> = { ':expiresAt': n(context.expiresAt) };
    const { presence } = context;
    const withPresence =
      deltas.length === 0 || presence === undefined
        ? deltas
        : [...deltas, { index: presence.index, calls: 0, failures: 0, slow: 0, presenceMs: presence.ms }];
    for (const delta of withPresence) {
      for (const [prefix, count] of [
        ['c', delta.calls],
        ['f', delta.failures],
        ['s', delta.slow],
        ['p', delta.presenceMs ?? 0],
      ] as const) {
        if (count === 0) continue;
        // The same bucket may come twice (its counts, then this container's presence): one ADD per attribute.
        if (values[`:${prefix}${delta.index}`] !== undefined) continue;
        const token = `${prefix}${delta.index}`;
        names[`#${token}`] = token;
        values[`:${token}`] = n(count);
        adds.push(`#${token} :${token}`);
      }
    }
    if (adds.length === 0) {
      const stored = await this.read(circuitId);
      return { buckets: stored.buckets ?? [], snapshot: stored.snapshot };
    }
    // Forget buckets that left the window, a bounded number per flush to keep the expression small.
    const removes: string[] = [];
    for (const index of this.#seenBuckets.get(circuitId) ?? []) {
      if (index >= context.staleBefore || removes.length >= 60) continue;
      for (const prefix of ['c', 'f', 's', 'p']) {
        names[`#r${prefix}${index}`] = `${prefix}${index}`;
        removes.push(`#r${prefix}${index}`);
      }
    }
    const output = await this.#send(circuitId, 'flush', () =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { pk: s(circuitId) },
          UpdateExpression: `ADD ${adds.join(', ')} SET #expiresAt = :expiresAt${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    const stored = this.#parse(circuitId, output.Attributes);
    return { buckets: stored.buckets ?? [], snapshot: stored.snapshot };
  }

  async #send<T>(circuitId: string, operation: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw new CircuitStoreError(circuitId, operation, { cause: error });
    }
  }

  #parse(circuitId: string, item: Record<string, AttributeValue> | undefined): StoredCircuit {
    if (item === undefined) return { snapshot: initialSnapshot, buckets: [] };
    const buckets = new Map<number, { calls: number; failures: number; slow: number; presenceMs?: number }>();
    for (const [name, value] of Object.entries(item)) {
      const match = breakerItemSchema.bucketAttribute.exec(name);
      if (match === null) continue;
      const index = Number(match[2]);
      const bucket = buckets.get(index) ?? { calls: 0, failures: 0, slow: 0 };
      const count = num(value) ?? 0;
      if (match[1] === 'c') bucket.calls = count;
      else if (match[1] === 'f') bucket.failures = count;
      else if (match[1] === 's') bucket.slow = count;
      else bucket.presenceMs = count;
      buckets.set(index, bucket);
    }
    this.#seenBuckets.set(circuitId, new Set(buckets.keys()));
    const state = item.state?.S ?? 'CLOSED';
    if (!isCircuitState(state)) {
      throw new CircuitStoreError(circuitId, 'parse', { cause: new Error(`unknown state '${state}'`) });
    }
    const probes: Record<string, ProbeLease> = {};
    for (const [slot, lease] of Object.entries(item.probes?.M ?? {})) {
      const id = lease.M?.id?.S;
      const until = num(lease.M?.until);
      if (id !== undefined && until !== undefined) probes[slot] = { id, until };
    }
    const openUntil = num(item.openUntil);
    return {
      snapshot: {
        state,
        version: num(item.version) ?? 0,
        since: num(item.since) ?? 0,
        ...(openUntil === undefined ? {} : { openUntil }),
        reopens: num(item.reopens) ?? 0,
        probes,
        successes: num(item.successes) ?? 0,
        windowStart: num(item.windowStart) ?? 0,
        reason: item.reason?.S ?? initialSnapshot.reason,
      },
      buckets: [...buckets].map(([index, counts]) => ({ index, ...counts })),
    };
  }
}

const leaseItem = (lease: ProbeLease): AttributeValue => ({ M: { id: s(lease.id), until: n(lease.until) } });
