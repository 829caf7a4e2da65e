import { type QueryShape, type QueryStructure, q } from '../support/query-protocol.js';

/**
 * The query-protocol shapes of the CloudWatch actions this emulator answers, after the CloudWatch service model
 * (`monitoring-2010-08-01`): lists are `<Name>.member.N`, structures nest by dot. Clients that speak the query
 * protocol to CloudWatch (AWS CLI v2 before 2.25, older SDKs) are decoded and answered with these.
 */
const list = (member: QueryShape): QueryShape => q.list(member, 'member', false);
const strings = list(q.string);
const numbers = list(q.integer);
const dimension = q.structure({ Name: q.string, Value: q.string });
const dimensions = list(dimension);
const metric = q.structure({ Namespace: q.string, MetricName: q.string, Dimensions: dimensions });
const metricDataQuery = q.structure({
  Id: q.string,
  MetricStat: q.structure({ Metric: metric, Period: q.integer, Stat: q.string, Unit: q.string }),
  Expression: q.string,
  Label: q.string,
  ReturnData: q.boolean,
  Period: q.integer,
  AccountId: q.string,
});
const metricDataQueries = list(metricDataQuery);

const metricAlarm = q.structure({
  AlarmName: q.string,
  AlarmArn: q.string,
  AlarmDescription: q.string,
  AlarmConfigurationUpdatedTimestamp: q.string,
  ActionsEnabled: q.boolean,
  OKActions: strings,
  AlarmActions: strings,
  InsufficientDataActions: strings,
  StateValue: q.string,
  StateReason: q.string,
  StateReasonData: q.string,
  StateUpdatedTimestamp: q.string,
  MetricName: q.string,
  Namespace: q.string,
  Statistic: q.string,
  ExtendedStatistic: q.string,
  Dimensions: dimensions,
  Period: q.integer,
  Unit: q.string,
  EvaluationPeriods: q.integer,
  DatapointsToAlarm: q.integer,
  Threshold: q.integer,
  ComparisonOperator: q.string,
  TreatMissingData: q.string,
  EvaluateLowSampleCountPercentile: q.string,
  Metrics: metricDataQueries,
  ThresholdMetricId: q.string,
  StateTransitionedTimestamp: q.string,
});

/** Input and output shapes by action. */
export const CLOUDWATCH_QUERY_OPERATIONS: Readonly<
  Record<string, { input: QueryStructure; output?: QueryStructure }>
> = {
  PutMetricData: {
    input: q.structure({
      Namespace: q.string,
      MetricData: list(
        q.structure({
          MetricName: q.string,
          Dimensions: dimensions,
          Timestamp: q.string,
          Value: q.integer,
          StatisticValues: q.structure({
            SampleCount: q.integer,
            Sum: q.integer,
            Minimum: q.integer,
            Maximum: q.integer,
          }),
          Values: numbers,
          Counts: numbers,
          Unit: q.string,
          StorageResolution: q.integer,
        }),
      ),
    }),
  },
  GetMetricData: {
    input: q.structure({
      MetricDataQueries: metricDataQueries,
      StartTime: q.string,
      EndTime: q.string,
      NextToken: q.string,
      ScanBy: q.string,
      MaxDatapoints: q.integer,
    }),
    output: q.structure({
      MetricDataResults: list(
        q.structure({
          Id: q.string,
          Label: q.string,
          Timestamps: strings,
          Values: numbers,
          StatusCode: q.string,
        }),
      ),
      NextToken: q.string,
      Messages: list(q.structure({ Code: q.string, Value: q.string })),
    }),
  },
  GetMetricStatistics: {
    input: q.structure({
      Namespace: q.string,
      MetricName: q.string,
      Dimensions: dimensions,
      StartTime: q.string,
      EndTime: q.string,
      Period: q.integer,
      Statistics: strings,
      ExtendedStatistics: strings,
      Unit: q.string,
    }),
    output: q.structure({
      Label: q.string,
      Datapoints: list(
        q.structure({
          Timestamp: q.string,
          SampleCount: q.integer,
          Average: q.integer,
          Sum: q.integer,
          Minimum: q.integer,
          Maximum: q.integer,
          Unit: q.string,
        }),
      ),
    }),
  },
  ListMetrics: {
    input: q.structure({
      Namespace: q.string,
      MetricName: q.string,
      Dimensions: dimensions,
      NextToken: q.string,
      RecentlyActive: q.string,
    }),
    output: q.structure({ Metrics: list(metric), NextToken: q.string }),
  },
  PutMetricAlarm: {
    input: q.structure({
      AlarmName: q.string,
      AlarmDescription: q.string,
      ActionsEnabled: q.boolean,
      OKActions: strings,
      AlarmActions: strings,
      InsufficientDataActions: strings,
      MetricName: q.string,
      Namespace: q.string,
      Statistic: q.string,
      ExtendedStatistic: q.string,
      Dimensions: dimensions,
      Period: q.integer,
      Unit: q.string,
      EvaluationPeriods: q.integer,
      DatapointsToAlarm: q.integer,
      Threshold: q.integer,
      ComparisonOperator: q.string,
      TreatMissingData: q.string,
      EvaluateLowSampleCountPercentile: q.string,
      Metrics: metricDataQueries,
      Tags: list(q.structure({ Key: q.string, Value: q.string })),
      ThresholdMetricId: q.string,
    }),
  },
  DescribeAlarms: {
    input: q.structure({
      AlarmNames: strings,
      AlarmNamePrefix: q.string,
      AlarmTypes: strings,
      StateValue: q.string,
      ActionPrefix: q.string,
      MaxRecords: q.integer,
      NextToken: q.string,
    }),
    output: q.structure({
      MetricAlarms: list(metricAlarm),
      CompositeAlarms: list(q.structure({ AlarmName: q.string })),
      NextToken: q.string,
    }),
  },
  DescribeAlarmHistory: {
    input: q.structure({
      AlarmName: q.string,
      AlarmTypes: strings,
      HistoryItemType: q.string,
      StartDate: q.string,
      EndDate: q.string,
      MaxRecords: q.integer,
      NextToken: q.string,
      ScanBy: q.string,
    }),
    output: q.structure({
      AlarmHistoryItems: list(
        q.structure({
          AlarmName: q.string,
          AlarmType: q.string,
          Timestamp: q.string,
          HistoryItemType: q.string,
          HistorySummary: q.string,
          HistoryData: q.string,
        }),
      ),
      NextToken: q.string,
    }),
  },
  SetAlarmState: {
    input: q.structure({
      AlarmName: q.string,
      StateValue: q.string,
      StateReason: q.string,
      StateReasonData: q.string,
    }),
  },
  DeleteAlarms: { input: q.structure({ AlarmNames: strings }) },
};
