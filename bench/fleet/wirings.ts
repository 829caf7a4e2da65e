import type { Wiring } from './simulation';

/**
 * The design before the redesign (measured as the baseline): state and counters in one DynamoDB item, flushed by
 * every container every 15 s when quiet and every 1 s after a failure; the Redis fast path read once a second by
 * every calling container.
 */
export const perContainerSyncs: Wiring = {
  name: 'per-container syncs (before)',
  countersInItem: true,
  container: ({ dynamoDb, upstash }) => {
    const store = dynamoDb.client();
    return { stateStore: store, counterStore: store, signal: upstash.signal() };
  },
};

/** Every design the benchmark runs, the baseline first. */
export const designs: readonly Wiring[] = [perContainerSyncs];
