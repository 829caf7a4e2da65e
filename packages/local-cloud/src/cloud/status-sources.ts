import type { LocalCloudWatch } from '../cloudwatch/index.js';
import type { LocalClients, LocalDeployment } from '../deployer/index.js';
import type { LocalSns } from '../sns/index.js';
import { localStatusSources } from '../status/local-sources.js';
import type { FunctionLogBook } from '../status/log-book.js';
import type { StatusSources } from '../status/sources.js';

/** What the status page reads of a running local cloud. */
export interface CloudStatusInputs {
  readonly clients: LocalClients;
  readonly deployment: LocalDeployment;
  readonly cloudWatch: LocalCloudWatch;
  readonly sns: LocalSns;
  readonly functionLogs: FunctionLogBook;
}

/**
 * The status page's sources that every local cloud has: what it runs (through the edge), the alarms of its
 * CloudWatch, the SNS inbox and the function logs. An app adds its own (circuits, a fake dependency) over these.
 */
export const statusSourcesOf = ({
  clients,
  deployment,
  cloudWatch,
  sns,
  functionLogs,
}: CloudStatusInputs): StatusSources => ({
  ...localStatusSources({ sqs: clients.sqs!, eventBridge: clients.eventBridge!, lambda: deployment.lambda }),
  logs: async (limit) => functionLogs.recent(limit),
  alarms: async () =>
    cloudWatch.alarms.list().map((alarm) => ({
      name: alarm.AlarmName,
      state: alarm.StateValue,
      reason: alarm.StateReason,
      updatedAt: new Date(alarm.StateUpdatedTimestamp).toISOString(),
      topics: alarm.AlarmActions.map((arn) => arn.split(':').at(-1) ?? arn),
    })),
  // The topics' own inbox entries (one per publish), not each subscriber's copy.
  notifications: async () =>
    sns
      .notifications()
      .filter((entry) => entry.subscriptionArn === undefined)
      .map((entry) => ({
        topic: entry.topicArn.split(':').at(-1) ?? entry.topicArn,
        ...(entry.subject === undefined ? {} : { subject: entry.subject }),
        message: entry.message,
        at: entry.timestamp,
      })),
});
