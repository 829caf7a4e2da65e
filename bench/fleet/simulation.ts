/**
 * The fleet simulation: N containers, each running the real breaker (@breakwater/circuit-breaker) with its own cache,
 * against the modelled DynamoDB table and Upstash database, on virtual time. Workload: every container calls the
 * dependency about once per `callPeriodMs`; the fleet ramps up as Lambda scales (1,000 new execution environments
 * per 10 s per function, https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html), then the dependency is
 * healthy, fails, and recovers. What the breaker decides is observed, never assumed.
 */
import {
  CircuitBreaker,
  type CircuitBreakerOptions,
  CircuitOpenError,
  type CircuitState,
  type CircuitStateSignal,
  type CircuitStateStore,
  type OutcomeCounterStore,
} from '@breakwater/circuit-breaker';
import type { BreakerFactory } from './baseline';
import { DynamoDbModel, type ItemFigures } from './dynamodb-model';
import { seededRandom, VirtualTime } from './scheduler';
import { UpstashModel } from './upstash-model';

export const CIRCUIT = 'gateway:payments';
const START = 1_800_000_000_000;

/** How a container is wired to the stores (a design under test). */
export interface Wiring {
  readonly name: string;
  /** Builds one container's breaker dependencies from the shared models. */
  readonly container: (
    shared: { readonly dynamoDb: DynamoDbModel; readonly upstash: UpstashModel; readonly time: VirtualTime },
    random: () => number,
  ) => {
    readonly stateStore: CircuitStateStore;
    readonly counterStore: OutcomeCounterStore;
    readonly signal?: CircuitStateSignal;
    readonly config?: CircuitBreakerOptions;
    readonly random?: () => number;
  };
  /** The DynamoDB item holds the window's counters (size model). */
  readonly countersInItem: boolean;
  /** Builds each container's breaker. Default: the current CircuitBreaker. */
  readonly breaker?: BreakerFactory;
}

/** One scenario. Times are seconds after the ramp ends. */
export interface Scenario {
  readonly containers: number;
  readonly seed: number;
  readonly callPeriodMs?: number;
  /** Healthy until this many seconds after the ramp, then failing. */
  readonly failAtS?: number;
  /** Healthy again this many seconds after the ramp. */
  readonly recoverAtS?: number;
  /** The run ends this many seconds after the ramp. */
  readonly endS?: number;
  /** Redis unreachable during [from, to) seconds after the ramp. */
  readonly redisDown?: { readonly fromS: number; readonly toS: number };
  readonly config?: CircuitBreakerOptions;
}

/** What a run measured. */
export interface SimulationFigures {
  readonly containers: number;
  readonly design: string;
  readonly calls: number;
  readonly item: ItemFigures;
  readonly maxItemWritesPerSecond: number;
  readonly maxItemReadsPerSecond: number;
  readonly dynamoDbRequests: number;
  readonly throttledRequests: number;
  readonly dynamoDbThrottled: number;
  readonly redisRateLimited: number;
  readonly redisMaxCommandsPerSecond: number;
  readonly redisRequests: number;
  readonly storeErrors: number;
  readonly containersDegraded: number;
  readonly tripAtS: number | undefined;
  readonly tripVisibleP50Ms: number | undefined;
  readonly tripVisibleP99Ms: number | undefined;
  readonly tripVisibleMaxMs: number | undefined;
  readonly containersNeverSawTrip: number;
  readonly letThroughWhileOpen: number;
  readonly probes: number;
  readonly maxProbesInFlight: number;
  readonly callTimeouts: number;
  readonly closedAtS: number | undefined;
  readonly transitions: string[];
  readonly stateVersions: number;
  /** The fleet estimate of the containers at the end (median). */
  readonly fleetEstimateMedian: number;
  /** The busiest seconds of the item: [second after the ramp, writes, reads, WCU, RCU]. */
  readonly busiestSeconds: [number, number, number, number, number][];
}

