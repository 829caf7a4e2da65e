/**
 * Circuit breaker benchmark: `npm exec -- tsx bench/circuit-breaker.bench.ts` (BENCH_SECONDS sets the closed
 * phase, default 30 = two quiet sync intervals, so the steady rate is measured over whole intervals).
 *
 * Workload: 10 simulated containers (each its own breaker, cache and DynamoDB client) calling one circuit at 100
 * calls/s in total, against DynamoDB Local. The guarded call is an in-process no-op, so every figure is the
 * breaker's own cost. Requests are counted by an SDK middleware (every HTTP attempt, retries included).
 * Baseline: a naive breaker (bench/circuit-breaker/naive-breaker.ts) that reads the state before and writes it
 * after every call.
 * Alternative: the same breaker with its window in Redis (Upstash REST, local endpoint over redis-server).
 */
import { performance } from 'node:perf_hooks';
import { Redis } from '@upstash/redis';
import { startDynamoDbLocal } from '../local/dynamodb/dynamodb-local';
import { startUpstashEndpoint } from '../local/upstash';
import {
  CircuitBreaker,
  CircuitBreakerDefaults,
  CircuitOpenError,
  DynamoDbCircuitStore,
  RedisOutcomeCounters,
} from '../shared/circuit-breaker';
import { createBreakerTable, localDynamoDb } from '../test/integration/circuit-breaker/support';
import { NaiveBreaker } from './circuit-breaker/naive-breaker';
import { CountingCounters, countingClient, drive, stats } from './circuit-breaker/workload';

const CONTAINERS = 10;
const CALLS_PER_SECOND = 100;
const CLOSED_SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const OPEN_SECONDS = 10;
const NAIVE_SECONDS = 10;
const CIRCUIT = 'gateway:bench';

const noop = async (): Promise<string> => 'ok';

/** Syncs per breaker family, counted through the breaker's own listener. */
const syncs = { dynamoDb: 0, redis: 0 };

/** The closed, steady workload through the given breakers: latencies and the store requests it cost. */
const closedSteady = async (
  breakers: readonly CircuitBreaker[],
  dynamoDbRequests: () => number,
  redisRequests: () => number = () => 0,
) => {
  for (const breaker of breakers) await breaker.execute(noop);
  const unguarded: number[] = [];
  const decision: number[] = [];
  const total: number[] = [];
  const before = { dynamoDb: dynamoDbRequests(), redis: redisRequests() };
  const calls = await drive(
    { containers: CONTAINERS, callsPerSecond: CALLS_PER_SECOND, seconds: CLOSED_SECONDS },
    async (container) => {
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
    },
  );
  const requests = dynamoDbRequests() - before.dynamoDb;
  return { calls, requests, redisRequests: redisRequests() - before.redis, unguarded, decision, total };
};

