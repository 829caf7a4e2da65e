/**
 * Circuit breaker benchmark: `npm exec -- tsx bench/circuit-breaker.bench.ts` (BENCH_SECONDS sets the closed
 * phase, default 30 = two quiet sync intervals, so the steady rate is measured over whole intervals).
 *
 * Workload: 10 simulated containers (each its own breaker, cache, DynamoDB client and Redis client) calling one
 * circuit at 100 calls/s in total, against DynamoDB Local and the local Upstash endpoint (over redis-server). The
 * guarded call is an in-process no-op, so every figure is the breaker's own cost. DynamoDB requests are counted by an
 * SDK middleware (every HTTP attempt, retries included); Redis requests at the breaker's interfaces (one REST
 * request per fast-path read or publish, one per counter flush).
 *
 * Families: the production wiring (DynamoDB state and counters + the Redis fast path); the same without the fast
 * path (trip visibility only); the window in Redis instead (counters); and the naive baseline
 * (bench/circuit-breaker/naive-breaker.ts) that reads the state before and writes it after every call.
 */

import {
  CircuitBreaker,
  CircuitBreakerDefaults,
  type CircuitBreakerOptions,
} from '@breakwater/circuit-breaker';
import { DynamoDbCircuitStore } from '@breakwater/circuit-breaker/dynamodb';
import { RedisOutcomeCounters, RedisStateSignal } from '@breakwater/circuit-breaker/redis';
import { Redis } from '@upstash/redis';
import { startDynamoDbLocal } from '../packages/local-cloud/src/dynamodb/dynamodb-local';
import { startUpstashEndpoint } from '../packages/local-cloud/src/upstash';
import { createBreakerTable, localDynamoDb } from '../test/integration/circuit-breaker/support';
import { NaiveBreaker } from './circuit-breaker/naive-breaker';
import {
  closedSteady,
  naivePhases,
  openRejections,
  type RequestCounters,
  tripVisibility,
} from './circuit-breaker/phases';
import { printReport } from './circuit-breaker/report';
import { CountingCounters, CountingSignal, countingClient, drive, stats } from './circuit-breaker/workload';

const CONTAINERS = 10;
const CALLS_PER_SECOND = 100;
const CLOSED_SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const workload = (seconds: number) => ({ containers: CONTAINERS, callsPerSecond: CALLS_PER_SECOND, seconds });
/** Defaults, except a cooldown long enough to keep the open phase open. */
const config: CircuitBreakerOptions = { cooldownMs: 600_000, maxCooldownMs: 600_000 };

process.env.UPSTASH_DISABLE_TELEMETRY = '1';
const local = await startDynamoDbLocal();
const upstash = await startUpstashEndpoint({ token: 'bench' });
const clients: { destroy(): void }[] = [];

/** A family of containers on one circuit; each gets its own clients. */
const family = (
  circuitId: string,
  options: { signal?: boolean; redisCounters?: boolean } = {},
): { breakers: CircuitBreaker[]; counters: RequestCounters } => {
  const members = Array.from({ length: CONTAINERS }, () => {
    const { client, counter } = countingClient(local.endpoint);
    clients.push(client);
    const redis = new Redis({ url: upstash.url, token: upstash.token });
    const store = new DynamoDbCircuitStore({ client, tableName: 'breaker' });
    const signal = options.signal ? new CountingSignal(new RedisStateSignal({ redis })) : undefined;
    const redisCounters = options.redisCounters
      ? new CountingCounters(new RedisOutcomeCounters({ redis }))
      : undefined;
    const breaker = new CircuitBreaker(circuitId, {
      stateStore: store,
      counterStore: redisCounters ?? store,
      config,
      ...(signal === undefined ? {} : { signal }),
    });
    return { breaker, counter, signal, redisCounters };
  });
  return {
    breakers: members.map(({ breaker }) => breaker),
    counters: {
      dynamoDb: () => members.reduce((sum, { counter }) => sum + counter.requests, 0),
      redis: () =>
        members.reduce(
          (sum, { signal, redisCounters }) => sum + (signal?.requests ?? 0) + (redisCounters?.flushes ?? 0),
          0,
        ),
    },
  };
};

