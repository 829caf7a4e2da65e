import { setTimeout as sleep } from 'node:timers/promises';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultsClient } from '../../packages/local-cloud/src/faults/faults-client';
import { connectToOperations, type Operations } from './support/alarms';
import { placeOrders } from './support/payments';
import { connectToSystem, drainQueue, type System } from './support/system';

const local = !process.env.BREAKWATER_TARGET || process.env.BREAKWATER_TARGET === 'local';

/**
 * The outbox stranded, seen by its alarms on the local cloud (CloudWatch's clock at 60×, EventBridge's PutEvents failed
 * with the fault API): the stream publisher keeps failing and falls behind its stream (`outbox-publisher-iterator-age`,
 * a page); a sweeper run finds the items it left (`outbox-sweeper-stranded`, a notice); a run that cannot read the
 * outbox table fails (`outbox-sweeper-errors`, a notice). Once the faults end, a run publishes what was left; all clear.
 * The schedule that starts the sweeper is watched too: a run EventBridge cannot deliver (`outbox-sweeper-rule-failed-
 * invocations`, a notice), and one whose DLQ refuses it as well (`outbox-sweeper-rule-dlq-failures`, a notice).
 */
describe.runIf(local)('outbox alarms', () => {
  let system: System;
  let operations: Operations;
  let faults: FaultsClient;
  let lambda: LambdaClient;
  let faultId: string | undefined;
  const added: string[] = [];
  beforeAll(() => {
    system = connectToSystem();
    operations = connectToOperations(system);
    faults = new FaultsClient(`${system.description.awsEndpointUrl}/_breakwater/faults`);
    lambda = new LambdaClient({
      region: system.description.region,
      endpoint: system.description.awsEndpointUrl,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });
  afterAll(async () => {
    if (faultId !== undefined) await faults.remove(faultId).catch(() => undefined);
    for (const id of added.splice(0)) await faults.remove(id).catch(() => undefined);
    lambda.destroy();
    operations.close();
    system.close();
  });

  it('a failing publisher falls behind (page), a sweep finds the stranded outbox (notice), a sweep that cannot scan fails (notice); all clear', async () => {
    const page = system.output('PageTopicArn');
    const notice = system.output('NoticeTopicArn');
    for (const name of ['outbox-publisher-iterator-age', 'outbox-sweeper-errors', 'outbox-sweeper-stranded'])
      await operations.waitForState(name, 'OK');
    const sweeper = (await operations.alarms())
      .get('outbox-sweeper-errors')
      ?.Dimensions?.find((d) => d.Name === 'FunctionName')?.Value as string;
    const sweep = () =>
      lambda.send(
        new InvokeCommand({
          FunctionName: sweeper,
          Payload: JSON.stringify({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }),
        }),
      );
    const since = new Date().toISOString();
    faultId = (
      await faults.add({
        service: 'events',
        action: 'PutEvents',
        resource: system.output('EventBusName'),
        kind: 'error',
        code: 'InternalException',
        status: 500,
      })
    ).id;
    await placeOrders(system, 'stranded-outbox', 2);

    // The publisher retries its batch (ten times, bisected), each invocation older than the last.
    const lag = await operations.waitForState('outbox-publisher-iterator-age', 'ALARM');
    expect(lag.AlarmActions).toEqual([page]);
    await operations.waitForNotification(page, 'outbox-publisher-iterator-age', 'ALARM', since);

    // Past the sweeper's grace period (5 s in this suite), a run finds the items the publisher left: stranded (it
    // cannot publish them either while the bus refuses; they stay for the next run).
    await sleep(6_000);
    expect((await sweep()).FunctionError).toBeUndefined();
    const stranded = await operations.waitForState('outbox-sweeper-stranded', 'ALARM');
    expect(stranded.AlarmActions).toEqual([notice]);
    await operations.waitForNotification(notice, 'outbox-sweeper-stranded', 'ALARM', since);

    // A run that cannot read the outbox table fails as a whole.
    const scanFault = await faults.add({
      service: 'dynamodb',
      action: 'Scan',
      resource: system.output('OutboxTableName'),
      kind: 'error',
      code: 'InternalServerError',
      status: 500,
    });
    try {
      expect((await sweep()).FunctionError).toBe('Unhandled');
      const errors = await operations.waitForState('outbox-sweeper-errors', 'ALARM');
      expect(errors.AlarmActions).toEqual([notice]);
      await operations.waitForNotification(notice, 'outbox-sweeper-errors', 'ALARM', since);
    } finally {
      await faults.remove(scanFault.id);
    }

    // The bus takes events again: the next run publishes what was left.
    await faults.remove(faultId);
    faultId = undefined;
    expect((await sweep()).FunctionError).toBeUndefined();
    const recovered = new Date().toISOString();
    const publisherLag = await operations.waitForState('outbox-publisher-iterator-age', 'OK');
    for (const topic of publisherLag.OKActions ?? [])
      await operations.waitForNotification(topic, 'outbox-publisher-iterator-age', 'OK', recovered);
    await operations.waitForState('outbox-sweeper-errors', 'OK');
    await operations.waitForState('outbox-sweeper-stranded', 'OK');
    await drainQueue(system, system.output('OutboxPublisherFailureDlqUrl'));
  }, 180_000);

  it('a scheduled run EventBridge cannot deliver is a notice, one its DLQ refuses too is another; both clear', async () => {
    const notice = system.output('NoticeTopicArn');
    for (const name of ['outbox-sweeper-rule-failed-invocations', 'outbox-sweeper-rule-dlq-failures'])
      await operations.waitForState(name, 'OK');
    const alarms = await operations.alarms();
    const dimension = (alarm: string, name: string) =>
      alarms.get(alarm)?.Dimensions?.find((d) => d.Name === name)?.Value as string;
    const sweeper = dimension('outbox-sweeper-errors', 'FunctionName');
    const dlqName = dimension('outbox-sweeper-dlq-depth', 'QueueName');
    const { QueueUrl: dlqUrl } = await system.sqs.send(new GetQueueUrlCommand({ QueueName: dlqName }));
    // The schedule runs every 5 minutes: a jump of its clock by one period makes it run once, now.
    const runSchedule = () => operations.advanceSchedules(5 * 60);
    const since = new Date().toISOString();

    // Lambda throttles every invoke of the sweeper: EventBridge retries (3 times), then puts the event in the DLQ.
    added.push((await faults.add({ service: 'lambda', action: sweeper, kind: 'error' })).id);
    await runSchedule();
    const failed = await operations.waitForState('outbox-sweeper-rule-failed-invocations', 'ALARM');
    expect(failed.AlarmActions).toEqual([notice]);
    await operations.waitForNotification(notice, 'outbox-sweeper-rule-failed-invocations', 'ALARM', since);

    // The DLQ refuses the event as well: it is lost, and says so.
    added.push(
      (
        await faults.add({
          service: 'sqs',
          action: 'SendMessage',
          resource: dlqName,
          kind: 'error',
          code: 'QueueDoesNotExist',
          message: 'The specified queue does not exist.',
        })
      ).id,
    );
    await runSchedule();
    const lost = await operations.waitForState('outbox-sweeper-rule-dlq-failures', 'ALARM');
    expect(lost.AlarmActions).toEqual([notice]);
    await operations.waitForNotification(notice, 'outbox-sweeper-rule-dlq-failures', 'ALARM', since);

    // Faults over: the next run is delivered; the dead-lettered event is drained (its own depth alarm clears too).
    for (const id of added.splice(0)) await faults.remove(id);
    await runSchedule();
    await drainQueue(system, dlqUrl as string);
    await operations.waitForState('outbox-sweeper-rule-failed-invocations', 'OK');
    await operations.waitForState('outbox-sweeper-rule-dlq-failures', 'OK');
    await operations.waitForState('outbox-sweeper-dlq-depth', 'OK', 90_000);
  }, 180_000);
});
