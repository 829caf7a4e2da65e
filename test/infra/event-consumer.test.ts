import {
  EventConsumerConfigurationError,
  EventConsumer as PackagedConsumer,
  type EventConsumerProps as PackagedConsumerProps,
} from '@breakwater/event-consumer';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { Stages, stageConfigFrom } from '../../infra/config';
import { EventConsumer, type EventConsumerProps } from '../../infra/constructs/event-consumer';
import { AlarmTopics } from '../../infra/constructs/monitoring/alarm-topics';
import { OperationsMonitoring } from '../../infra/constructs/monitoring/operations-monitoring';
import { FunctionNames } from '../../infra/paths';
import { EventSources, EventTypes } from '../../shared/contracts/events';
import { testEnv } from './support/synth';

// The construct on its own, in a three-stack fixture shaped like the app (bus / consumer / monitoring).
// Bundling is skipped: these tests are about the resources and the validation rules, not the handler.
type Overrides = Partial<Omit<EventConsumerProps, 'config' | 'eventBus' | 'monitoring'>>;

function fixture(overrides: Overrides = {}): { consumer: EventConsumer; stack: Stack; ops: Stack } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], stage: Stages.dev, alarms: 'none' } });
  const config = stageConfigFrom(app);
  const platform = new Stack(app, 'Platform', { env: testEnv });
  const bus = new EventBus(platform, 'Bus');
  const ops = new Stack(app, 'Ops', { env: testEnv });
  const monitoring = new OperationsMonitoring(ops, 'Monitoring', {
    config,
    topics: new AlarmTopics(ops, 'Alarms', { config }),
  });
  const stack = new Stack(app, 'Consumers', { env: testEnv });
  const consumer = new EventConsumer(stack, 'Billing', {
    consumerName: 'billing',
    handler: FunctionNames.billing,
    config,
    eventBus: bus,
    monitoring,
    eventPattern: { source: [EventSources.orders], detailType: [EventTypes.orderCreated] },
    ...overrides,
  });
  return { consumer, stack, ops };
}

describe('EventConsumer with defaults', () => {
  let consumer: EventConsumer;
  let template: Template;
  let ops: Template;

  beforeAll(() => {
    const f = fixture();
    consumer = f.consumer;
    template = Template.fromStack(f.stack);
    ops = Template.fromStack(f.ops);
  });

  it('exposes every resource it creates', () => {
    expect(consumer.rule).toBeDefined();
    expect(consumer.queue).toBeDefined();
    expect(consumer.deadLetterQueue).toBeDefined();
    expect(consumer.targetDeadLetterQueue).toBeDefined();
    expect(consumer.function).toBe(consumer.handler.function);
    expect(consumer.eventSource).toBeDefined();
    expect(consumer.deadLetterAlarms.depth).toBeDefined();
    expect(consumer.targetDeadLetterAlarms.age).toBeDefined();
  });

  it('computes the visibility timeout as 6x the function timeout (30 s → 180 s)', () => {
    expect(consumer.visibilityTimeout.toSeconds()).toBe(180);
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 180,
      MessageRetentionPeriod: Duration.days(4).toSeconds(),
      RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: Match.anyValue() },
      SqsManagedSseEnabled: true,
    });
  });

  it('creates three queues: the source, its redrive DLQ and the rule target DLQ, both DLQs kept 14 days', () => {
    template.resourceCountIs('AWS::SQS::Queue', 3);
    expect(
      Object.keys(
        template.findResources('AWS::SQS::Queue', { Properties: { MessageRetentionPeriod: 1_209_600 } }),
      ),
    ).toHaveLength(2);
  });

  it('targets the queue with a retry policy and its own DLQ', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['breakwater.orders'], 'detail-type': ['order.created'] },
      Targets: [
        Match.objectLike({
          DeadLetterConfig: { Arn: Match.anyValue() },
          RetryPolicy: { MaximumEventAgeInSeconds: 21_600, MaximumRetryAttempts: 185 },
        }),
      ],
    });
  });

  it('lets only its rule send to the target DLQ', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('feeds the function with partial batch responses, a batch size and a concurrency cap', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 30, Runtime: 'nodejs24.x' });
  });

  it('alarms on both DLQs, its queue, its function, its records and its rule, in the monitoring stack', () => {
    const names = Object.values(ops.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => (a as { Properties: { AlarmName: string } }).Properties.AlarmName,
    );
    expect(names.sort()).toEqual([
      'breakwater-dev-billing-dlq-age',
      'breakwater-dev-billing-dlq-depth',
      'breakwater-dev-billing-errors',
      'breakwater-dev-billing-queue-age',
      'breakwater-dev-billing-records-failed',
      'breakwater-dev-billing-records-rejected',
      'breakwater-dev-billing-rule-dlq-failures',
      'breakwater-dev-billing-rule-failed-invocations',
      'breakwater-dev-billing-target-dlq-age',
      'breakwater-dev-billing-target-dlq-depth',
      'breakwater-dev-billing-throttles',
    ]);
    expect(
      Object.values(consumer.alarms).flatMap((a) => ('depth' in a ? [a.depth, a.age] : [a])),
    ).toHaveLength(names.length);
    ops.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [Match.anyValue()],
    });
  });
});

describe('EventConsumer settings', () => {
  it('adds the batching window to the computed visibility timeout', () => {
    const { consumer } = fixture({ timeout: Duration.seconds(20), maxBatchingWindow: Duration.seconds(5) });
    expect(consumer.visibilityTimeout.toSeconds()).toBe(125);
  });

  it('accepts a visibility timeout above the minimum', () => {
    const { consumer } = fixture({ timeout: Duration.seconds(10), visibilityTimeout: Duration.minutes(5) });
    expect(consumer.visibilityTimeout.toSeconds()).toBe(300);
  });
});

