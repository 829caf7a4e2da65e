import {
  type CloudWatchClient,
  type MetricDataQuery,
  PutMetricAlarmCommand,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { CreateLogGroupCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { generatedName, localArn } from '../naming.js';
import { placeholderFor } from '../placeholders.js';
import {
  jsonText,
  listOf,
  optionalBoolean,
  optionalNumber,
  optionalString,
  type Properties,
  recordOf,
} from '../properties.js';
import type { Provisioner } from './provisioner.js';

/**
 * Operations resources are optional in a deployment: without the service's client (a partial cloud, e.g. SQS and
 * DynamoDB only) they get placeholder names, listed as not emulated, so references to them still resolve.
 */
const withClient =
  (client: 'sns' | 'cloudWatch' | 'logs', provisioner: Provisioner): Provisioner =>
  async (request, context) =>
    context.options.clients[client] === undefined
      ? {
          ...placeholderFor(
            request.type,
            request.stackName,
            request.logicalId,
            request.properties,
            context.environment,
          ),
          notEmulatedReason: `no ${client} client in this deployment`,
        }
      : provisioner(request, context);

const stringList = (properties: Properties, key: string): string[] =>
  listOf(properties, key).filter((item): item is string => typeof item === 'string');

const tags = (properties: Properties): { Key: string; Value: string }[] =>
  listOf(properties, 'Tags').flatMap((tag) => {
    const { Key, Value } = (tag ?? {}) as { Key?: unknown; Value?: unknown };
    return typeof Key === 'string' && typeof Value === 'string' ? [{ Key, Value }] : [];
  });

/** CloudFormation's topic properties that are SNS topic attributes of the same name. */
const TOPIC_ATTRIBUTES = [
  'DisplayName',
  'KmsMasterKeyId',
  'FifoTopic',
  'ContentBasedDeduplication',
  'SignatureVersion',
  'TracingConfig',
  'ArchivePolicy',
] as const;

/**
 * `AWS::SNS::Topic`: CreateTopic (idempotent) with its attributes and tags, and the inline `Subscription` list.
 * Ref = TopicArn; GetAtt TopicArn, TopicName.
 */
export const provisionTopic: Provisioner = withClient(
  'sns',
  async ({ stackName, logicalId, properties }, context) => {
    const sns = context.client('sns', 'AWS::SNS::Topic');
    const fifo = optionalBoolean(properties, 'FifoTopic') === true;
    const name =
      optionalString(properties, 'TopicName') ??
      generatedName(stackName, logicalId, 256, fifo ? '.fifo' : '');
    const attributes: Record<string, string> = {};
    for (const key of TOPIC_ATTRIBUTES) {
      const value = properties[key];
      if (value !== undefined) attributes[key] = typeof value === 'object' ? jsonText(value) : String(value);
    }
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({ Name: name, Attributes: attributes, Tags: tags(properties) }),
    );
    const arn = TopicArn ?? localArn(context.environment, 'sns', name);
    for (const subscription of listOf(properties, 'Subscription')) {
      const { Protocol, Endpoint } = (subscription ?? {}) as { Protocol?: unknown; Endpoint?: unknown };
      if (typeof Protocol === 'string' && typeof Endpoint === 'string')
        await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol, Endpoint }));
    }
    return { physicalId: arn, attributes: { TopicArn: arn, TopicName: name } };
  },
);

/** CloudFormation's subscription properties that are SNS subscription attributes (JSON documents as text). */
const SUBSCRIPTION_ATTRIBUTES = [
  'DeliveryPolicy',
  'FilterPolicy',
  'FilterPolicyScope',
  'RawMessageDelivery',
  'RedrivePolicy',
  'SubscriptionRoleArn',
  'ReplayPolicy',
] as const;

/** `AWS::SNS::Subscription`: Subscribe with its attributes. Ref = the subscription ARN. */
export const provisionSubscription: Provisioner = withClient('sns', async ({ properties }, context) => {
  const sns = context.client('sns', 'AWS::SNS::Subscription');
  const attributes: Record<string, string> = {};
  for (const key of SUBSCRIPTION_ATTRIBUTES) {
    const value = properties[key];
    if (value !== undefined) attributes[key] = typeof value === 'object' ? jsonText(value) : String(value);
  }
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({
      TopicArn: optionalString(properties, 'TopicArn'),
      Protocol: optionalString(properties, 'Protocol'),
      Endpoint: optionalString(properties, 'Endpoint'),
      Attributes: attributes,
      ReturnSubscriptionArn: true,
    }),
  );
  return { physicalId: SubscriptionArn ?? '', attributes: { Arn: SubscriptionArn ?? '' } };
});

