/** Latency figures (ms) of one path. */
interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** What the report prints (a subset of the benchmark's JSON line). */
export interface ReportFigures {
  readonly containers: number;
  readonly callsPerSecond: number;
  readonly closedSeconds: number;
  readonly unguardedMs: Latency;
  readonly closed: {
    readonly calls: number;
    readonly dynamoDbRequests: number;
    readonly redisRequests: number;
    readonly dynamoDbRequestsPerCall: number;
    readonly redisRequestsPerCall: number;
    readonly expectedDynamoDbRequestsPerCall: number;
    readonly expectedRedisRequestsPerCall: number;
    readonly decisionMs: Latency;
    readonly totalMs: Latency;
  };
  readonly tripVisibleAfterMs: { readonly fastPath: Latency; readonly dynamoDbOnly: Latency };
  readonly open: {
    readonly calls: number;
    readonly dynamoDbRequestsPerCall: number;
    readonly redisRequestsPerCall: number;
    readonly gatewayCalls: number;
    readonly decisionMs: Latency;
  };
  readonly redisCounters: {
    readonly dynamoDbRequestsPerCall: number;
    readonly redisRequestsPerCall: number;
    readonly totalMs: Latency;
  };
  readonly naive: {
    readonly closed: { readonly requestsPerCall: number; readonly totalMs: Latency };
    readonly open: { readonly requestsPerCall: number; readonly decisionMs: Latency };
  };
}

const ms = (value: number) => value.toFixed(3).padStart(9);
const perCall = (value: number) => value.toFixed(4).padStart(8);

/** Prints the human-readable table of a run (the JSON line follows it). */
export const printReport = (figures: ReportFigures, goals: Record<string, boolean>): void => {
  const row = (name: string, dynamoDb: number, redis: number, latency: Latency) =>
    `${name.padEnd(46)} ${perCall(dynamoDb)} ${perCall(redis)} ${ms(latency.p50)} ${ms(latency.p99)} ${ms(latency.max)}`;
  const { closed, open, redisCounters, naive, tripVisibleAfterMs: visible } = figures;
  const lines = [
    '',
    `Circuit breaker, ${figures.containers} containers, ${figures.callsPerSecond} calls/s in total, DynamoDB Local + Upstash REST`,
    `${'path'.padEnd(46)} ${'DDB/call'.padStart(8)} ${'Redis/call'.padStart(8)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'max ms'.padStart(9)}`,
    row('unguarded call', 0, 0, figures.unguardedMs),
    row(
      'breaker, closed: decision (until the call)',
      closed.dynamoDbRequestsPerCall,
      closed.redisRequestsPerCall,
      closed.decisionMs,
    ),
    row(
      'breaker, closed: whole execute()',
      closed.dynamoDbRequestsPerCall,
      closed.redisRequestsPerCall,
      closed.totalMs,
    ),
    row('breaker, open: rejection', open.dynamoDbRequestsPerCall, open.redisRequestsPerCall, open.decisionMs),
    row(
      'Redis window instead, closed: whole execute()',
      redisCounters.dynamoDbRequestsPerCall,
      redisCounters.redisRequestsPerCall,
      redisCounters.totalMs,
    ),
    row('naive, closed: whole execute()', naive.closed.requestsPerCall, 0, naive.closed.totalMs),
    row('naive, open: rejection', naive.open.requestsPerCall, 0, naive.open.decisionMs),
    `closed: ${closed.dynamoDbRequests} DynamoDB and ${closed.redisRequests} Redis requests for ${closed.calls} calls over ` +
      `${figures.closedSeconds} s (steady rates ${closed.expectedDynamoDbRequestsPerCall.toFixed(4)} and ` +
      `${closed.expectedRedisRequestsPerCall.toFixed(4)} per call)`,
    `trip seen by every container after: fast path p50 ${visible.fastPath.p50.toFixed(0)} ms, max ` +
      `${visible.fastPath.max.toFixed(0)} ms; DynamoDB syncs only p50 ${visible.dynamoDbOnly.p50.toFixed(0)} ms, max ` +
      `${visible.dynamoDbOnly.max.toFixed(0)} ms`,
    `open: ${open.gatewayCalls} gateway calls for ${open.calls} calls`,
    `goals: ${JSON.stringify(goals)}`,
  ];
  console.log(lines.join('\n'));
};