process.env.UPSTASH_DISABLE_TELEMETRY = '1';
const local = await startDynamoDbLocal();
const upstash = await startUpstashEndpoint({ token: 'bench' });
try {
  const admin = localDynamoDb(local.endpoint);
  await createBreakerTable(admin, 'breaker');
  const containers = Array.from({ length: CONTAINERS }, () => {
    const { client, counter } = countingClient(local.endpoint);
    const store = new DynamoDbCircuitStore({ client, tableName: 'breaker' });
    // Defaults, except a cooldown long enough to keep the open phase open.
    const breaker = new CircuitBreaker(CIRCUIT, {
      stateStore: store,
      counterStore: store,
      config: { cooldownMs: 600_000, maxCooldownMs: 600_000 },
      listeners: {
        onSync: () => {
          syncs.dynamoDb += 1;
        },
      },
    });
    return { breaker, counter, client };
  });
  const requests = () => containers.reduce((sum, { counter }) => sum + counter.requests, 0);

  // Closed, steady: warm every container up (its cold sync), then measure.
  const syncsBefore = { ...syncs };
  const closed = await closedSteady(
    containers.map(({ breaker }) => breaker),
    requests,
  );

  const closedSyncs = syncs.dynamoDb - syncsBefore.dynamoDb - CONTAINERS;

  // Open: trip the circuit (as the window would), let every container see it, then measure rejections.
  await containers[0]!.breaker.setState('OPEN', 'benchmark');
  for (const { breaker } of containers) await breaker.sync();
  const openDecision: number[] = [];
  const openBefore = requests();
  let openCalled = 0;
  const openCalls = await drive(
    { containers: CONTAINERS, callsPerSecond: CALLS_PER_SECOND, seconds: OPEN_SECONDS },
    async (container) => {
      const start = performance.now();
      try {
        await containers[container]!.breaker.execute(async () => ++openCalled);
      } catch (error) {
        if (!(error instanceof CircuitOpenError)) throw error;
      }
      openDecision.push(performance.now() - start);
    },
  );
  const openRequests = requests() - openBefore;

  // The alternative: the window in Redis (one pipeline per flush), the state still in DynamoDB.
  const withRedis = Array.from({ length: CONTAINERS }, () => {
    const { client, counter } = countingClient(local.endpoint);
    const counters = new CountingCounters(
      new RedisOutcomeCounters({ redis: new Redis({ url: upstash.url, token: upstash.token }) }),
    );
    const breaker = new CircuitBreaker('gateway:bench-redis', {
      stateStore: new DynamoDbCircuitStore({ client, tableName: 'breaker' }),
      counterStore: counters,
      listeners: {
        onSync: () => {
          syncs.redis += 1;
        },
      },
    });
    return { breaker, counter, counters, client };
  });
  const redisSyncsBefore = syncs.redis;
  const redisClosed = await closedSteady(
    withRedis.map(({ breaker }) => breaker),
    () => withRedis.reduce((sum, { counter }) => sum + counter.requests, 0),
    () => withRedis.reduce((sum, { counters }) => sum + counters.flushes, 0),
  );

  const redisSyncs = syncs.redis - redisSyncsBefore - CONTAINERS;

  // The naive baseline, closed then open, same workload.
  const naive = Array.from({ length: CONTAINERS }, () => {
    const { client, counter } = countingClient(local.endpoint);
    return { breaker: new NaiveBreaker(client, 'breaker'), counter, client };
  });
  const naiveRequests = () => naive.reduce((sum, { counter }) => sum + counter.requests, 0);
  const naiveClosed: number[] = [];
  let before = naiveRequests();
  const naiveClosedCalls = await drive(
    { containers: CONTAINERS, callsPerSecond: CALLS_PER_SECOND, seconds: NAIVE_SECONDS },
    async (container) => {
      const start = performance.now();
      await naive[container]!.breaker.execute(noop);
      naiveClosed.push(performance.now() - start);
    },
  );
  const naiveClosedRequests = naiveRequests() - before;
  await naive[0]!.breaker.open();
  const naiveOpen: number[] = [];
  before = naiveRequests();
  const naiveOpenCalls = await drive(
    { containers: CONTAINERS, callsPerSecond: CALLS_PER_SECOND, seconds: NAIVE_SECONDS },
    async (container) => {
      const start = performance.now();
      await naive[container]!.breaker.execute(noop).catch(() => undefined);
      naiveOpen.push(performance.now() - start);
    },
  );
  const naiveOpenRequests = naiveRequests() - before;

  const figures = {
    containers: CONTAINERS,
    callsPerSecond: CALLS_PER_SECOND,
    closedSeconds: CLOSED_SECONDS,
    closed: {
      calls: closed.calls,
      dynamoDbRequests: closed.requests,
      requestsPerCall: closed.requests / closed.calls,
      // Phase alignment moves the measured figure by up to one sync per container; the steady rate is exact.
      expectedSteadyRequestsPerCall:
        1 / ((CALLS_PER_SECOND / CONTAINERS) * (CircuitBreakerDefaults.quietSyncIntervalMs / 1_000)),
      syncs: closedSyncs,
      requestsPerSync: closed.requests / closedSyncs,
      decisionMs: stats(closed.decision),
      totalMs: stats(closed.total),
    },
    open: {
      calls: openCalls,
      dynamoDbRequests: openRequests,
      requestsPerCall: openRequests / openCalls,
      gatewayCalls: openCalled,
      decisionMs: stats(openDecision),
    },
    unguardedMs: stats(closed.unguarded),
    redisCounters: {
      calls: redisClosed.calls,
      dynamoDbRequestsPerCall: redisClosed.requests / redisClosed.calls,
      redisRequestsPerCall: redisClosed.redisRequests / redisClosed.calls,
      syncs: redisSyncs,
      requestsPerSync: (redisClosed.requests + redisClosed.redisRequests) / redisSyncs,
      decisionMs: stats(redisClosed.decision),
      totalMs: stats(redisClosed.total),
    },
    naive: {
      closed: {
        calls: naiveClosedCalls,
        requestsPerCall: naiveClosedRequests / naiveClosedCalls,
        totalMs: stats(naiveClosed),
      },
      open: {
        calls: naiveOpenCalls,
        requestsPerCall: naiveOpenRequests / naiveOpenCalls,
        decisionMs: stats(naiveOpen),
      },
    },
  };
  const ratios = {
    naiveToBreakerRequestsClosed:
      figures.naive.closed.requestsPerCall / Math.max(figures.closed.requestsPerCall, 1e-9),
    naiveToBreakerP99Closed: figures.naive.closed.totalMs.p99 / figures.closed.totalMs.p99,
    naiveToBreakerP99Open: figures.naive.open.decisionMs.p99 / figures.open.decisionMs.p99,
    redisToDynamoDbRequestsPerSync: figures.redisCounters.requestsPerSync / figures.closed.requestsPerSync,
    breakerDecisionToUnguardedP50Closed:
      figures.closed.decisionMs.p50 / Math.max(figures.unguardedMs.p50, 1e-6),
  };
  const goals = {
    requestsPerCallClosedAtMost0_01:
      Math.max(figures.closed.requestsPerCall, figures.closed.expectedSteadyRequestsPerCall) <= 0.01,
    openP99Under1ms: figures.open.decisionMs.p99 < 1,
    openMakesNoNetworkCall: figures.open.dynamoDbRequests === 0 && figures.open.gatewayCalls === 0,
  };

  const ms = (value: number) => value.toFixed(3).padStart(9);
  const row = (name: string, perCall: number, latency: { p50: number; p99: number; max: number }) =>
    `${name.padEnd(44)} ${perCall.toFixed(4).padStart(10)} ${ms(latency.p50)} ${ms(latency.p99)} ${ms(latency.max)}`;
  console.log(
    `\nCircuit breaker, ${CONTAINERS} containers, ${CALLS_PER_SECOND} calls/s in total, DynamoDB Local\n` +
      `${'path'.padEnd(44)} ${'DDB req/call'.padStart(10)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'max ms'.padStart(9)}\n` +
      `${row('unguarded call', 0, figures.unguardedMs)}\n` +
      `${row('breaker, closed: decision (until the call)', figures.closed.requestsPerCall, figures.closed.decisionMs)}\n` +
      `${row('breaker, closed: whole execute()', figures.closed.requestsPerCall, figures.closed.totalMs)}\n` +
      `${row('breaker, open: rejection', figures.open.requestsPerCall, figures.open.decisionMs)}\n` +
      `${row('breaker + Redis window, closed: whole execute()', figures.redisCounters.dynamoDbRequestsPerCall, figures.redisCounters.totalMs)}` +
      `   (+ ${figures.redisCounters.redisRequestsPerCall.toFixed(4)} Redis req/call)\n` +
      `${row('naive, closed: whole execute()', figures.naive.closed.requestsPerCall, figures.naive.closed.totalMs)}\n` +
      `${row('naive, open: rejection', figures.naive.open.requestsPerCall, figures.naive.open.decisionMs)}\n` +
      `closed: ${closed.requests} DynamoDB requests for ${closed.calls} calls over ${CLOSED_SECONDS} s ` +
      `(${closedSyncs} syncs, ${figures.closed.requestsPerSync.toFixed(2)} request per sync; steady rate ` +
      `${figures.closed.expectedSteadyRequestsPerCall.toFixed(4)}/call); Redis window: ` +
      `${figures.redisCounters.requestsPerSync.toFixed(2)} requests per sync (1 Redis + 1 DynamoDB read)\n` +
      `open: ${openRequests} requests and ${openCalled} gateway calls for ${openCalls} calls\n` +
      `goals: ${JSON.stringify(goals)}`,
  );
  console.log(JSON.stringify({ benchmark: 'circuit-breaker', ...figures, ratios, goals }));
  for (const { client } of [...containers, ...naive, ...withRedis]) client.destroy();
  admin.destroy();
} finally {
  await upstash.stop();
  await local.stop();
}
