import { createDeadLetterQueue, DlqKinds } from '@breakwater/event-consumer';
import { Duration, Stack } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, UrlSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '../../config';

/**
 * How urgent an alarm is, which decides its topic:
 * - `page`: a human must act now (something failed for good, or is stuck and will not recover by itself).
 * - `notice`: worth knowing today (a single circuit trip, a DLQ message getting old, a throttle), not a wake-up.
 */
export const Severities = { page: 'page', notice: 'notice' } as const;

/** One of {@link Severities}. */
export type Severity = (typeof Severities)[keyof typeof Severities];

/** Properties of {@link AlarmTopics}. */
export interface AlarmTopicsProps {
  readonly config: StageConfig;
}

/**
 * The two alarm topics (page and notice), their key and their subscriptions.
 *
 * - Encrypted with one customer-managed key: CloudWatch cannot publish to a topic encrypted with the AWS-managed
 *   `alias/aws/sns` key, whose policy does not let the CloudWatch service principal use it.
 * - A topic policy replaces SNS's default one, so CloudWatch (alarm actions) is allowed explicitly, for this account
 *   only; with the topic's key, grantPublish also lets CloudWatch use the key.
 * - Every destination of the stage (`config.alarmDestinations`) subscribes to both topics; a notification SNS could
 *   not deliver goes to one shared subscription DLQ (alarmed by the caller). `alarms=none` creates no subscription.
 */
export class AlarmTopics extends Construct {
  public readonly key: Key;
  public readonly page: Topic;
  public readonly notice: Topic;
  /** Notifications SNS could not deliver to a subscriber; undefined without subscriptions. */
  public readonly undelivered?: Queue;

  public constructor(scope: Construct, id: string, props: AlarmTopicsProps) {
    super(scope, id);
    const { config } = props;
    this.key = new Key(this, 'Key', {
      description: `${config.prefix}: encrypts the alarm topics`,
      enableKeyRotation: true,
      removalPolicy: config.removalPolicy,
      pendingWindow: Duration.days(7),
    });
    const topic = (topicId: string, severity: Severity, what: string): Topic => {
      const created = new Topic(this, topicId, {
        topicName: `${config.prefix}-${severity}`,
        displayName: `${config.prefix} ${what}`,
        masterKey: this.key,
        enforceSSL: true,
      });
      created.grantPublish(
        new ServicePrincipal('cloudwatch.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
      );
      return created;
    };
    this.page = topic('PageTopic', Severities.page, 'page: act now');
    this.notice = topic('NoticeTopic', Severities.notice, 'notice: look today');

    const destinations = config.alarmDestinations;
    if (destinations.kind === 'none') return;
    const undelivered = createDeadLetterQueue(this, 'UndeliveredQueue', {
      kind: DlqKinds.subscription,
      source: 'alarm-subscriptions',
      removalPolicy: config.removalPolicy,
    });
    this.undelivered = undelivered;
    for (const target of [this.page, this.notice]) {
      if (destinations.email !== undefined) {
        target.addSubscription(new EmailSubscription(destinations.email, { deadLetterQueue: undelivered }));
      }
      if (destinations.endpoint !== undefined) {
        target.addSubscription(new UrlSubscription(destinations.endpoint, { deadLetterQueue: undelivered }));
      }
    }
  }

  /** The topic of a severity. */
  public topic(severity: Severity): Topic {
    return severity === Severities.page ? this.page : this.notice;
  }
}
