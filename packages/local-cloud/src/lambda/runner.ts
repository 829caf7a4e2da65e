import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { AsyncInvoker } from './async-invoker.js';
import type { RuntimeEnvironmentSettings } from './environment.js';
import { FunctionNotFoundError, LambdaRunnerError } from './errors.js';
import { compileFilterPattern, createFilterMatcher } from './event-filter.js';
import type { ExecutionEnvironment } from './execution-environment.js';
import { FunctionPool } from './function-pool.js';
import { type HttpApiFront, startHttpApiFront } from './http-api-front.js';
import { SqsPoller } from './sqs-poller.js';
import { StreamPoller } from './stream-poller.js';
import type { InvocationResult, LambdaTopology, LogSink, PatternMatcher, RunnerObserver } from './types.js';

/** Options of the Lambda runner; every tuning knob documents its default. */
export interface LambdaRunnerOptions {
  readonly topology: LambdaTopology;
  /** Clients of the local cloud (the edge, or fauxqs and DynamoDB Local directly). */
  readonly clients: { readonly sqs: SQSClient; readonly dynamodbStreams: DynamoDBStreamsClient };
  /** Region, endpoints and overrides for every function's environment. */
  readonly environment: RuntimeEnvironmentSettings;
  /** Default `000000000000`. */
  readonly accountId?: string;
  /** Default: `[source] line` on stdout. */
  readonly log?: LogSink;
  /** Matcher for filter criteria; default: the EventBridge pattern engine, as Lambda filters (`createFilterMatcher`). */
  readonly patternMatcher?: PatternMatcher;
  /** Concurrent execution environments per function unless reserved concurrency says less; default 4. */
  readonly maxEnvironmentsPerFunction?: number;
  /** Concurrent batches per SQS mapping, further capped by `MaximumConcurrency`; default 2. */
  readonly sqsPollersPerMapping?: number;
  /** Pauses before async retries; default `[1000, 2000]` (AWS: about 1 and 2 minutes). */
  readonly asyncRetryDelaysMs?: readonly number[];
  /** Idle pause between stream polls; default 250 ms. Pause before a stream batch retry; default 500 ms. */
  readonly streamPollIntervalMs?: number;
  readonly streamRetryDelayMs?: number;
  /** Init phase limit; default 10000 ms (Lambda's). */
  readonly initTimeoutMs?: number;
  /** Interface of the HTTP fronts; default `127.0.0.1`. */
  readonly httpHost?: string;
  /** Fault injection: what to do to the worker of an invocation of this function, if anything. Default: nothing. */
  readonly invocationFault?: (functionName: string) => InvocationFault | undefined;
  /** Hears invocations, stream batches and HTTP API requests (the local CloudWatch's AWS/Lambda and AWS/ApiGateway metrics). */
  readonly observer?: RunnerObserver;
}

/** A fault done to the worker running an invocation, at a random point within `withinMs` of its start. */
export type InvocationFault =
  | { readonly kind: 'kill'; readonly withinMs: number }
  | { readonly kind: 'freeze'; readonly ms: number; readonly withinMs: number };

/** A fault done at once to the idle workers of some functions. */
export type IdleWorkerFault = { readonly kind: 'kill' } | { readonly kind: 'freeze'; readonly ms: number };

/** The running local Lambda service. */
export interface LambdaRunner {
  /** Synchronous invoke (`RequestResponse`); throws `FunctionNotFoundError` for an unknown name or ARN. */
  invoke(functionNameOrArn: string, event: unknown): Promise<InvocationResult>;
  /** Asynchronous invoke (`Event`): accepted at once, retried, then routed to destinations or the DLQ. */
  invokeAsync(functionNameOrArn: string, event: unknown): { readonly requestId: string };
  hasFunction(functionNameOrArn: string): boolean;
  /** Loads the function's code afresh at its next invocations (its bundle was rebuilt); state is kept. */
  reload(functionNameOrArn: string): Promise<void>;
  /** Names of the functions that run locally. */
  readonly functionNames: readonly string[];
  /** Fault injection: kills or freezes the idle workers of the functions `matches` selects; returns how many. */
  disruptIdleWorkers(matches: (functionName: string) => boolean, fault: IdleWorkerFault): number;
  /** Where each HTTP API is served. */
  readonly httpApis: readonly { readonly apiId: string; readonly name: string; readonly url: string }[];
  /** Stops pollers, HTTP fronts, pending async retries and every execution environment. */
  stop(): Promise<void>;
}

