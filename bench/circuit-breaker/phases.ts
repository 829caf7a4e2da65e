import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type CircuitBreaker, CircuitOpenError } from '@breakwater/circuit-breaker';
import type { NaiveBreaker } from './naive-breaker';
import { drive } from './workload';

/** The workload every phase runs: containers, total call rate, duration. */
export interface Workload {
  readonly containers: number;
  readonly callsPerSecond: number;
  readonly seconds: number;
}

/** Request counters of a breaker family: DynamoDB HTTP attempts and Redis REST requests so far. */
export interface RequestCounters {
  readonly dynamoDb: () => number;
  readonly redis: () => number;
}

const noop = async (): Promise<string> => 'ok';

/** The closed, steady workload through `breakers`: latencies and the store requests it cost. */
export const closedSteady = async (
  breakers: readonly CircuitBreaker[],
  counters: RequestCounters,
  workload: Workload,
) => {
  for (const breaker of breakers) await breaker.execute(noop);
  const unguarded: number[] = [];
  const decision: number[] = [];
  const total: number[] = [];
  const before = { dynamoDb: counters.dynamoDb(), redis: counters.redis() };
  const calls = await drive(workload, async (container) => {
    let start = performance.now();
    await noop();
    unguarded.push(performance.now() - start);
    let entered = 0;
    start = performance.now();
    await breakers[container]!.execute(async () => {
      entered = performance.now();
      return 'ok';
    });
    total.push(performance.now() - start);
    decision.push(entered - start);
  });
  return {
    calls,
    dynamoDbRequests: counters.dynamoDb() - before.dynamoDb,
    redisRequests: counters.redis() - before.redis,
    unguarded,
    decision,
    total,
  };
};

/**
 * How long after `trip()` (an operator opening the circuit from one container) each container first rejects,
 * while every container keeps calling at the workload's rate: the fleet-wide visibility of a transition.
 */
export const tripVisibility = async (
  breakers: readonly CircuitBreaker[],
  trip: () => Promise<void>,
  { containers, callsPerSecond }: Omit<Workload, 'seconds'>,
  timeoutMs: number,
): Promise<number[]> => {
  const seen: (number | undefined)[] = breakers.map(() => undefined);
  const perContainerMs = (1_000 * containers) / callsPerSecond;
  await trip();
  const trippedAt = performance.now();
  await Promise.all(
    breakers.map(async (breaker, container) => {
      await sleep((container * perContainerMs) / containers);
      while (seen[container] === undefined && performance.now() - trippedAt < timeoutMs) {
        try {
          await breaker.execute(noop);
        } catch (error) {
          if (!(error instanceof CircuitOpenError)) throw error;
          seen[container] = performance.now() - trippedAt;
        }
        await sleep(perContainerMs);
      }
    }),
  );
  return seen.map((ms) => ms ?? Number.POSITIVE_INFINITY);
};

/** Rejections of an open circuit: their latency, the requests they cost, and the calls that got through. */
export const openRejections = async (
  breakers: readonly CircuitBreaker[],
  counters: RequestCounters,
  workload: Workload,
) => {
  const decision: number[] = [];
  const before = { dynamoDb: counters.dynamoDb(), redis: counters.redis() };
  let gatewayCalls = 0;
  const calls = await drive(workload, async (container) => {
    const start = performance.now();
    try {
      await breakers[container]!.execute(async () => ++gatewayCalls);
    } catch (error) {
      if (!(error instanceof CircuitOpenError)) throw error;
    }
    decision.push(performance.now() - start);
  });
  return {
    calls,
    dynamoDbRequests: counters.dynamoDb() - before.dynamoDb,
    redisRequests: counters.redis() - before.redis,
    gatewayCalls,
    decision,
  };
};

/** The naive baseline, closed then open, on the same workload. */
export const naivePhases = async (
  naive: readonly NaiveBreaker[],
  requests: () => number,
  workload: Workload,
) => {
  const closed: number[] = [];
  let before = requests();
  const closedCalls = await drive(workload, async (container) => {
    const start = performance.now();
    await naive[container]!.execute(noop);
    closed.push(performance.now() - start);
  });
  const closedRequests = requests() - before;
  await naive[0]!.open();
  const open: number[] = [];
  before = requests();
  const openCalls = await drive(workload, async (container) => {
    const start = performance.now();
    await naive[container]!.execute(noop).catch(() => undefined);
    open.push(performance.now() - start);
  });
  return {
    closed: { calls: closedCalls, requests: closedRequests, latency: closed },
    open: { calls: openCalls, requests: requests() - before, latency: open },
  };
};
