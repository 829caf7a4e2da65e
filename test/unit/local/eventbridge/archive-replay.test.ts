import { describe, expect, it } from 'vitest';
import {
  ARN_PREFIX,
  call,
  entry,
  expectAwsError,
  FUNCTION_ARN,
  newService,
  QUEUE_ARN,
  ruleWithTarget,
} from './support';

const BUS_ARN = `${ARN_PREFIX}:event-bus/default`;
const T0 = Date.parse('2026-03-01T10:00:00Z') / 1000;
const at = (seconds: number, detail: Record<string, unknown> = { n: seconds }) =>
  entry(detail, { Time: T0 + seconds });

describe('EventBridge emulator: archives', () => {
  it('keeps the events of its bus that match its pattern', async () => {
    const { service } = newService();
    await call(service, 'CreateEventBus', { Name: 'other' });
    const created = await call(service, 'CreateArchive', {
      ArchiveName: 'orders',
      EventSourceArn: BUS_ARN,
      EventPattern: JSON.stringify({ 'detail-type': ['order.created'] }),
      Description: 'all created orders',
      RetentionDays: 7,
    });
    expect(created).toEqual({
      ArchiveArn: `${ARN_PREFIX}:archive/orders`,
      State: 'ENABLED',
      CreationTime: expect.any(Number),
    });
    await call(service, 'PutEvents', {
      Entries: [
        entry(),
        entry({}, { DetailType: 'order.cancelled' }),
        entry({}, { EventBusName: 'other' }),
        entry(),
      ],
    });
    const archive = await call(service, 'DescribeArchive', { ArchiveName: 'orders' });
    expect(archive).toMatchObject({
      ArchiveName: 'orders',
      EventSourceArn: BUS_ARN,
      Description: 'all created orders',
      EventPattern: '{"detail-type":["order.created"]}',
      State: 'ENABLED',
      RetentionDays: 7,
      EventCount: 2,
    });
    expect(archive.SizeBytes).toBeGreaterThan(0);
    expect(service.metrics().archivedEvents).toBe(2);
  });

  it('lists, filters and deletes archives', async () => {
    const { service } = newService();
    await call(service, 'CreateArchive', { ArchiveName: 'a1', EventSourceArn: BUS_ARN });
    await call(service, 'CreateArchive', { ArchiveName: 'b1', EventSourceArn: BUS_ARN });
    const listed = await call(service, 'ListArchives', { NamePrefix: 'a' });
    expect(listed.Archives).toEqual([
      expect.objectContaining({ ArchiveName: 'a1', EventCount: 0, State: 'ENABLED' }),
    ]);
    expect((await call(service, 'ListArchives', { EventSourceArn: BUS_ARN })).Archives).toHaveLength(2);
    await expectAwsError(
      service,
      'ListArchives',
      { EventSourceArn: `${ARN_PREFIX}:event-bus/ghost` },
      'ResourceNotFoundException',
      /^Event bus ghost does not exist\.$/,
    );
    await expectAwsError(
      service,
      'ListArchives',
      { NamePrefix: 'a', State: 'ENABLED' },
      'ValidationException',
      /^At most one filter is allowed for ListArchives/,
    );
    await expectAwsError(service, 'ListArchives', { State: 'ON' }, 'ValidationException', /enum value set/);
    await call(service, 'DeleteArchive', { ArchiveName: 'a1' });
    await expectAwsError(
      service,
      'DescribeArchive',
      { ArchiveName: 'a1' },
      'ResourceNotFoundException',
      /Archive a1 does not exist/,
    );
    await expectAwsError(service, 'DeleteArchive', { ArchiveName: 'a1' }, 'ResourceNotFoundException');
  });

  it('drops and counts the oldest events beyond the per-archive cap', async () => {
    const { service } = newService({ maxArchivedEventsPerArchive: 2 });
    await call(service, 'CreateArchive', { ArchiveName: 'small', EventSourceArn: BUS_ARN });
    await call(service, 'PutEvents', { Entries: [at(1), at(2), at(3)] });
    expect(await call(service, 'DescribeArchive', { ArchiveName: 'small' })).toMatchObject({ EventCount: 2 });
    expect(service.metrics().archiveDroppedEvents).toBe(1);
  });

  it('validates CreateArchive', async () => {
    const { service } = newService();
    await call(service, 'CreateArchive', { ArchiveName: 'a', EventSourceArn: BUS_ARN });
    await expectAwsError(
      service,
      'CreateArchive',
      { ArchiveName: 'a', EventSourceArn: BUS_ARN },
      'ResourceAlreadyExistsException',
    );
    await expectAwsError(
      service,
      'CreateArchive',
      { EventSourceArn: BUS_ARN },
      'ValidationException',
      /'archiveName'/,
    );
    await expectAwsError(
      service,
      'CreateArchive',
      { ArchiveName: 'b' },
      'ValidationException',
      /'eventSourceArn'/,
    );
    await expectAwsError(
      service,
      'CreateArchive',
      { ArchiveName: 'b', EventSourceArn: `${ARN_PREFIX}:event-bus/ghost` },
      'ResourceNotFoundException',
    );
    await expectAwsError(
      service,
      'CreateArchive',
      { ArchiveName: 'b', EventSourceArn: BUS_ARN, EventPattern: '{"x":1}' },
      'InvalidEventPatternException',
    );
    await expectAwsError(
      service,
      'CreateArchive',
      { ArchiveName: 'b', EventSourceArn: BUS_ARN, RetentionDays: -1 },
      'ValidationException',
    );
  });
});

