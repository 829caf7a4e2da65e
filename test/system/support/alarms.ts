import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { expect } from 'vitest';
import type { InboxEntry } from '../../../packages/local-cloud/src/sns';
import { eventually, type System } from './system';

/**
 * What the alarm tests need: the alarms as CloudWatch describes them (through the edge, with the SDK), the local SNS
 * inbox, and the local CloudWatch clock (60 times the wall clock in this suite, see global-setup.ts).
 */
export interface Operations {
  readonly cloudWatch: CloudWatchClient;
  /** Every alarm of the app, by the part of its name after the stage prefix (`billing-dlq-depth`). */
  alarms(): Promise<Map<string, MetricAlarm>>;
  /** The full name of an alarm, from its short name. */
  alarmName(short: string): Promise<string>;
  /** Waits until the alarm is in `state`; returns it. */
  waitForState(short: string, state: 'OK' | 'ALARM', timeoutMs?: number): Promise<MetricAlarm>;
  /** The inbox, oldest first (`topicArn` to read one topic's publishes only). */
  inbox(topicArn?: string): Promise<InboxEntry[]>;
  /** Waits until a topic's inbox holds the state change of an alarm, published at or after `since` (ISO time). */
  waitForNotification(
    topicArn: string,
    short: string,
    state: 'OK' | 'ALARM',
    since: string,
  ): Promise<AlarmMessage>;
  /** Jumps CloudWatch's clock forward. */
  advanceClock(seconds: number): Promise<void>;
  /** Jumps the schedules' clock forward: a rate schedule due within `seconds` runs now. */
  advanceSchedules(seconds: number): Promise<void>;
  close(): void;
}

/** The JSON body CloudWatch publishes on a state change. */
export interface AlarmMessage {
  readonly AlarmName: string;
  readonly NewStateValue: string;
  readonly OldStateValue: string;
  readonly NewStateReason: string;
  readonly AlarmArn: string;
}

/** `breakwater-dev-billing-dlq-depth` → `billing-dlq-depth` (the stage prefix is the first two words). */
const shortName = (name: string): string => name.split('-').slice(2).join('-');

export const connectToOperations = (system: System): Operations => {
  const { description } = system;
  const { inboxUrl, cloudWatchClockUrl, scheduleClockUrl } = description;
  if (inboxUrl === undefined || cloudWatchClockUrl === undefined || scheduleClockUrl === undefined)
    throw new Error('the alarm tests need the local cloud (its SNS inbox, CloudWatch and schedule clocks)');
  const advance = async (clockUrl: string, seconds: number) => {
    const answer = await fetch(clockUrl, {
      method: 'POST',
      body: JSON.stringify({ advanceSeconds: seconds }),
    });
    if (!answer.ok) throw new Error(`advancing ${clockUrl} answered ${answer.status}`);
  };
  const cloudWatch = new CloudWatchClient({
    region: description.region,
    ...(description.awsEndpointUrl === undefined
      ? {}
      : {
          endpoint: description.awsEndpointUrl,
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        }),
  });
  const alarms = async () => {
    const found = new Map<string, MetricAlarm>();
    let NextToken: string | undefined;
    do {
      const page = await cloudWatch.send(new DescribeAlarmsCommand({ MaxRecords: 100, NextToken }));
      for (const alarm of page.MetricAlarms ?? []) found.set(shortName(alarm.AlarmName ?? ''), alarm);
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
    return found;
  };
  const inbox = async (topicArn?: string) => {
    const url = topicArn === undefined ? inboxUrl : `${inboxUrl}?topicArn=${encodeURIComponent(topicArn)}`;
    const { notifications } = (await (await fetch(url)).json()) as { notifications: InboxEntry[] };
    return topicArn === undefined
      ? notifications
      : notifications.filter((entry) => entry.subscriptionArn === undefined);
  };
  return {
    cloudWatch,
    alarms,
    alarmName: async (short) => {
      const alarm = (await alarms()).get(short);
      if (alarm?.AlarmName === undefined)
        throw new Error(`no alarm ${short}; have ${[...(await alarms()).keys()].join(', ')}`);
      return alarm.AlarmName;
    },
    waitForState: (short, state, timeoutMs = 60_000) =>
      eventually(
        `alarm ${short} in ${state}`,
        async () => {
          const alarm = (await alarms()).get(short);
          return alarm?.StateValue === state ? alarm : undefined;
        },
        { timeoutMs, intervalMs: 250 },
      ),
    inbox,
    waitForNotification: (topicArn, short, state, since) =>
      eventually(
        `the ${state} notification of ${short} in the topic's inbox`,
        async () => {
          for (const entry of await inbox(topicArn)) {
            if (entry.timestamp < since) continue;
            const message = JSON.parse(entry.message) as AlarmMessage;
            if (shortName(message.AlarmName) === short && message.NewStateValue === state) {
              expect(entry.subject).toBe(`${state}: "${message.AlarmName}" in US East (N. Virginia)`);
              return message;
            }
          }
          return undefined;
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      ),
    advanceClock: (seconds) => advance(cloudWatchClockUrl, seconds),
    advanceSchedules: (seconds) => advance(scheduleClockUrl, seconds),
    close: () => cloudWatch.destroy(),
  };
};

/** The topics an alarm notifies on ALARM and on OK. */
export const topicsOf = (alarm: MetricAlarm): { alarm: readonly string[]; ok: readonly string[] } => ({
  alarm: alarm.AlarmActions ?? [],
  ok: alarm.OKActions ?? [],
});
