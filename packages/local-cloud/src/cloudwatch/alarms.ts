import { evaluateAlarm } from './alarm-evaluation.js';
import type { AlarmHistoryItem, AlarmState, AlarmStateChange, MetricAlarm } from './alarm-model.js';
import type { CloudWatchClock } from './clock.js';
import { runQueries } from './metric-queries.js';
import { type MetricStore, periodStart } from './metric-store.js';
import type { Statistic } from './statistics.js';

/** Options of the {@link AlarmEngine}. */
export interface AlarmEngineOptions {
  readonly store: MetricStore;
  readonly clock: CloudWatchClock;
  /**
   * How long after a period ends it is evaluated, in CloudWatch time, so that datapoints on their way (an EMF line
   * in a pipe) are in. Default: 5 s, and at least half a wall-clock second at any time scale.
   */
  readonly ingestionLagMs?: number;
  /** How often alarms are evaluated, in CloudWatch time; default 15 s (several times per 1-minute period). */
  readonly evaluationIntervalMs?: number;
}

/** History kept per alarm at most (AWS keeps 30 days). */
const MAX_HISTORY = 2_000;

/**
 * The metric alarms: their configuration, state and history, and the evaluation loop that moves them between OK,
 * ALARM and INSUFFICIENT_DATA as CloudWatch does (see `evaluateAlarm`). Listeners hear every state change (the
 * alarm actions publish to SNS through one).
 */
export class AlarmEngine {
  private readonly alarms = new Map<string, MetricAlarm>();
  private readonly history: AlarmHistoryItem[] = [];
  private readonly listeners = new Set<(change: AlarmStateChange) => void>();
  private readonly lagMs: number;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;

  public constructor(private readonly options: AlarmEngineOptions) {
    this.lagMs = options.ingestionLagMs ?? Math.max(5_000, 500 * options.clock.scale);
    this.intervalMs = options.evaluationIntervalMs ?? 15_000;
  }

  /** Starts evaluating every alarm on the clock (idempotent). */
  public start(): void {
    if (this.timer !== undefined) return;
    const wallMs = Math.max(20, this.options.clock.wallDuration(this.intervalMs));
    this.timer = setInterval(() => this.evaluateAll(), wallMs);
    this.timer.unref();
  }

