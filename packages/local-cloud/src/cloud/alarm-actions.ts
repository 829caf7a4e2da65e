import { type AlarmStateChange, alarmNotification, type LocalCloudWatch } from '../cloudwatch/index.js';
import type { LocalSns } from '../sns/index.js';

/**
 * Wires CloudWatch alarm actions to the local SNS: on each state change of an alarm with actions enabled, every SNS
 * topic among the actions of the new state gets CloudWatch's notification, and the alarm's history records the
 * action as CloudWatch does ("Successfully executed action ..."). Actions on other services (Auto Scaling, EC2,
 * Systems Manager) are recorded as failed: they are not emulated. Returns the unsubscribe function.
 */
export const connectAlarmActions = (
  cloudWatch: LocalCloudWatch,
  sns: LocalSns,
  log: (line: string) => void = () => {},
): (() => void) =>
  cloudWatch.onAlarmStateChange((change: AlarmStateChange) => {
    const { alarm, newState } = change;
    if (!alarm.ActionsEnabled) return;
    const actions =
      newState === 'ALARM'
        ? alarm.AlarmActions
        : newState === 'OK'
          ? alarm.OKActions
          : alarm.InsufficientDataActions;
    const { subject, message } = alarmNotification(change, cloudWatch.region, cloudWatch.accountId);
    for (const arn of actions) {
      if (!arn.startsWith('arn:aws:sns:')) {
        cloudWatch.alarms.recordAction(alarm.AlarmName, `Failed to execute action ${arn}`, {
          actionState: 'Failed',
          notificationResource: arn,
          error: 'only SNS alarm actions are emulated locally',
        });
        continue;
      }
      sns.publish(arn, message, subject).then(
        (messageId) =>
          cloudWatch.alarms.recordAction(alarm.AlarmName, `Successfully executed action ${arn}`, {
            actionState: 'Succeeded',
            notificationResource: arn,
            stateUpdateTimestamp: change.at,
            publishedMessage: JSON.stringify({ messageId }),
          }),
        (error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          log(`alarm ${alarm.AlarmName}: action ${arn} failed: ${reason}`);
          cloudWatch.alarms.recordAction(alarm.AlarmName, `Failed to execute action ${arn}`, {
            actionState: 'Failed',
            notificationResource: arn,
            error: reason,
          });
        },
      );
    }
  });