const defaultLog: LogSink = (source, line) => {
  process.stdout.write(`[${source}] ${line}\n`);
};

/** The hook that does an invocation fault to the worker, if the rule still finds it busy with that invocation. */
export const invocationFaultHook =
  (functionName: string, faultOf: (functionName: string) => InvocationFault | undefined) =>
  (environment: ExecutionEnvironment): void => {
    const fault = faultOf(functionName);
    if (fault === undefined) return;
    const act = () => {
      if (!environment.busy) return;
      if (fault.kind === 'kill') environment.crash();
      else environment.freeze(fault.ms);
    };
    setTimeout(act, Math.floor(Math.random() * fault.withinMs)).unref();
  };

/** Kills or freezes the idle workers of the pools `matches` selects; returns how many. */
export const disruptIdleWorkers = (
  pools: ReadonlyMap<string, FunctionPool>,
  matches: (functionName: string) => boolean,
  fault: IdleWorkerFault,
): number => {
  let hit = 0;
  for (const [name, pool] of pools) {
    if (!matches(name)) continue;
    for (const environment of pool.idleEnvironments()) {
      if (fault.kind === 'kill') environment.crash();
      else environment.freeze(fault.ms);
      hit += 1;
    }
  }
  return hit;
};

/** Why Lambda would refuse a mapping's filter patterns, or undefined when every one compiles. */
const refusedFilter = (patterns: readonly string[]): string | undefined => {
  for (const pattern of patterns) {
    try {
      compileFilterPattern(pattern);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
  return undefined;
};

/** `my-fn`, `arn:aws:lambda:region:account:function:my-fn` or `...:function:my-fn:$LATEST` → `my-fn`. */
export const functionNameOf = (nameOrArn: string): string => {
  if (!nameOrArn.startsWith('arn:')) return nameOrArn.split(':')[0] ?? nameOrArn;
  const parts = nameOrArn.split(':');
  return parts[6] ?? nameOrArn;
};

/**
 * Starts the runner: a pool of execution environments per function, the SQS and stream pollers of the event source
 * mappings, and an HTTP front per HTTP API (on the port the deployer chose).
 *
 * @example
 * const runner = await startLambdaRunner({
 *   topology: deployment.lambda,
 *   clients: { sqs: clients.sqs, dynamodbStreams: clients.dynamodbStreams },
 *   environment: { region: 'us-east-1', awsEndpointUrl: 'http://127.0.0.1:4566' },
 * });
 * // An EventBridge Lambda target is an asynchronous invoke; an unknown ARN throws FunctionNotFoundError.
 * const deliverToLambda = (functionArn: string, event: unknown) => runner.invokeAsync(functionArn, event);
 * // The edge serves Lambda's Invoke operation with handleLambdaInvoke(runner, request).
 * await runner.stop();
 */
export const startLambdaRunner = async (options: LambdaRunnerOptions): Promise<LambdaRunner> => {
  const { topology, clients } = options;
  const log = options.log ?? defaultLog;
  const region = options.environment.region;
  const accountId = options.accountId ?? '000000000000';
  const runtimeModulesParent = new URL('./', import.meta.url).href;
  const pools = new Map<string, FunctionPool>();
  for (const definition of topology.functions) {
    if (!definition.runtime.startsWith('nodejs')) {
      log(
        'lambda',
        `${definition.functionName}: runtime ${definition.runtime} cannot run locally; invocations fail`,
      );
      continue;
    }
    pools.set(
      definition.functionName,
      new FunctionPool({
        definition,
        settings: options.environment,
        maxEnvironments: definition.reservedConcurrency ?? options.maxEnvironmentsPerFunction ?? 4,
        log,
        initTimeoutMs: options.initTimeoutMs ?? 10_000,
        runtimeModulesParent,
        ...(options.invocationFault === undefined
          ? {}
          : { onInvocation: invocationFaultHook(definition.functionName, options.invocationFault) }),
        ...(options.observer === undefined ? {} : { observer: options.observer }),
      }),
    );
  }
  const definitions = new Map(topology.functions.map((definition) => [definition.functionName, definition]));
  const poolOf = (nameOrArn: string): FunctionPool => {
    const name = functionNameOf(nameOrArn);
    const pool = pools.get(name);
    if (pool !== undefined) return pool;
    if (definitions.has(name))
      throw new LambdaRunnerError(`function ${name} has a runtime that cannot run locally`);
    throw new FunctionNotFoundError(nameOrArn);
  };
  const invoke = (nameOrArn: string, event: unknown, requestId?: string) =>
    poolOf(nameOrArn).invoke(event, requestId);

  const asyncInvoker: AsyncInvoker = new AsyncInvoker({
    sqs: clients.sqs,
    invoke,
    invokeAsync: (arn, event) => void runner.invokeAsync(arn, event),
    log,
    retryDelaysMs: options.asyncRetryDelaysMs ?? [1000, 2000],
  });
  const asyncConfigs = new Map(topology.asyncInvokeConfigs.map((config) => [config.functionName, config]));

  const pollers: Array<SqsPoller | StreamPoller> = [];
  const matcher = options.patternMatcher ?? createFilterMatcher();
  for (const mapping of topology.eventSourceMappings) {
    if (!mapping.enabled) continue;
    const refused = refusedFilter(mapping.filterPatterns);
    if (refused !== undefined) {
      // Lambda refuses such a mapping at creation (InvalidParameterValueException): it never polls.
      log('lambda', `mapping ${mapping.id}: invalid filter criteria, mapping not started: ${refused}`);
      continue;
    }
    const pool = pools.get(functionNameOf(mapping.functionName));
    if (pool === undefined) {
      log(
        'lambda',
        `mapping ${mapping.id}: function ${mapping.functionName} cannot run locally; mapping not started`,
      );
      continue;
    }
    const invokeMapped = (event: unknown) => pool.invoke(event);
    // Each invocation of a stream mapping reports the age of its batch's newest record (Lambda's IteratorAge),
    // retries of a failing batch included: a publisher that keeps failing is seen falling behind.
    const invokeStream = (event: DynamoDBStreamEvent) => {
      const newest = event.Records.at(-1)?.dynamodb?.ApproximateCreationDateTime;
      if (newest !== undefined)
        options.observer?.streamBatch?.({
          functionName: pool.definition.functionName,
          lastRecordArrivalMs: newest * 1000,
        });
      return pool.invoke(event);
    };
    pollers.push(
      mapping.kind === 'sqs'
        ? new SqsPoller(mapping, {
            sqs: clients.sqs,
            invoke: invokeMapped,
            matcher,
            log,
            region,
            maxPollers: options.sqsPollersPerMapping ?? 2,
          })
        : new StreamPoller(mapping, {
            streams: clients.dynamodbStreams,
            sqs: clients.sqs,
            invoke: invokeStream,
            matcher,
            log,
            region,
            functionArn: pool.definition.functionArn,
            pollIntervalMs: options.streamPollIntervalMs ?? 250,
            retryDelayMs: options.streamRetryDelayMs ?? 500,
          }),
    );
  }

  const fronts: HttpApiFront[] = [];
  const httpApis: Array<{ apiId: string; name: string; url: string }> = [];
  // Every stop() aborts at once and then waits; killing the environments settles the invocations in flight.
  const stopAll = async () => {
    await Promise.all([
      ...pollers.map((poller) => poller.stop()),
      ...fronts.map((front) => front.stop()),
      asyncInvoker.stop(),
      ...[...pools.values()].map((pool) => pool.stop()),
    ]);
  };
  try {
    for (const api of topology.httpApis) {
      const front = await startHttpApiFront({
        api,
        invoke,
        log,
        accountId,
        host: options.httpHost,
        ...(options.observer === undefined ? {} : { observer: options.observer }),
      });
      fronts.push(front);
      httpApis.push({ apiId: api.apiId, name: api.name, url: front.url });
    }
  } catch (error) {
    await stopAll();
    throw new LambdaRunnerError('could not start the HTTP API fronts', { cause: error });
  }
  for (const poller of pollers) poller.start();

  const runner: LambdaRunner = {
    invoke: async (nameOrArn, event) => invoke(nameOrArn, event),
    invokeAsync: (nameOrArn, event) => {
      const pool = poolOf(nameOrArn);
      const name = pool.definition.functionName;
      return { requestId: asyncInvoker.enqueue(pool.definition, asyncConfigs.get(name), event) };
    },
    hasFunction: (nameOrArn) => definitions.has(functionNameOf(nameOrArn)),
    reload: (nameOrArn) => poolOf(nameOrArn).reload(),
    functionNames: [...pools.keys()],
    disruptIdleWorkers: (matches, fault) => disruptIdleWorkers(pools, matches, fault),
    httpApis,
    stop: stopAll,
  };
  return runner;
};
