import { describe, expect, it } from 'vitest';
import { EVENTBRIDGE_ACTIONS } from '../../../../packages/local-cloud/src/eventbridge';
import { ARN_PREFIX, call, expectAwsError, newService } from './support';

const pattern = JSON.stringify({ source: ['breakwater.orders'] });

describe('EventBridge emulator: protocol', () => {
  it('names itself as the edge expects', () => {
    const { service } = newService();
    expect(service.targetPrefix).toBe('AWSEvents');
    expect(service.signingName).toBe('events');
    expect(EVENTBRIDGE_ACTIONS).toContain('PutEvents');
  });

  it('answers an unknown action with UnknownOperationException', async () => {
    const { service } = newService();
    await expectAwsError(service, 'CreateConnection', {}, 'UnknownOperationException', /CreateConnection/);
    await expectAwsError(service, 'constructor', {}, 'UnknownOperationException');
  });

  it('answers garbage in any member of any action with a 4xx AWS error, never a crash', async () => {
    const { service } = newService();
    const members = [
      'Name',
      'Rule',
      'EventBusName',
      'EventPattern',
      'Targets',
      'Ids',
      'Entries',
      'Event',
      'ArchiveName',
    ];
    const garbage: unknown[] = [42, true, [], [null], {}, { nested: [1] }, 'x'.repeat(5000), ''];
    for (const action of EVENTBRIDGE_ACTIONS) {
      for (const value of garbage) {
        const input = Object.fromEntries(members.map((member) => [member, value]));
        await service.handle({ action, input, region: 'us-east-1', accountId: '000000000000' }).then(
          () => undefined,
          (error: { name?: string; type?: string; status?: number }) => {
            expect(error.name, `${action} ${JSON.stringify(value).slice(0, 20)}`).toBe('AwsServiceError');
            expect(error.status, `${action} ${error.type}`).toBe(400);
          },
        );
      }
    }
  });

  it('answers a member of the wrong JSON type with SerializationException', async () => {
    const { service } = newService();
    await expectAwsError(
      service,
      'PutRule',
      { Name: 5, EventPattern: pattern },
      'SerializationException',
      /'name'/,
    );
  });
});

describe('EventBridge emulator: event buses', () => {
  it('always has the default bus', async () => {
    const { service } = newService();
    const bus = await call(service, 'DescribeEventBus', {});
    expect(bus).toMatchObject({ Name: 'default', Arn: `${ARN_PREFIX}:event-bus/default` });
    expect(typeof bus.CreationTime).toBe('number');
  });

  it('creates, describes (by name or ARN), lists by prefix and deletes a bus', async () => {
    const { service } = newService();
    const created = await call(service, 'CreateEventBus', { Name: 'orders', Description: 'order events' });
    expect(created).toEqual({ EventBusArn: `${ARN_PREFIX}:event-bus/orders`, Description: 'order events' });
    expect(await call(service, 'DescribeEventBus', { Name: created.EventBusArn })).toMatchObject({
      Name: 'orders',
    });
    const listed = await call(service, 'ListEventBuses', { NamePrefix: 'ord' });
    expect(listed.EventBuses).toEqual([
      expect.objectContaining({ Name: 'orders', Description: 'order events' }),
    ]);
    await call(service, 'DeleteEventBus', { Name: 'orders' });
    await expectAwsError(
      service,
      'DescribeEventBus',
      { Name: 'orders' },
      'ResourceNotFoundException',
      /orders does not exist/,
    );
    await call(service, 'DeleteEventBus', { Name: 'orders' });
  });

  it('paginates ListEventBuses', async () => {
    const { service } = newService();
    for (const name of ['a', 'b', 'c']) await call(service, 'CreateEventBus', { Name: name });
    const first = await call(service, 'ListEventBuses', { Limit: 2 });
    expect((first.EventBuses as unknown[]).length).toBe(2);
    const second = await call(service, 'ListEventBuses', { Limit: 2, NextToken: first.NextToken });
    expect((second.EventBuses as { Name: string }[]).map((bus) => bus.Name)).toEqual(['c', 'default']);
    expect(second.NextToken).toBeUndefined();
    await expectAwsError(
      service,
      'ListEventBuses',
      { NextToken: 'bogus' },
      'ValidationException',
      /NextToken/,
    );
  });

  it('refuses duplicates, the default bus, bad names and missing names', async () => {
    const { service } = newService();
    await call(service, 'CreateEventBus', { Name: 'orders' });
    await expectAwsError(service, 'CreateEventBus', { Name: 'orders' }, 'ResourceAlreadyExistsException');
    await expectAwsError(service, 'CreateEventBus', { Name: 'default' }, 'ResourceAlreadyExistsException');
    await expectAwsError(
      service,
      'CreateEventBus',
      { Name: 'bad name!' },
      'ValidationException',
      /regular expression/,
    );
    await expectAwsError(service, 'CreateEventBus', {}, 'ValidationException', /Value null at 'name'/);
    await expectAwsError(service, 'DeleteEventBus', { Name: 'default' }, 'ValidationException', /default/);
    await expectAwsError(service, 'DeleteEventBus', {}, 'ValidationException', /must not be null/);
  });

  it('keeps regions apart', async () => {
    const { service } = newService();
    await call(service, 'CreateEventBus', { Name: 'orders' });
    const other = await service.handle({
      action: 'ListEventBuses',
      input: {},
      region: 'eu-west-1',
      accountId: '000000000000',
    });
    expect(other.body).toEqual({ EventBuses: [expect.objectContaining({ Name: 'default' })] });
  });
});