/** A CloudFormation MetricDataQuery as the SDK takes it (the same members). */
const metricDataQuery = (value: unknown): MetricDataQuery => {
  const query = (value ?? {}) as Properties;
  const stat = recordOf(query, 'MetricStat');
  const metric = recordOf(stat, 'Metric');
  return {
    Id: optionalString(query, 'Id'),
    ...(optionalString(query, 'Expression') === undefined
      ? {}
      : { Expression: optionalString(query, 'Expression') }),
    ...(optionalString(query, 'Label') === undefined ? {} : { Label: optionalString(query, 'Label') }),
    ...(optionalBoolean(query, 'ReturnData') === undefined
      ? {}
      : { ReturnData: optionalBoolean(query, 'ReturnData') }),
    ...(optionalNumber(query, 'Period') === undefined ? {} : { Period: optionalNumber(query, 'Period') }),
    ...(query.MetricStat === undefined
      ? {}
      : {
          MetricStat: {
            Metric: {
              Namespace: optionalString(metric, 'Namespace'),
              MetricName: optionalString(metric, 'MetricName'),
              Dimensions: listOf(metric, 'Dimensions') as { Name: string; Value: string }[],
            },
            Period: optionalNumber(stat, 'Period'),
            Stat: optionalString(stat, 'Stat'),
            ...(optionalString(stat, 'Unit') === undefined
              ? {}
              : { Unit: optionalString(stat, 'Unit') as never }),
          },
        }),
  } as MetricDataQuery;
};

/**
 * `AWS::CloudWatch::Alarm`: PutMetricAlarm with the template's properties (the same members as the API), so the
 * local CloudWatch evaluates it and its actions publish to the local SNS. Ref = alarm name; GetAtt Arn.
 */
export const provisionAlarm: Provisioner = withClient(
  'cloudWatch',
  async ({ stackName, logicalId, properties }, context) => {
    const cloudWatch: CloudWatchClient = context.client('cloudWatch', 'AWS::CloudWatch::Alarm');
    const name = optionalString(properties, 'AlarmName') ?? generatedName(stackName, logicalId, 255);
    const input: PutMetricAlarmCommandInput = {
      AlarmName: name,
      AlarmDescription: optionalString(properties, 'AlarmDescription'),
      ActionsEnabled: optionalBoolean(properties, 'ActionsEnabled'),
      OKActions: stringList(properties, 'OKActions'),
      AlarmActions: stringList(properties, 'AlarmActions'),
      InsufficientDataActions: stringList(properties, 'InsufficientDataActions'),
      MetricName: optionalString(properties, 'MetricName'),
      Namespace: optionalString(properties, 'Namespace'),
      Statistic: optionalString(properties, 'Statistic') as PutMetricAlarmCommandInput['Statistic'],
      ExtendedStatistic: optionalString(properties, 'ExtendedStatistic'),
      Dimensions:
        properties.Dimensions === undefined
          ? undefined
          : (listOf(properties, 'Dimensions') as { Name: string; Value: string }[]),
      Period: optionalNumber(properties, 'Period'),
      Unit: optionalString(properties, 'Unit') as PutMetricAlarmCommandInput['Unit'],
      EvaluationPeriods: optionalNumber(properties, 'EvaluationPeriods'),
      DatapointsToAlarm: optionalNumber(properties, 'DatapointsToAlarm'),
      Threshold: optionalNumber(properties, 'Threshold'),
      ComparisonOperator: optionalString(
        properties,
        'ComparisonOperator',
      ) as PutMetricAlarmCommandInput['ComparisonOperator'],
      TreatMissingData: optionalString(properties, 'TreatMissingData'),
      EvaluateLowSampleCountPercentile: optionalString(properties, 'EvaluateLowSampleCountPercentile'),
      ThresholdMetricId: optionalString(properties, 'ThresholdMetricId'),
      Metrics:
        properties.Metrics === undefined ? undefined : listOf(properties, 'Metrics').map(metricDataQuery),
    };
    await cloudWatch.send(new PutMetricAlarmCommand(input));
    return {
      physicalId: name,
      attributes: { Arn: localArn(context.environment, 'cloudwatch', `alarm:${name}`) },
    };
  },
);

/** `AWS::Logs::LogGroup`: CreateLogGroup (kept on a re-deploy) and its retention. Ref = name; GetAtt Arn. */
export const provisionLogGroup: Provisioner = withClient(
  'logs',
  async ({ stackName, logicalId, properties }, context) => {
    const logs = context.client('logs', 'AWS::Logs::LogGroup');
    const name = optionalString(properties, 'LogGroupName') ?? generatedName(stackName, logicalId, 512);
    try {
      await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ResourceAlreadyExistsException')) throw error;
    }
    const retention = optionalNumber(properties, 'RetentionInDays');
    if (retention !== undefined)
      await logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: retention }));
    return {
      physicalId: name,
      attributes: { Arn: localArn(context.environment, 'logs', `log-group:${name}:*`) },
    };
  },
);
