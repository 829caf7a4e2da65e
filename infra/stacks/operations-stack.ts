import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { OperationsMonitoring } from '../constructs/monitoring/operations-monitoring';
import { createDeadLetterQueue, DlqKinds } from '../defaults';
import { addOutput, addQueueOutputs } from './outputs';

/** Properties of the {@link OperationsStack}. */
export interface OperationsStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * Alarms and the dashboard. The stack is created first (so the services can be handed its monitoring facade) but
 * deploys last: it only imports from the service stacks, never the reverse.
 *
 * The alarm topic is encrypted with a customer-managed key: CloudWatch cannot publish to a topic encrypted with
 * the AWS-managed `alias/aws/sns` key, whose policy does not let the CloudWatch service principal use it.
 */
export class OperationsStack extends Stack {
  public readonly alarmKey: Key;
  public readonly alarmTopic: Topic;
  public readonly monitoring: OperationsMonitoring;

  public constructor(scope: Construct, id: string, props: OperationsStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.alarmKey = new Key(this, 'AlarmKey', {
      description: `${config.prefix}: encrypts the alarm topic`,
      enableKeyRotation: true,
      removalPolicy: config.removalPolicy,
      pendingWindow: Duration.days(7),
    });

    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: `${config.prefix} alarms`,
      masterKey: this.alarmKey,
      enforceSSL: true,
    });
    // A topic policy replaces SNS's default one, so CloudWatch (alarm actions) is allowed explicitly, for this
    // account only; with the topic's key, grantPublish also lets CloudWatch use the key to encrypt messages.
    this.alarmTopic.grantPublish(
      new ServicePrincipal('cloudwatch.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );

    this.monitoring = new OperationsMonitoring(this, 'Monitoring', { config, alarmTopic: this.alarmTopic });

    if (config.alarmEmail) {
      const undelivered = createDeadLetterQueue(this, 'AlarmEmailDeadLetterQueue', {
        kind: DlqKinds.subscription,
        source: 'alarm-email',
        removalPolicy: config.removalPolicy,
      });
      this.alarmTopic.addSubscription(
        new EmailSubscription(config.alarmEmail, { deadLetterQueue: undelivered }),
      );
      this.monitoring.watchDeadLetterQueue(undelivered, 'alarm-email-dlq', Duration.days(7));
      addQueueOutputs(
        this,
        'alarm-email-dlq',
        undelivered,
        'DLQ (subscription) of the alarm e-mail subscription',
      );
    }

    addOutput(
      this,
      'AlarmTopicArn',
      this.alarmTopic.topicArn,
      'Every alarm notifies this topic (ALARM and OK)',
    );
    addOutput(
      this,
      'DashboardName',
      this.monitoring.dashboard.dashboardName,
      'CloudWatch dashboard of the stage',
    );
  }
}
