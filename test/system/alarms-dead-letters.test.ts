import { GetQueueUrlCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToOperations, type Operations } from './support/alarms';
import { connectToSystem, drainQueue, type System } from './support/system';

const local = !process.env.BREAKWATER_TARGET || process.env.BREAKWATER_TARGET === 'local';

/**
 * The DLQ alarms of every queue, seen firing and clearing on the local cloud (CloudWatch's clock at 60× the wall
 * clock): a dead letter pages at once (`*-dlq-depth`, with an OK when it clears); a dead letter left a week is a notice
 * (`*-dlq-age`, the clock jumped 8 days); draining the DLQs brings every one back to OK.
 */
describe.runIf(local)('dead-letter alarms', () => {
  let system: System;
  let operations: Operations;
  beforeAll(() => {
    system = connectToSystem();
    operations = connectToOperations(system);
  });
  afterAll(() => {
    operations.close();
    system.close();
  });

  it('a dead letter pages (depth), an old one is a notice (age), and draining brings them back to OK', async () => {
    const page = system.output('PageTopicArn');
    const notice = system.output('NoticeTopicArn');
    const alarms = await operations.alarms();
    const depthAlarms = [...alarms.keys()].filter((name) => name.endsWith('-dlq-depth'));
    const ageAlarms = [...alarms.keys()].filter((name) => name.endsWith('-dlq-age'));
    // Every DLQ of the app has both (the consumers' two each, the publisher's, the sweeper's, the subscriptions').
    expect(depthAlarms.length).toBeGreaterThanOrEqual(9);
    expect(ageAlarms.map((name) => name.replace(/-age$/, '-depth')).sort()).toEqual([...depthAlarms].sort());
    const queueOf = async (short: string) => {
      const queueName = alarms.get(short)?.Dimensions?.find((d) => d.Name === 'QueueName')?.Value;
      const { QueueUrl } = await system.sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
      return QueueUrl as string;
    };
    const dlqs = new Map(
      await Promise.all(depthAlarms.map(async (name) => [name, await queueOf(name)] as const)),
    );
    for (const url of dlqs.values()) await drainQueue(system, url);
    for (const name of depthAlarms) await operations.waitForState(name, 'OK');
    const since = new Date().toISOString();

    // The real path for one consumer: a malformed message can never succeed, so notifications dead-letters it at once.
    await system.sqs.send(
      new SendMessageCommand({
        QueueUrl: system.output('NotificationsQueueUrl'),
        MessageBody: `not an event ${since}`,
      }),
    );
    // The others get a dead letter put straight in.
    await Promise.all(
      [...dlqs]
        .filter(([name]) => name !== 'notifications-dlq-depth')
        .map(([name, url]) =>
          system.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `dead letter of ${name}` })),
        ),
    );
    for (const name of depthAlarms) {
      const alarm = await operations.waitForState(name, 'ALARM');
      // The consumers', the publisher's and the subscriptions' DLQs page; the sweeper's holds failed runs: a notice.
      expect(alarm.AlarmActions).toEqual([name.startsWith('outbox-sweeper') ? notice : page]);
      const message = await operations.waitForNotification(
        alarm.AlarmActions?.[0] ?? '',
        name,
        'ALARM',
        since,
      );
      expect(message.OldStateValue).toBe('OK');
      expect(message.NewStateReason).toMatch(/greater than or equal to the threshold \(1\)/);
    }

    // A week later (CloudWatch's clock jumps 8 days) the dead letters are a notice: they expire at 14 days.
    await operations.advanceClock(8 * 24 * 3600);
    for (const name of ageAlarms) {
      const alarm = await operations.waitForState(name, 'ALARM');
      expect(alarm.AlarmActions).toEqual([notice]);
      await operations.waitForNotification(notice, name, 'ALARM', since);
    }

    // Handled: the DLQs are drained, every alarm clears; the pages say so on the page topic, the notices do not.
    const drained = new Date().toISOString();
    for (const url of dlqs.values()) await drainQueue(system, url);
    for (const name of depthAlarms) {
      const alarm = await operations.waitForState(name, 'OK');
      for (const topic of alarm.OKActions ?? [])
        await operations.waitForNotification(topic, name, 'OK', drained);
      if (alarm.AlarmActions?.[0] === page) expect(alarm.OKActions).toEqual([page]);
    }
    for (const name of ageAlarms) expect((await operations.waitForState(name, 'OK')).OKActions).toEqual([]);
  }, 180_000);
});