describe('EventConsumer validation (one test per rule)', () => {
  const rejects = (overrides: Overrides, message: RegExp): void => {
    expect(() => fixture(overrides)).toThrow(EventConsumerConfigurationError);
    expect(() => fixture(overrides)).toThrow(message);
  };

  it('rejects a consumer name that is not kebab-case', () => {
    rejects({ consumerName: 'Billing_Service' }, /consumerName "Billing_Service" must be kebab-case/);
  });

  it('rejects a pattern without source or detail type', () => {
    rejects(
      { eventPattern: { source: [EventSources.orders] } },
      /eventPattern must list at least one source/,
    );
  });

  it('rejects maxReceiveCount below 5', () => {
    rejects({ maxReceiveCount: 3 }, /maxReceiveCount must be an integer from 5 to 1000 \(got 3\)/);
  });

  it('rejects a visibility timeout shorter than 6x the function timeout', () => {
    rejects(
      { timeout: Duration.seconds(30), visibilityTimeout: Duration.seconds(60) },
      /visibilityTimeout 60 s is shorter than 6× the function timeout plus the batching window \(180 s\)/,
    );
  });

  it('rejects a visibility timeout above the SQS maximum of 12 hours', () => {
    rejects({ visibilityTimeout: Duration.hours(13) }, /exceeds the SQS maximum of 12 hours/);
  });

  it('rejects a queue retention that does not stay below the DLQ retention', () => {
    rejects(
      { queueRetention: Duration.days(14) },
      /queueRetention must be .* shorter than the DLQ retention/,
    );
  });

  it('rejects a batch size out of range', () => {
    rejects({ batchSize: 0 }, /batchSize must be an integer from 1 to 10000 \(got 0\)/);
  });

  it('rejects a batch size above 10 without a batching window', () => {
    rejects({ batchSize: 50 }, /batchSize above 10 needs a maxBatchingWindow of at least 1 s/);
  });

  it('rejects a batching window above 300 s', () => {
    rejects({ maxBatchingWindow: Duration.minutes(6) }, /maxBatchingWindow must be at most 300 s/);
  });

  it('rejects maxConcurrency below 2', () => {
    rejects({ maxConcurrency: 1 }, /maxConcurrency must be an integer from 2 to 1000 \(got 1\)/);
  });

  it('rejects a target max event age outside 60 s to 24 hours', () => {
    rejects({ targetMaxEventAge: Duration.hours(25) }, /targetMaxEventAge must be from 60 s to 24 hours/);
  });

  it('rejects target retry attempts outside 0 to 185', () => {
    rejects({ targetRetryAttempts: 200 }, /targetRetryAttempts must be an integer from 0 to 185 \(got 200\)/);
  });

  it('rejects a DLQ age alarm that could only fire after the messages expired', () => {
    rejects(
      { deadLetterAlarmAge: Duration.days(14) },
      /deadLetterAlarmAge must be positive and shorter than the DLQ retention/,
    );
  });
});

describe('the @breakwater/event-consumer construct on its own (a ready function, default alarms)', () => {
  const standalone = (props: Partial<PackagedConsumerProps> = {}) => {
    const app = new App();
    const stack = new Stack(app, 'Shop', { env: testEnv });
    const handler = new LambdaFunction(stack, 'Worker', {
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });'),
      timeout: Duration.seconds(30),
    });
    const consumer = new PackagedConsumer(stack, 'Billing', {
      consumerName: 'billing',
      eventBus: new EventBus(stack, 'Bus'),
      eventPattern: { source: ['shop.orders'], detailType: ['order.created'] },
      handler,
      alarmActions: [new SnsAction(new Topic(stack, 'Pager'))],
      ...props,
    });
    return { consumer, handler, template: Template.fromStack(stack) };
  };

  it('consumes with the function it is given, telling it its DLQ by DEAD_LETTER_QUEUE_URL', () => {
    const { consumer, handler, template } = standalone();
    expect(consumer.function).toBe(handler);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { DEAD_LETTER_QUEUE_URL: Match.anyValue() } },
    });
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
  });

  it('builds its alarms (both DLQs, the queue age) in its own scope, with the alarm actions given', () => {
    const { template } = standalone();
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Array<{
      Properties: { MetricName: string; Threshold: number; AlarmActions: unknown[] };
    }>;
    expect(alarms.map((a) => `${a.Properties.MetricName}≥${a.Properties.Threshold}`).sort()).toEqual([
      'ApproximateAgeOfOldestMessage≥604800',
      'ApproximateAgeOfOldestMessage≥604800',
      'ApproximateAgeOfOldestMessage≥900',
      'ApproximateNumberOfMessagesVisible≥1',
      'ApproximateNumberOfMessagesVisible≥1',
    ]);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
  });

  it('names the DLQ variable and the rule as asked, and keeps its queues on RETAIN', () => {
    const { template } = standalone({
      deadLetterQueueUrlEnv: 'MY_DLQ',
      ruleDescription: 'orders for billing',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { MY_DLQ: Match.anyValue() } },
    });
    template.hasResourceProperties('AWS::Events::Rule', { Description: 'orders for billing' });
    for (const queue of Object.values(template.findResources('AWS::SQS::Queue'))) {
      expect((queue as { DeletionPolicy?: string }).DeletionPolicy).toBe('Retain');
    }
  });
});