try {
  const admin = localDynamoDb(local.endpoint);
  clients.push(admin);
  await createBreakerTable(admin, 'breaker');

  // 1. Production wiring: closed and steady, then a trip seen fleet-wide, then open.
  const production = family('gateway:bench', { signal: true });
  const closed = await closedSteady(production.breakers, production.counters, workload(CLOSED_SECONDS));
  const visibleFast = await tripVisibility(
    production.breakers,
    async () => void (await production.breakers[0]!.setState('OPEN', 'benchmark')),
    workload(0),
    20_000,
  );
  const open = await openRejections(production.breakers, production.counters, workload(10));

  // 2. The same without the fast path: a container that only sees successes learns of a trip at its quiet sync.
  const plain = family('gateway:bench-plain');
  for (const breaker of plain.breakers) await breaker.execute(async () => 'ok');
  await drive(
    workload(5),
    async (container) => void (await plain.breakers[container]!.execute(async () => 'ok')),
  );
  const visiblePlain = await tripVisibility(
    plain.breakers,
    async () => void (await plain.breakers[0]!.setState('OPEN', 'benchmark')),
    workload(0),
    CircuitBreakerDefaults.quietSyncIntervalMs + 5_000,
  );

  // 3. The window in Redis (one pipeline per flush), the state still in DynamoDB.
  const redisWindow = family('gateway:bench-redis', { redisCounters: true });
  const redisClosed = await closedSteady(
    redisWindow.breakers,
    redisWindow.counters,
    workload(CLOSED_SECONDS),
  );

  // 4. The naive baseline.
  const naive = Array.from({ length: CONTAINERS }, () => {
    const { client, counter } = countingClient(local.endpoint);
    clients.push(client);
    return { breaker: new NaiveBreaker(client, 'breaker'), counter };
  });
  const naiveResult = await naivePhases(
    naive.map(({ breaker }) => breaker),
    () => naive.reduce((sum, { counter }) => sum + counter.requests, 0),
    workload(10),
  );

  const quietSyncs = CLOSED_SECONDS / (CircuitBreakerDefaults.quietSyncIntervalMs / 1_000);
  const figures = {
    containers: CONTAINERS,
    callsPerSecond: CALLS_PER_SECOND,
    closedSeconds: CLOSED_SECONDS,
    closed: {
      calls: closed.calls,
      dynamoDbRequests: closed.dynamoDbRequests,
      redisRequests: closed.redisRequests,
      dynamoDbRequestsPerCall: closed.dynamoDbRequests / closed.calls,
      redisRequestsPerCall: closed.redisRequests / closed.calls,
      // Steady rates: one sync per quiet interval and one fast-path read per signal interval, per container.
      expectedDynamoDbRequestsPerCall: (CONTAINERS * quietSyncs) / (CALLS_PER_SECOND * CLOSED_SECONDS),
      expectedRedisRequestsPerCall:
        (CONTAINERS * 1_000) / CircuitBreakerDefaults.signalIntervalMs / CALLS_PER_SECOND,
      decisionMs: stats(closed.decision),
      totalMs: stats(closed.total),
    },
    tripVisibleAfterMs: { fastPath: stats(visibleFast), dynamoDbOnly: stats(visiblePlain) },
    open: {
      calls: open.calls,
      dynamoDbRequestsPerCall: open.dynamoDbRequests / open.calls,
      redisRequestsPerCall: open.redisRequests / open.calls,
      gatewayCalls: open.gatewayCalls,
      decisionMs: stats(open.decision),
    },
    unguardedMs: stats(closed.unguarded),
    redisCounters: {
      calls: redisClosed.calls,
      dynamoDbRequestsPerCall: redisClosed.dynamoDbRequests / redisClosed.calls,
      redisRequestsPerCall: redisClosed.redisRequests / redisClosed.calls,
      totalMs: stats(redisClosed.total),
    },
    naive: {
      closed: {
        calls: naiveResult.closed.calls,
        requestsPerCall: naiveResult.closed.requests / naiveResult.closed.calls,
        totalMs: stats(naiveResult.closed.latency),
      },
      open: {
        calls: naiveResult.open.calls,
        requestsPerCall: naiveResult.open.requests / naiveResult.open.calls,
        decisionMs: stats(naiveResult.open.latency),
      },
    },
  };
  const ratios = {
    naiveToBreakerDynamoDbRequestsClosed:
      figures.naive.closed.requestsPerCall / Math.max(figures.closed.dynamoDbRequestsPerCall, 1e-9),
    naiveToBreakerP99Closed: figures.naive.closed.totalMs.p99 / figures.closed.totalMs.p99,
    naiveToBreakerP99Open: figures.naive.open.decisionMs.p99 / figures.open.decisionMs.p99,
    dynamoDbOnlyToFastPathTripVisibilityMax:
      figures.tripVisibleAfterMs.dynamoDbOnly.max / figures.tripVisibleAfterMs.fastPath.max,
    breakerDecisionToUnguardedP50Closed:
      figures.closed.decisionMs.p50 / Math.max(figures.unguardedMs.p50, 1e-6),
  };
  const goals = {
    dynamoDbRequestsPerCallClosedAtMost0_01:
      Math.max(figures.closed.dynamoDbRequestsPerCall, figures.closed.expectedDynamoDbRequestsPerCall) <=
      0.01,
    tripVisibleFleetWideWithin2s: figures.tripVisibleAfterMs.fastPath.max <= 2_000,
    openP99Under1ms: figures.open.decisionMs.p99 < 1,
    openMakesNoNetworkCall:
      open.dynamoDbRequests === 0 && open.redisRequests === 0 && figures.open.gatewayCalls === 0,
  };
  printReport(figures, goals);
  console.log(JSON.stringify({ benchmark: 'circuit-breaker', ...figures, ratios, goals }));
} finally {
  for (const client of clients) client.destroy();
  await upstash.stop();
  await local.stop();
}
