import {
  AwsServiceError,
  type JsonProtocolService,
  type JsonServiceRequest,
  type JsonServiceResponse,
  LOCAL_ACCOUNT_ID,
  LOCAL_REGION,
} from '../support/aws-protocol.js';
import { describeMetricAlarm } from './actions/describe-alarms.js';
import { CLOUDWATCH_ACTIONS } from './actions/index.js';
import type { AlarmStateChange } from './alarm-model.js';
import { AlarmEngine } from './alarms.js';
import { type CloudWatchClock, scaledClock } from './clock.js';
import { extractEmfMetrics } from './emf.js';
import { CloudWatchErrors } from './errors.js';
import { MetricStore } from './metric-store.js';
import type { Dimension } from './model.js';

/** Options of {@link createLocalCloudWatch}; every one has a default. */
export interface LocalCloudWatchOptions {
  /** The clock (see `scaledClock`); default the wall clock. */
  readonly clock?: CloudWatchClock;
  readonly region?: string;
  readonly accountId?: string;
}

/** Converts the `Date`s of an action's output to the JSON protocol's epoch seconds. */
const toJsonProtocol = (value: unknown): unknown => {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toJsonProtocol);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toJsonProtocol(inner)]));
  return value;
};

/**
 * The local CloudWatch: metrics (PutMetricData, EMF lines of the functions, the services' own AWS/* metrics),
 * GetMetricData with metric math and Metrics Insights, GetMetricStatistics, ListMetrics, and metric alarms evaluated
 * on its clock. Served on the edge under `X-Amz-Target: GraniteServiceVersion20100801.<Action>` (JSON 1.0, what the
 * AWS SDK v3 and the AWS CLI send) and the query protocol (`Action=<Action>`, older clients).
 */
export class LocalCloudWatch implements JsonProtocolService {
  public readonly signingName = 'monitoring';
  public readonly targetPrefix = 'GraniteServiceVersion20100801';
  public readonly store = new MetricStore();
  public readonly clock: CloudWatchClock;
  public readonly alarms: AlarmEngine;
  public readonly region: string;
  public readonly accountId: string;

  public constructor(options: LocalCloudWatchOptions = {}) {
    this.clock = options.clock ?? scaledClock(1);
    this.region = options.region ?? LOCAL_REGION;
    this.accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
    this.alarms = new AlarmEngine({ store: this.store, clock: this.clock });
    this.alarms.start();
  }

  /** Runs one action; returns its output with `Date` timestamps (each protocol encodes them its way). */
  public run(action: string, input: Record<string, unknown>): Record<string, unknown> {
    const handler = Object.hasOwn(CLOUDWATCH_ACTIONS, action) ? CLOUDWATCH_ACTIONS[action] : undefined;
    if (handler === undefined) throw CloudWatchErrors.unknownOperation(action);
    try {
      return handler(input, {
        store: this.store,
        alarms: this.alarms,
        clock: this.clock,
        region: this.region,
        accountId: this.accountId,
      });
    } catch (error) {
      if (error instanceof AwsServiceError) throw error;
      throw CloudWatchErrors.internal(
        `${action} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  public async handle(request: JsonServiceRequest): Promise<JsonServiceResponse> {
    return { status: 200, body: toJsonProtocol(this.run(request.action, request.input)) };
  }

  /** Takes the metrics of a function's log line when it is in the embedded metric format; true if it was EMF. */
  public ingestLogLine(line: string): boolean {
    const data = extractEmfMetrics(line, (epochMs) => this.clock.fromWallClock(epochMs));
    for (const { identity, sample } of data) this.store.put(identity, sample);
    return data.length > 0;
  }

  /** Records a service metric (AWS/SQS, AWS/Lambda, ...) at CloudWatch's now: one value with its unit. */
  public record(
    namespace: string,
    metricName: string,
    dimensions: readonly Dimension[],
    value: number,
    unit: string,
  ): void {
    this.store.put(
      { Namespace: namespace, MetricName: metricName, Dimensions: dimensions },
      {
        timestamp: this.clock.now(),
        unit,
        storageResolution: 60,
        sampleCount: 1,
        sum: value,
        minimum: value,
        maximum: value,
        values: [{ value, count: 1 }],
      },
    );
  }

  /** Every alarm with its state, as DescribeAlarms answers it (for the status page and tests). */
  public describeAlarms(): Record<string, unknown>[] {
    return this.alarms.list().map(describeMetricAlarm);
  }

  /** Hears every alarm state change. */
  public onAlarmStateChange(listener: (change: AlarmStateChange) => void): () => void {
    return this.alarms.onStateChange(listener);
  }

  public stop(): void {
    this.alarms.stop();
  }
}
