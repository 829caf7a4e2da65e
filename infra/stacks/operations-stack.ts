import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { AlarmTopics, Severities } from '../constructs/monitoring/alarm-topics';
import { OperationsMonitoring } from '../constructs/monitoring/operations-monitoring';
import { addOutput, addQueueOutputs } from './outputs';

/** Properties of the {@link OperationsStack}. */
export interface OperationsStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * Alarms, their two topics and the dashboard. The stack is created first (so the services can be handed its
 * monitoring facade) but deploys last: it only imports from the service stacks, never the reverse.
 *
 * Two topics: `page` (a human must act now) and `notice` (look today); every destination of the stage subscribes
 * to both, and the stage cannot be synthesized without one unless `-c alarms=none` says so (`alarmDestinationsFrom`).
 */
export class OperationsStack extends Stack {
  public readonly alarmTopics: AlarmTopics;
  public readonly monitoring: OperationsMonitoring;

  public constructor(scope: Construct, id: string, props: OperationsStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.alarmTopics = new AlarmTopics(this, 'Alarms', { config });
    this.monitoring = new OperationsMonitoring(this, 'Monitoring', { config, topics: this.alarmTopics });

    const undelivered = this.alarmTopics.undelivered;
    if (undelivered !== undefined) {
      // A page that could not be delivered must reach someone: the other destination, if any, gets this page.
      this.monitoring.watchDeadLetterQueue(
        undelivered,
        'alarm-subscriptions-dlq',
        Duration.days(7),
        Severities.page,
      );
      addQueueOutputs(
        this,
        'alarm-subscriptions-dlq',
        undelivered,
        'DLQ (subscription) of the alarm subscriptions: notifications SNS could not deliver',
      );
    }

    addOutput(this, 'PageTopicArn', this.alarmTopics.page.topicArn, 'Alarms that need a human now notify it');
    addOutput(
      this,
      'NoticeTopicArn',
      this.alarmTopics.notice.topicArn,
      'Alarms worth a look today notify it',
    );
    addOutput(
      this,
      'DashboardName',
      this.monitoring.dashboard.dashboardName,
      'CloudWatch dashboard of the stage',
    );
  }
}
