import { describe, expect, it } from 'vitest';
import { ManualScheduler } from '../../../../packages/local-cloud/src/eventbridge';
import { parseSchedule } from '../../../../packages/local-cloud/src/eventbridge/schedule';
import { ARN_PREFIX, call, expectAwsError, newService, QUEUE_ARN, ruleWithTarget } from './support';

/**
 * Schedule expressions ("Schedule expressions for rules",
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html) and scheduled rules
 * firing on a manual clock: hours of schedule in milliseconds of test.
 */
const MINUTE = 60_000;
const T0 = Date.parse('2026-03-02T10:00:00Z'); // a Monday
const next = (expression: string, after: number, anchor = T0) =>
  new Date(parseSchedule(expression, anchor)?.nextFireTime(after) ?? 0).toISOString();

describe('schedule expressions', () => {
  it.each([
    'rate(1 minute)',
    'rate(5 minutes)',
    'rate(1 hour)',
    'rate(12 hours)',
    'rate(1 day)',
    'rate(7 days)',
    'cron(0 12 * * ? *)',
    'cron(5,35 14 * * ? *)',
    'cron(15 10 ? * 6L 2002-2005)',
    'cron(0 2 ? * SAT#3 *)',
    'cron(0/5 5 ? JAN 1-5 2022)',
    'cron(0/15 * * * ? *)',
    'cron(0 18 ? * MON-FRI *)',
    'cron(0 8 1 * ? *)',
    'cron(0 9 L * ? *)',
    'cron(0 9 15W * ? *)',
  ])('accepts %s', (expression) => {
    expect(parseSchedule(expression, T0)).toBeDefined();
  });

  it.each([
    'rate(10 seconds)',
    'rate(10 years)',
    'rate(1 minutes)',
    'rate(10 minute)',
    'rate()',
    'rate(10)',
    'rate(0 minutes)',
    'rate(-10 minutes)',
    'rate(10 MINUTES)',
    'rate( 10 minutes )',
    ' rate(10 minutes)',
    'cron(0 1 * * * *)',
    'cron(0 1 ? * ? *)',
    'cron(7 20 * * NOT *)',
    'cron(INVALID)',
    'cron(0 dummy ? * MON-FRI *)',
    'cron(71 8 1 * ? *)',
    'cron(0 12 * * ?)',
    'cron(0 12 32 * ? *)',
    'cron(0 12 * * ? 1969)',
  ])('refuses %j', (expression) => {
    expect(parseSchedule(expression, T0)).toBeUndefined();
  });

  it('computes the next runs of rates (from creation) and of cron expressions (UTC)', () => {
    expect(next('rate(5 minutes)', T0)).toBe('2026-03-02T10:05:00.000Z');
    expect(next('rate(5 minutes)', T0 + 7 * MINUTE)).toBe('2026-03-02T10:10:00.000Z');
    expect(next('cron(0 12 * * ? *)', T0)).toBe('2026-03-02T12:00:00.000Z');
    expect(next('cron(0 12 * * ? *)', Date.parse('2026-03-02T12:00:00Z'))).toBe('2026-03-03T12:00:00.000Z');
    expect(next('cron(0 18 ? * MON-FRI *)', Date.parse('2026-03-06T19:00:00Z'))).toBe(
      '2026-03-09T18:00:00.000Z',
    );
    expect(next('cron(0 2 ? * SAT#3 *)', T0)).toBe('2026-03-21T02:00:00.000Z');
    expect(next('cron(0 9 L * ? *)', T0)).toBe('2026-03-31T09:00:00.000Z');
    expect(next('cron(0 9 ? * 6L *)', T0)).toBe('2026-03-27T09:00:00.000Z');
    expect(next('cron(0 9 1W * ? *)', Date.parse('2026-08-01T10:00:00Z'))).toBe('2026-08-03T09:00:00.000Z');
    expect(next('cron(0 9 15W * ? *)', Date.parse('2026-08-01T10:00:00Z'))).toBe('2026-08-14T09:00:00.000Z');
    expect(parseSchedule('cron(0 0 1 1 ? 2020)', T0)?.nextFireTime(T0)).toBeUndefined();
  });
});

describe('scheduled rules on a sped-up clock', () => {
  it('sends AWS scheduled events to the rule targets while the rule is enabled', async () => {
    const scheduler = new ManualScheduler(T0);
    const { service, delivery } = newService({ scheduler });
    await call(service, 'PutRule', { Name: 'sweep', ScheduleExpression: 'rate(5 minutes)' });
    await call(service, 'PutTargets', { Rule: 'sweep', Targets: [{ Id: 'q', Arn: QUEUE_ARN }] });
    scheduler.advance(60 * MINUTE);
    await service.whenIdle();
    const events = delivery.bodiesTo(QUEUE_ARN) as Record<string, unknown>[];
    expect(events).toHaveLength(12);
    expect(events[0]).toEqual({
      version: '0',
      id: expect.any(String),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: '2026-03-02T10:05:00Z',
      region: 'us-east-1',
      resources: [`${ARN_PREFIX}:rule/sweep`],
      detail: {},
    });
    expect(events.at(-1)?.time).toBe('2026-03-02T11:00:00Z');
    await call(service, 'DisableRule', { Name: 'sweep' });
    scheduler.advance(60 * MINUTE);
    await call(service, 'EnableRule', { Name: 'sweep' });
    scheduler.advance(10 * MINUTE);
    await service.whenIdle();
    expect(delivery.bodiesTo(QUEUE_ARN)).toHaveLength(14);
    await call(service, 'RemoveTargets', { Rule: 'sweep', Ids: ['q'] });
    await call(service, 'DeleteRule', { Name: 'sweep' });
    expect(scheduler.pending).toBe(0);
    expect(service.metrics().scheduledEvents).toBe(14);
  });

  it('fires a cron rule at its times, with targets and input like any rule', async () => {
    const scheduler = new ManualScheduler(T0);
    const { service, delivery } = newService({ scheduler });
    await call(service, 'PutRule', { Name: 'noon', ScheduleExpression: 'cron(0 12 ? * MON-FRI *)' });
    await call(service, 'PutTargets', {
      Rule: 'noon',
      Targets: [{ Id: 'q', Arn: QUEUE_ARN, Input: '{"task":"report"}' }],
    });
    scheduler.advance(7 * 24 * 60 * MINUTE);
    await service.whenIdle();
    expect(delivery.bodiesTo(QUEUE_ARN)).toEqual(Array.from({ length: 5 }, () => ({ task: 'report' })));
    service.close();
    expect(scheduler.pending).toBe(0);
  });

  it('does not put scheduled events on the bus: pattern rules and archives never see them', async () => {
    const scheduler = new ManualScheduler(T0);
    const { service, delivery } = newService({ scheduler });
    await ruleWithTarget(service, 'everything', { source: ['aws.events'] });
    await call(service, 'CreateArchive', {
      ArchiveName: 'all',
      EventSourceArn: `${ARN_PREFIX}:event-bus/default`,
    });
    await call(service, 'PutRule', { Name: 'tick', ScheduleExpression: 'rate(1 minute)' });
    scheduler.advance(3 * MINUTE);
    await service.whenIdle();
    expect(delivery.delivered).toEqual([]);
    expect(await call(service, 'DescribeArchive', { ArchiveName: 'all' })).toMatchObject({ EventCount: 0 });
    await expectAwsError(service, 'DescribeRule', { Name: 'ghost' }, 'ResourceNotFoundException');
    service.close();
  });
});