  public stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Hears every state change; returns the unsubscribe function. */
  public onStateChange(listener: (change: AlarmStateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  public get(name: string): MetricAlarm | undefined {
    return this.alarms.get(name);
  }

  /** Every alarm, by name. */
  public list(): MetricAlarm[] {
    return [...this.alarms.values()].sort((a, b) => a.AlarmName.localeCompare(b.AlarmName));
  }

  /** Creates or replaces an alarm (an update keeps its state, as on AWS). */
  public put(
    alarm: Omit<
      MetricAlarm,
      'StateValue' | 'StateReason' | 'StateUpdatedTimestamp' | 'StateTransitionedTimestamp'
    >,
  ): void {
    const now = this.options.clock.now();
    const existing = this.alarms.get(alarm.AlarmName);
    const stored: MetricAlarm = {
      ...alarm,
      StateValue: existing?.StateValue ?? 'INSUFFICIENT_DATA',
      StateReason: existing?.StateReason ?? 'Unchecked: Initial alarm creation',
      StateUpdatedTimestamp: existing?.StateUpdatedTimestamp ?? now,
      StateTransitionedTimestamp: existing?.StateTransitionedTimestamp ?? now,
      ...(existing?.StateReasonData === undefined ? {} : { StateReasonData: existing.StateReasonData }),
    };
    this.alarms.set(alarm.AlarmName, stored);
    this.record({
      AlarmName: alarm.AlarmName,
      AlarmType: 'MetricAlarm',
      Timestamp: now,
      HistoryItemType: 'ConfigurationUpdate',
      HistorySummary: `Alarm "${alarm.AlarmName}" ${existing === undefined ? 'created' : 'updated'}`,
      HistoryData: JSON.stringify({
        version: '1.0',
        type: existing === undefined ? 'Create' : 'Update',
        createdAlarm: { alarmName: alarm.AlarmName },
      }),
    });
  }

  /** Deletes alarms (their history stays, as on AWS). */
  public delete(names: readonly string[]): void {
    const now = this.options.clock.now();
    for (const name of names) {
      if (!this.alarms.delete(name)) continue;
      this.record({
        AlarmName: name,
        AlarmType: 'MetricAlarm',
        Timestamp: now,
        HistoryItemType: 'ConfigurationUpdate',
        HistorySummary: `Alarm "${name}" deleted`,
        HistoryData: JSON.stringify({ version: '1.0', type: 'Delete', deletedAlarm: { alarmName: name } }),
      });
    }
  }

  /** SetAlarmState: the state is set (actions run); the next evaluation may set it back. */
  public setState(name: string, state: AlarmState, reason: string, reasonData?: string): void {
    const alarm = this.alarms.get(name);
    if (alarm === undefined) return;
    this.transition(alarm, state, reason, reasonData, this.options.clock.now());
  }

  /** Records an action's outcome in the alarm's history. */
  public recordAction(name: string, summary: string, data: Record<string, unknown>): void {
    this.record({
      AlarmName: name,
      AlarmType: 'MetricAlarm',
      Timestamp: this.options.clock.now(),
      HistoryItemType: 'Action',
      HistorySummary: summary,
      HistoryData: JSON.stringify({ version: '1.0', ...data }),
    });
  }

  /** The history, newest first. */
  public historyItems(): AlarmHistoryItem[] {
    return [...this.history].reverse();
  }

  /** Evaluates every alarm now (the loop calls it; tests may too). */
  public evaluateAll(): void {
    const now = this.options.clock.now();
    for (const alarm of this.alarms.values()) {
      try {
        this.evaluate(alarm, now);
      } catch (error) {
        // A query the alarm cannot run (an expression CloudWatch would have refused at creation) keeps its state.
        const reason = `Unable to evaluate the alarm: ${error instanceof Error ? error.message : String(error)}`;
        if (alarm.StateReason !== reason) alarm.StateReason = reason;
      }
    }
  }

  private evaluate(alarm: MetricAlarm, now: number): void {
    if (alarm.ThresholdMetricId !== undefined) return; // anomaly detection bands are not modelled
    const returned = alarm.Metrics?.find((query) => query.ReturnData !== false);
    const period = alarm.Period ?? returned?.MetricStat?.Period ?? returned?.Period ?? 60;
    const end = periodStart(now - this.lagMs, period);
    const n = alarm.EvaluationPeriods;
    const start = end - n * period * 1000;
    const periods = Array.from({ length: n }, (_, i) => start + i * period * 1000);
    let datapoints: Map<number, number>;
    if (alarm.Metrics !== undefined && returned !== undefined) {
      const results = runQueries(this.options.store, alarm.Metrics, { start, end });
      datapoints = new Map(results.find((result) => result.id === returned.Id)?.series.points ?? []);
    } else {
      datapoints = this.options.store.aggregate(
        [
          {
            Namespace: alarm.Namespace ?? '',
            MetricName: alarm.MetricName ?? '',
            Dimensions: alarm.Dimensions,
          },
        ],
        {
          start,
          end,
          period,
          statistic: (alarm.ExtendedStatistic ?? alarm.Statistic ?? 'Average') as Statistic,
          ...(alarm.Unit === undefined ? {} : { unit: alarm.Unit }),
        },
      );
    }
    const evaluation = evaluateAlarm({
      periods,
      datapoints,
      threshold: alarm.Threshold ?? 0,
      operator: alarm.ComparisonOperator,
      datapointsToAlarm: alarm.DatapointsToAlarm ?? n,
      treatMissingData: alarm.TreatMissingData ?? 'missing',
      currentState: alarm.StateValue,
      periodSeconds: period,
    });
    if (evaluation.state === undefined || evaluation.state === alarm.StateValue) return;
    const reasonData = JSON.stringify({
      version: '1.0',
      queryDate: new Date(now).toISOString().replace('Z', '+0000'),
      startDate: new Date(start).toISOString().replace('Z', '+0000'),
      period,
      recentDatapoints: evaluation.recent.map((point) => point.value),
      threshold: alarm.Threshold,
      evaluatedDatapoints: evaluation.recent.map((point) => ({
        timestamp: new Date(point.timestamp).toISOString().replace('Z', '+0000'),
        value: point.value,
      })),
    });
    this.transition(alarm, evaluation.state, evaluation.reason, reasonData, now);
  }

  private transition(
    alarm: MetricAlarm,
    state: AlarmState,
    reason: string,
    reasonData: string | undefined,
    at: number,
  ): void {
    const oldState = alarm.StateValue;
    alarm.StateValue = state;
    alarm.StateReason = reason;
    if (reasonData === undefined) delete alarm.StateReasonData;
    else alarm.StateReasonData = reasonData;
    alarm.StateUpdatedTimestamp = at;
    if (oldState !== state) alarm.StateTransitionedTimestamp = at;
    this.record({
      AlarmName: alarm.AlarmName,
      AlarmType: 'MetricAlarm',
      Timestamp: at,
      HistoryItemType: 'StateUpdate',
      HistorySummary: `Alarm updated from ${oldState} to ${state}`,
      HistoryData: JSON.stringify({
        version: '1.0',
        oldState: { stateValue: oldState },
        newState: {
          stateValue: state,
          stateReason: reason,
          ...(reasonData === undefined ? {} : { stateReasonData: JSON.parse(reasonData) as unknown }),
        },
      }),
    });
    const change: AlarmStateChange = {
      alarm: { ...alarm },
      oldState,
      newState: state,
      reason,
      ...(reasonData === undefined ? {} : { reasonData }),
      at,
    };
    if (oldState !== state) for (const listener of this.listeners) listener(change);
  }

  private record(item: AlarmHistoryItem): void {
    this.history.push(item);
    if (this.history.length > MAX_HISTORY * Math.max(1, this.alarms.size)) this.history.shift();
  }
}