const percentile = (values: readonly number[], p: number): number | undefined => {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/** Lambda's scaling rate: 1,000 new execution environments every 10 s. */
export const RAMP_CONTAINERS_PER_SECOND = 100;

/** Runs one scenario with one wiring. Deterministic for a given seed. */
export const simulate = async (wiring: Wiring, scenario: Scenario): Promise<SimulationFigures> => {
  const random = seededRandom(scenario.seed);
  const time = new VirtualTime(START);
  const dynamoDb = new DynamoDbModel({ time, random, countersInItem: wiring.countersInItem });
  const upstash = new UpstashModel({ time, random });
  const period = scenario.callPeriodMs ?? 1_000;
  const rampMs = Math.ceil((scenario.containers / RAMP_CONTAINERS_PER_SECOND) * 1_000);
  const phase0 = START + rampMs;
  const failAt = phase0 + (scenario.failAtS ?? 20) * 1_000;
  const recoverAt = phase0 + (scenario.recoverAtS ?? 70) * 1_000;
  const end = phase0 + (scenario.endS ?? 130) * 1_000;

  // The truth, as the applied writes tell it (each is reported once, by the container whose write won).
  const transitions: { from: CircuitState; to: CircuitState; version: number; at: number }[] = [];
  let storeErrors = 0;
  let trip: { at: number; version: number } | undefined;
  let closedAt: number | undefined;
  const containers: CircuitBreaker[] = [];
  for (let index = 0; index < scenario.containers; index += 1) {
    const deps = wiring.container({ dynamoDb, upstash, time }, seededRandom(scenario.seed * 7_919 + index));
    const build: BreakerFactory =
      wiring.breaker ?? ((id, dependencies) => new CircuitBreaker(id, dependencies));
    containers.push(
      build(CIRCUIT, {
        stateStore: deps.stateStore,
        counterStore: deps.counterStore,
        clock: time,
        config: { ...deps.config, ...scenario.config },
        ...(deps.signal === undefined ? {} : { signal: deps.signal }),
        ...(deps.random === undefined ? {} : { random: deps.random }),
        listeners: {
          onTransition: (event) => {
            if (event.local) return;
            transitions.push({ from: event.from, to: event.to, version: event.version, at: event.at });
            if (trip === undefined && event.from === 'CLOSED' && event.to === 'OPEN') {
              trip = { at: event.at, version: event.version };
              watchVisibility(trip);
            }
            if (trip !== undefined && closedAt === undefined && event.to === 'CLOSED') closedAt = event.at;
          },
          onError: () => {
            storeErrors += 1;
          },
        },
      }),
    );
  }

  // When each container's cache first holds the trip (or anything after it): from then on it rejects.
  const seenAt = new Map<number, number>();
  const watchVisibility = (tripped: { at: number; version: number }) => {
    const unseen = new Set(containers.keys());
    const poll = () => {
      for (const index of unseen) {
        const breaker = containers[index] as CircuitBreaker;
        if (breaker.snapshot.version >= tripped.version && breaker.snapshot.state !== 'CLOSED') {
          seenAt.set(index, time.now() - tripped.at);
          unseen.delete(index);
        }
      }
      if (unseen.size > 0 && time.now() < tripped.at + 120_000) time.at(time.now() + 10, poll);
    };
    time.at(tripped.at, poll);
  };

  let calls = 0;
  let letThroughWhileOpen = 0;
  let probes = 0;
  let probesInFlight = 0;
  let maxProbesInFlight = 0;
  let callTimeouts = 0;
  const dependency = ({ probe }: { probe: boolean }): Promise<string> => {
    const now = time.now();
    const failing = now >= failAt && now < recoverAt;
    if (probe) {
      probes += 1;
      probesInFlight += 1;
      maxProbesInFlight = Math.max(maxProbesInFlight, probesInFlight);
    } else if (trip !== undefined && closedAt === undefined) letThroughWhileOpen += 1;
    const latency = failing ? 30 + Math.floor(random() * 30) : 80 + Math.floor(random() * 40);
    return time.sleep(latency).then(() => {
      if (probe) probesInFlight -= 1;
      if (failing) throw Object.assign(new Error('HTTP 503'), { status: 503 });
      return 'ok';
    });
  };

  const loop = (breaker: CircuitBreaker, first: number) => {
    const tick = () => {
      if (time.now() >= end) return;
      calls += 1;
      void breaker.execute(dependency).catch((error: unknown) => {
        if (!(error instanceof CircuitOpenError) && (error as Error).name === 'CallTimeoutError')
          callTimeouts += 1;
      });
      time.at(time.now() + Math.round(period * (0.8 + 0.4 * random())), tick);
    };
    time.at(first, tick);
  };
  containers.forEach((breaker, index) => {
    const joins = START + Math.floor((index / RAMP_CONTAINERS_PER_SECOND) * 1_000);
    loop(breaker, joins + Math.floor(random() * period));
  });
  if (scenario.redisDown !== undefined) {
    time.at(phase0 + scenario.redisDown.fromS * 1_000, () => {
      upstash.down = true;
    });
    time.at(phase0 + scenario.redisDown.toS * 1_000, () => {
      upstash.down = false;
    });
  }

  await time.runUntil(end + 10_000);

  const visible = [...seenAt.values()];
  const item = dynamoDb.figures(CIRCUIT);
  const stored = await dynamoDb.peek(CIRCUIT);
  return {
    containers: scenario.containers,
    design: wiring.name,
    calls,
    item,
    maxItemWritesPerSecond: item.maxWritesPerSecond,
    maxItemReadsPerSecond: item.maxReadsPerSecond,
    dynamoDbRequests: dynamoDb.requests.reads + dynamoDb.requests.writes + dynamoDb.requests.throttled,
    throttledRequests: dynamoDb.requests.throttled + upstash.requests.rateLimited,
    dynamoDbThrottled: dynamoDb.requests.throttled,
    redisRateLimited: upstash.requests.rateLimited,
    redisMaxCommandsPerSecond: upstash.maxCommandsPerSecond,
    redisRequests:
      upstash.requests.accepted + upstash.requests.rateLimited + upstash.requests.failedWhileDown,
    storeErrors,
    containersDegraded: containers.filter((breaker) => breaker.degraded).length,
    tripAtS: trip === undefined ? undefined : (trip.at - phase0) / 1_000,
    tripVisibleP50Ms: percentile(visible, 50),
    tripVisibleP99Ms: percentile(visible, 99),
    tripVisibleMaxMs: visible.length === 0 ? undefined : Math.max(...visible),
    containersNeverSawTrip: trip === undefined ? 0 : scenario.containers - visible.length,
    letThroughWhileOpen,
    probes,
    maxProbesInFlight,
    callTimeouts,
    closedAtS: closedAt === undefined ? undefined : (closedAt - phase0) / 1_000,
    transitions: transitions
      .sort((a, b) => a.version - b.version)
      .map((event) => `${event.from}>${event.to}@${((event.at - phase0) / 1_000).toFixed(1)}s`),
    stateVersions: stored.snapshot.version,
    // The baseline's breaker has no estimate (it never counted the fleet).
    fleetEstimateMedian:
      percentile(
        containers.map((breaker) => breaker.fleetEstimate ?? 1),
        50,
      ) ?? 0,
    busiestSeconds: dynamoDb
      .timeline(CIRCUIT)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([second, ...rest]) => [second - phase0 / 1_000, ...rest]),
  };
};
