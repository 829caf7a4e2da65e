import type { RunnerObserver } from '../lambda/types.js';
import type { Dimension } from './model.js';
import type { LocalCloudWatch } from './service.js';

/** What the queue sampler reads of one queue. */
export interface SampledQueue {
  readonly name: string;
  approximateCounts(now: number): { visible: number; inflight: number; delayed: number };
  oldestSentTimestamp(now: number): number | undefined;
}

/** What the rule sampler reads: EventBridge's cumulative per-rule delivery counters, by rule ARN. */
export interface RuleCounters {
  readonly RuleName: string;
  readonly EventBusName: string;
  readonly Invocations: number;
  readonly FailedInvocations: number;
  readonly RetryInvocationAttempts?: number;
  readonly InvocationsSentToDlq: number;
  readonly InvocationsFailedToBeSentToDlq: number;
}

/** Options of {@link startServiceMetrics}. */
export interface ServiceMetricsOptions {
  readonly cloudWatch: LocalCloudWatch;
  /** The queues to sample (called at each sample: queues created later are seen). */
  readonly queues?: () => Iterable<SampledQueue>;
  /** The rules' counters (EventBridgeService.metrics().rules). */
  readonly rules?: () => Readonly<Record<string, RuleCounters>>;
}

const MINUTE_MS = 60_000;
const RULE_METRICS = [
  'Invocations',
  'FailedInvocations',
  'RetryInvocationAttempts',
  'InvocationsSentToDlq',
  'InvocationsFailedToBeSentToDlq',
] as const;

/**
 * Publishes the metrics the emulated services would publish to CloudWatch, once per CloudWatch minute (SQS and
 * EventBridge publish 1-minute data): AWS/SQS `ApproximateNumberOfMessagesVisible`, `...NotVisible`, `...Delayed`
 * (Count) and `ApproximateAgeOfOldestMessage` (Seconds) per `QueueName`; AWS/Events per `RuleName` (and
 * `EventBusName`, `RuleName`) the deliveries of the minute: `Invocations`, `FailedInvocations`,
 * `RetryInvocationAttempts`, `InvocationsSentToDlq`, `InvocationsFailedToBeSentToDlq` (Count, only when not zero, as
 * EventBridge publishes them). See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
 * and https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html.
 */
export const startServiceMetrics = (options: ServiceMetricsOptions): { stop(): void } => {
  const { cloudWatch } = options;
  const { clock } = cloudWatch;
  let lastMinute: number | undefined;
  const previous = new Map<string, Record<string, number>>();
  const sample = () => {
    const now = clock.now();
    const minute = Math.floor(now / MINUTE_MS);
    if (minute === lastMinute) return;
    lastMinute = minute;
    const wallNow = Date.now();
    for (const queue of options.queues?.() ?? []) {
      const dimensions: Dimension[] = [{ Name: 'QueueName', Value: queue.name }];
      const counts = queue.approximateCounts(wallNow);
      cloudWatch.record('AWS/SQS', 'ApproximateNumberOfMessagesVisible', dimensions, counts.visible, 'Count');
      cloudWatch.record(
        'AWS/SQS',
        'ApproximateNumberOfMessagesNotVisible',
        dimensions,
        counts.inflight,
        'Count',
      );
      cloudWatch.record('AWS/SQS', 'ApproximateNumberOfMessagesDelayed', dimensions, counts.delayed, 'Count');
      const oldest = queue.oldestSentTimestamp(wallNow);
      const age =
        oldest === undefined ? 0 : Math.max(0, Math.floor((now - clock.fromWallClock(oldest)) / 1000));
      cloudWatch.record('AWS/SQS', 'ApproximateAgeOfOldestMessage', dimensions, age, 'Seconds');
    }
    for (const [arn, counters] of Object.entries(options.rules?.() ?? {})) {
      const before = previous.get(arn) ?? {};
      const current: Record<string, number> = {};
      for (const name of RULE_METRICS) {
        const value = counters[name] ?? 0;
        current[name] = value;
        const delta = value - (before[name] ?? 0);
        if (delta <= 0) continue;
        cloudWatch.record(
          'AWS/Events',
          name,
          [{ Name: 'RuleName', Value: counters.RuleName }],
          delta,
          'Count',
        );
        cloudWatch.record(
          'AWS/Events',
          name,
          [
            { Name: 'EventBusName', Value: counters.EventBusName },
            { Name: 'RuleName', Value: counters.RuleName },
          ],
          delta,
          'Count',
        );
      }
      previous.set(arn, current);
    }
  };
  sample();
  // Several looks per CloudWatch minute, so that each minute gets its sample even when timers run late.
  const timer = setInterval(sample, Math.max(20, clock.wallDuration(MINUTE_MS) / 4));
  timer.unref();
  return { stop: () => clearInterval(timer) };
};

/**
 * The runner observer that turns invocations into AWS/Lambda metrics (per `FunctionName`: `Invocations`, `Errors`
 * (0 or 1 per invocation), `Throttles` (when an invocation had to wait for concurrency), `Duration`, `IteratorAge`)
 * and HTTP API requests into AWS/ApiGateway metrics (per `ApiId` and per `ApiId`, `Stage`: `Count`, `4xx`, `5xx`,
 * `Latency`). See https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html and
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html.
 */
export const runnerMetrics = (cloudWatch: LocalCloudWatch): RunnerObserver => ({
  invocation: ({ functionName, durationMs, ok, throttled }) => {
    const dimensions = [{ Name: 'FunctionName', Value: functionName }];
    if (throttled) cloudWatch.record('AWS/Lambda', 'Throttles', dimensions, 1, 'Count');
    cloudWatch.record('AWS/Lambda', 'Invocations', dimensions, 1, 'Count');
    cloudWatch.record('AWS/Lambda', 'Errors', dimensions, ok ? 0 : 1, 'Count');
    cloudWatch.record('AWS/Lambda', 'Duration', dimensions, durationMs, 'Milliseconds');
  },
  streamBatch: ({ functionName, lastRecordArrivalMs }) => {
    const { clock } = cloudWatch;
    const age = Math.max(0, clock.now() - clock.fromWallClock(lastRecordArrivalMs));
    cloudWatch.record(
      'AWS/Lambda',
      'IteratorAge',
      [{ Name: 'FunctionName', Value: functionName }],
      age,
      'Milliseconds',
    );
  },
  apiRequest: ({ apiId, stage, status, latencyMs }) => {
    for (const dimensions of [
      [{ Name: 'ApiId', Value: apiId }],
      [
        { Name: 'ApiId', Value: apiId },
        { Name: 'Stage', Value: stage },
      ],
    ]) {
      cloudWatch.record('AWS/ApiGateway', 'Count', dimensions, 1, 'Count');
      cloudWatch.record('AWS/ApiGateway', '4xx', dimensions, status >= 400 && status < 500 ? 1 : 0, 'Count');
      cloudWatch.record('AWS/ApiGateway', '5xx', dimensions, status >= 500 ? 1 : 0, 'Count');
      cloudWatch.record('AWS/ApiGateway', 'Latency', dimensions, latencyMs, 'Milliseconds');
    }
  },
});