describe('EventBridge emulator: replays', () => {
  const setUp = async () => {
    const context = newService();
    const { service } = context;
    const billingArn = await ruleWithTarget(service, 'billing', { source: ['breakwater.orders'] });
    await ruleWithTarget(service, 'audit', { source: ['breakwater.orders'] }, { Id: 'a', Arn: FUNCTION_ARN });
    const { ArchiveArn } = await call(service, 'CreateArchive', {
      ArchiveName: 'orders',
      EventSourceArn: BUS_ARN,
    });
    const put = await call(service, 'PutEvents', { Entries: [at(0), at(60), at(120)] });
    await service.whenIdle();
    context.delivery.delivered.length = 0;
    const ids = (put.Entries as { EventId: string }[]).map((result) => result.EventId);
    return { ...context, billingArn, archiveArn: ArchiveArn as string, ids };
  };

  it('re-puts the archived events of a time range onto the bus with replay-name set', async () => {
    const { service, delivery, archiveArn, ids } = await setUp();
    const started = await call(service, 'StartReplay', {
      ReplayName: 'fix-billing',
      EventSourceArn: archiveArn,
      EventStartTime: T0,
      EventEndTime: T0 + 60,
      Destination: { Arn: BUS_ARN },
    });
    expect(started).toEqual({
      ReplayArn: `${ARN_PREFIX}:replay/fix-billing`,
      State: 'STARTING',
      ReplayStartTime: expect.any(Number),
    });
    await service.whenIdle();
    const replayed = delivery.bodiesTo(QUEUE_ARN) as Record<string, unknown>[];
    expect(replayed.map((event) => event.id)).toEqual([ids[0], ids[1]]);
    expect(replayed.every((event) => event['replay-name'] === 'fix-billing')).toBe(true);
    expect(delivery.to(FUNCTION_ARN)).toHaveLength(2);
    expect(await call(service, 'DescribeReplay', { ReplayName: 'fix-billing' })).toMatchObject({
      ReplayArn: `${ARN_PREFIX}:replay/fix-billing`,
      State: 'COMPLETED',
      EventSourceArn: archiveArn,
      Destination: { Arn: BUS_ARN },
      EventStartTime: T0,
      EventEndTime: T0 + 60,
      EventLastReplayedTime: T0 + 60,
      ReplayEndTime: expect.any(Number),
    });
    expect(await call(service, 'DescribeArchive', { ArchiveName: 'orders' })).toMatchObject({
      EventCount: 3,
    });
    expect(service.metrics().replayedEvents).toBe(2);
    expect((await call(service, 'ListReplays', { State: 'COMPLETED' })).Replays).toEqual([
      expect.objectContaining({ ReplayName: 'fix-billing' }),
    ]);
  });

  it('replays only to the rules in FilterArns', async () => {
    const { service, delivery, archiveArn, billingArn } = await setUp();
    await call(service, 'StartReplay', {
      ReplayName: 'billing-only',
      EventSourceArn: archiveArn,
      EventStartTime: T0 - 1,
      EventEndTime: T0 + 600,
      Destination: { Arn: BUS_ARN, FilterArns: [billingArn] },
    });
    await service.whenIdle();
    expect(delivery.to(QUEUE_ARN)).toHaveLength(3);
    expect(delivery.to(FUNCTION_ARN)).toHaveLength(0);
  });

  it('validates StartReplay and DescribeReplay', async () => {
    const { service, archiveArn } = await setUp();
    await call(service, 'CreateEventBus', { Name: 'other' });
    const replay = {
      ReplayName: 'r',
      EventSourceArn: archiveArn,
      EventStartTime: T0,
      EventEndTime: T0 + 60,
      Destination: { Arn: BUS_ARN },
    };
    const fails = (input: Record<string, unknown>, type: string, message?: RegExp) =>
      expectAwsError(service, 'StartReplay', { ...replay, ...input }, type, message);
    await fails(
      { Destination: { Arn: `${ARN_PREFIX}:event-bus/other` } },
      'ValidationException',
      /Cross event bus replay/,
    );
    await fails(
      { EventEndTime: T0 },
      'ValidationException',
      /^Parameter EventEndTime is not valid\. Reason: EventStartTime must be before EventEndTime\.$/,
    );
    await fails({ EventSourceArn: BUS_ARN }, 'ValidationException', /not an archive ARN/);
    await fails(
      { EventSourceArn: `${ARN_PREFIX}:archive/ghost` },
      'ValidationException',
      /^Parameter EventSourceArn is not valid\. Reason: Archive ghost does not exist\.$/,
    );
    await fails(
      { Destination: { Arn: `${ARN_PREFIX}:event-bus/ghost` } },
      'ResourceNotFoundException',
      /^Event bus ghost does not exist\.$/,
    );
    await fails(
      { Destination: { Arn: BUS_ARN, FilterArns: [`${ARN_PREFIX}:rule/ghost`] } },
      'ValidationException',
      /FilterArns/,
    );
    await fails({ Destination: undefined }, 'ValidationException', /'destination'/);
    await fails({ EventStartTime: 'not a time' }, 'SerializationException');
    await call(service, 'StartReplay', replay);
    await fails({}, 'ResourceAlreadyExistsException', /Replay r already exists/);
    await expectAwsError(service, 'DescribeReplay', { ReplayName: 'ghost' }, 'ResourceNotFoundException');
    await service.whenIdle();
  });
});