describe('EventBridge emulator: rules', () => {
  it('puts a rule on the default bus with an AWS ARN, describes, lists and toggles it', async () => {
    const { service } = newService();
    const { RuleArn } = await call(service, 'PutRule', {
      Name: 'billing',
      EventPattern: pattern,
      Description: 'bills',
    });
    expect(RuleArn).toBe(`${ARN_PREFIX}:rule/billing`);
    expect(await call(service, 'DescribeRule', { Name: 'billing' })).toEqual({
      Name: 'billing',
      Arn: RuleArn,
      EventPattern: pattern,
      State: 'ENABLED',
      Description: 'bills',
      EventBusName: 'default',
      CreatedBy: '000000000000',
    });
    await call(service, 'DisableRule', { Name: 'billing' });
    expect(await call(service, 'DescribeRule', { Name: 'billing' })).toMatchObject({ State: 'DISABLED' });
    await call(service, 'EnableRule', { Name: 'billing' });
    expect(await call(service, 'ListRules', { NamePrefix: 'bil' })).toEqual({
      Rules: [expect.objectContaining({ Name: 'billing', State: 'ENABLED' })],
    });
    expect(await call(service, 'ListRules', { NamePrefix: 'zzz' })).toEqual({ Rules: [] });
  });

  it('names rules of a custom bus rule/<bus>/<name> and finds them by bus ARN', async () => {
    const { service } = newService();
    const { EventBusArn } = await call(service, 'CreateEventBus', { Name: 'orders' });
    const { RuleArn } = await call(service, 'PutRule', {
      Name: 'billing',
      EventBusName: 'orders',
      EventPattern: pattern,
    });
    expect(RuleArn).toBe(`${ARN_PREFIX}:rule/orders/billing`);
    expect(await call(service, 'DescribeRule', { Name: 'billing', EventBusName: EventBusArn })).toMatchObject(
      {
        EventBusName: 'orders',
      },
    );
    await expectAwsError(
      service,
      'DescribeRule',
      { Name: 'billing' },
      'ResourceNotFoundException',
      /does not exist on EventBus default/,
    );
  });

  it('replaces a rule on a second PutRule, resetting what is left out and keeping targets', async () => {
    const { service } = newService();
    await call(service, 'PutRule', { Name: 'r', EventPattern: pattern, State: 'DISABLED', Description: 'x' });
    await call(service, 'PutTargets', {
      Rule: 'r',
      Targets: [{ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }],
    });
    await call(service, 'PutRule', { Name: 'r', EventPattern: pattern });
    const rule = await call(service, 'DescribeRule', { Name: 'r' });
    expect(rule.State).toBe('ENABLED');
    expect(rule.Description).toBeUndefined();
    expect((await call(service, 'ListTargetsByRule', { Rule: 'r' })).Targets).toHaveLength(1);
  });

  it('arms a schedule on the default bus only', async () => {
    const { service } = newService();
    await call(service, 'PutRule', { Name: 'nightly', ScheduleExpression: 'cron(0 3 * * ? *)' });
    await call(service, 'PutRule', { Name: 'often', ScheduleExpression: 'rate(5 minutes)' });
    expect(service.scheduledRules()).toEqual([
      {
        ruleArn: `${ARN_PREFIX}:rule/nightly`,
        scheduleExpression: 'cron(0 3 * * ? *)',
        nextFireTime: expect.any(Number),
      },
      {
        ruleArn: `${ARN_PREFIX}:rule/often`,
        scheduleExpression: 'rate(5 minutes)',
        nextFireTime: expect.any(Number),
      },
    ]);
    await expectAwsError(
      service,
      'PutRule',
      { Name: 'x', ScheduleExpression: 'every day' },
      'ValidationException',
      /^Parameter ScheduleExpression is not valid\.$/,
    );
    await call(service, 'CreateEventBus', { Name: 'orders' });
    await expectAwsError(
      service,
      'PutRule',
      { Name: 'x', EventBusName: 'orders', ScheduleExpression: 'rate(1 hour)' },
      'ValidationException',
      /only on the default event bus/,
    );
    service.close();
  });

  it('rejects invalid patterns with InvalidEventPatternException', async () => {
    const { service } = newService();
    const bad = [
      'not json',
      '[]',
      '{}',
      '{"source":"x"}',
      '{"a":[{"contains":"x"}]}',
      '{"a":[{"numeric":[">","1"]}]}',
    ];
    for (const EventPattern of bad) {
      await expectAwsError(
        service,
        'PutRule',
        { Name: 'r', EventPattern },
        'InvalidEventPatternException',
        /Event pattern is not valid/,
      );
    }
    const long = JSON.stringify({ source: ['x'.repeat(4100)] });
    await expectAwsError(
      service,
      'PutRule',
      { Name: 'r', EventPattern: long },
      'ValidationException',
      /4096/,
    );
  });

  it('validates PutRule parameters', async () => {
    const { service } = newService();
    await expectAwsError(service, 'PutRule', { EventPattern: pattern }, 'ValidationException', /'name'/);
    await expectAwsError(
      service,
      'PutRule',
      { Name: 'r' },
      'ValidationException',
      /EventPattern or ScheduleExpression/,
    );
    await expectAwsError(
      service,
      'PutRule',
      { Name: 'r'.repeat(65), EventPattern: pattern },
      'ValidationException',
      /64/,
    );
    await expectAwsError(
      service,
      'PutRule',
      { Name: 'r', EventPattern: pattern, State: 'ON' },
      'ValidationException',
      /enum/,
    );
    await expectAwsError(
      service,
      'PutRule',
      { Name: 'r', EventPattern: pattern, EventBusName: 'nope' },
      'ResourceNotFoundException',
    );
  });

  it('deletes a rule only once its targets are removed, and deleting twice is fine', async () => {
    const { service } = newService();
    await call(service, 'PutRule', { Name: 'r', EventPattern: pattern });
    await call(service, 'PutTargets', {
      Rule: 'r',
      Targets: [{ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }],
    });
    await expectAwsError(service, 'DeleteRule', { Name: 'r' }, 'ValidationException', /has targets/);
    await call(service, 'RemoveTargets', { Rule: 'r', Ids: ['t'] });
    await call(service, 'DeleteRule', { Name: 'r' });
    await call(service, 'DeleteRule', { Name: 'r' });
    await expectAwsError(service, 'DescribeRule', { Name: 'r' }, 'ResourceNotFoundException');
  });

  it('answers ResourceNotFoundException for unknown rules and buses', async () => {
    const { service } = newService();
    await expectAwsError(service, 'EnableRule', { Name: 'ghost' }, 'ResourceNotFoundException');
    await expectAwsError(service, 'DisableRule', { Name: 'ghost' }, 'ResourceNotFoundException');
    await expectAwsError(
      service,
      'ListRules',
      { EventBusName: 'ghost' },
      'ResourceNotFoundException',
      /ghost/,
    );
    await expectAwsError(service, 'ListTargetsByRule', { Rule: 'ghost' }, 'ResourceNotFoundException');
    await expectAwsError(
      service,
      'RemoveTargets',
      { Rule: 'ghost', Ids: ['t'] },
      'ResourceNotFoundException',
    );
    await expectAwsError(
      service,
      'DeleteRule',
      { Name: 'r', EventBusName: 'ghost' },
      'ResourceNotFoundException',
    );
  });
});
