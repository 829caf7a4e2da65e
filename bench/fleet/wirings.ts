import { BASELINE_COMMIT, loadBaselineBreaker } from './baseline';
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

/**
 * The redesign: the same stores, with coordination budgets. Every container estimates the fleet from the window's
 * presence counts and stretches its intervals to fleet / budget; the fast path carries the whole snapshot (a
 * transition costs Redis reads, not state-store reads); probe attempts are rationed when the cooldown ends.
 */
export const budgetedCoordination: Wiring = {
  name: 'budgeted coordination (after)',
  countersInItem: true,
  container: ({ dynamoDb, upstash }, random) => {
    const store = dynamoDb.client();
    return { stateStore: store, counterStore: store, signal: upstash.signal(), random };
  },
};

/**
 * The design before the redesign, reproduced by the current code: budgets so large that no interval ever
 * stretches and no probe attempt is rationed.
 */
export const perContainerSyncsReproduced: Wiring = {
  ...perContainerSyncs,
  container: (shared, random) => ({
    ...perContainerSyncs.container(shared, random),
    config: {
      stateWritesPerSecond: 1e9,
      stateReadsPerSecond: 1e9,
      signalReadsPerSecond: 1e9,
      probeAttemptsPerSecond: 1e9,
    },
  }),
};

/**
 * Every design the benchmark runs, the baseline first: the code before the redesign itself (from git, see
 * baseline.ts), or, when this clone lacks that commit, the current code with unlimited budgets.
 */
export const benchmarkDesigns = async (): Promise<readonly Wiring[]> => {
  try {
    const breaker = await loadBaselineBreaker();
    return [
      { ...perContainerSyncs, name: `per-container syncs (before, ${BASELINE_COMMIT.slice(0, 7)})`, breaker },
      budgetedCoordination,
    ];
  } catch {
    return [perContainerSyncsReproduced, budgetedCoordination];
  }
};