describe('EventBridge emulator: UpdateArchive and CancelReplay', () => {
  it('updates an archive, refusing a call that changes nothing or names no archive', async () => {
    const { service } = newService();
    await call(service, 'CreateArchive', { ArchiveName: 'a', EventSourceArn: BUS_ARN, RetentionDays: 1 });
    await expectAwsError(
      service,
      'UpdateArchive',
      { ArchiveName: 'ghost' },
      'ValidationException',
      /^At least one of EventPattern, RetentionDays or Description must be provided\.$/,
    );
    await expectAwsError(
      service,
      'UpdateArchive',
      { ArchiveName: 'ghost', RetentionDays: 2 },
      'ResourceNotFoundException',
      /^Archive ghost does not exist\.$/,
    );
    await expectAwsError(
      service,
      'UpdateArchive',
      { ArchiveName: 'a', EventPattern: '{"source":"x"}' },
      'InvalidEventPatternException',
    );
    const updated = await call(service, 'UpdateArchive', {
      ArchiveName: 'a',
      Description: 'kept a week',
      RetentionDays: 7,
      EventPattern: '{"source":["breakwater.orders"]}',
    });
    expect(updated).toEqual({
      ArchiveArn: `${ARN_PREFIX}:archive/a`,
      State: 'ENABLED',
      CreationTime: expect.any(Number),
    });
    await call(service, 'PutEvents', { Entries: [entry(), entry({}, { Source: 'other' })] });
    expect(await call(service, 'DescribeArchive', { ArchiveName: 'a' })).toMatchObject({
      Description: 'kept a week',
      RetentionDays: 7,
      EventCount: 1,
    });
  });

  it('cancels a replay while it starts, and refuses to cancel a finished one', async () => {
    const { service, delivery } = newService({ replayStartDelayMs: 50 });
    await ruleWithTarget(service, 'billing', { source: ['breakwater.orders'] });
    const { ArchiveArn } = await call(service, 'CreateArchive', {
      ArchiveName: 'a',
      EventSourceArn: BUS_ARN,
    });
    await call(service, 'PutEvents', { Entries: [at(1)] });
    await service.whenIdle();
    const replay = (name: string) => ({
      ReplayName: name,
      EventSourceArn: ArchiveArn,
      EventStartTime: T0,
      EventEndTime: T0 + 60,
      Destination: { Arn: BUS_ARN },
    });
    await call(service, 'StartReplay', replay('cancelled'));
    expect(await call(service, 'CancelReplay', { ReplayName: 'cancelled' })).toEqual({
      ReplayArn: `${ARN_PREFIX}:replay/cancelled`,
      State: 'CANCELLING',
    });
    expect(await call(service, 'DescribeReplay', { ReplayName: 'cancelled' })).toMatchObject({
      State: 'CANCELLING',
    });
    await call(service, 'StartReplay', replay('done'));
    await service.whenIdle();
    expect(await call(service, 'DescribeReplay', { ReplayName: 'cancelled' })).toMatchObject({
      State: 'CANCELLED',
    });
    expect(delivery.to(QUEUE_ARN)).toHaveLength(2);
    const [, replayed] = delivery.bodiesTo(QUEUE_ARN) as Record<string, unknown>[];
    expect(Object.keys(replayed ?? {})).toEqual([
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'replay-name',
      'resources',
      'detail',
    ]);
    await expectAwsError(
      service,
      'CancelReplay',
      { ReplayName: 'done' },
      'IllegalStatusException',
      /^Replay done is not in a valid state for this operation\.$/,
    );
    await expectAwsError(service, 'CancelReplay', { ReplayName: 'ghost' }, 'ResourceNotFoundException');
  });

  it('runs at most 10 replays at once', async () => {
    const { service } = newService({ replayStartDelayMs: 60_000 });
    const { ArchiveArn } = await call(service, 'CreateArchive', {
      ArchiveName: 'a',
      EventSourceArn: BUS_ARN,
    });
    const replay = (name: string) => ({
      ReplayName: name,
      EventSourceArn: ArchiveArn,
      EventStartTime: T0,
      EventEndTime: T0 + 60,
      Destination: { Arn: BUS_ARN },
    });
    for (let index = 0; index < 10; index += 1) await call(service, 'StartReplay', replay(`r${index}`));
    await expectAwsError(
      service,
      'StartReplay',
      replay('r10'),
      'LimitExceededException',
      /^The requested resource exceeds the maximum number allowed\.$/,
    );
    service.close();
    await service.whenIdle();
    expect(await call(service, 'DescribeReplay', { ReplayName: 'r0' })).toMatchObject({ State: 'CANCELLED' });
  });
});
