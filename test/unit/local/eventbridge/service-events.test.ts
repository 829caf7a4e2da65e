import { describe, expect, it } from 'vitest';
import {
  ARN_PREFIX,
  call,
  DLQ_ARN,
  entry,
  expectAwsError,
  FUNCTION_ARN,
  newService,
  QUEUE_ARN,
  ruleWithTarget,
} from './support';

const ordersPattern = { source: ['breakwater.orders'], 'detail-type': ['order.created'] };

describe('EventBridge emulator: targets', () => {
  it('puts, lists and removes targets, echoing what was put', async () => {
    const { service } = newService();
    await call(service, 'PutRule', { Name: 'r', EventPattern: JSON.stringify(ordersPattern) });
    const target = {
      Id: 'billing',
      Arn: QUEUE_ARN,
      InputPath: '$.detail',
      DeadLetterConfig: { Arn: DLQ_ARN },
      RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 120 },
    };
    expect(await call(service, 'PutTargets', { Rule: 'r', Targets: [target] })).toEqual({
      FailedEntryCount: 0,
      FailedEntries: [],
    });
    expect(await call(service, 'ListTargetsByRule', { Rule: 'r' })).toEqual({ Targets: [target] });
    await call(service, 'RemoveTargets', { Rule: 'r', Ids: ['billing', 'absent'] });
    expect(await call(service, 'ListTargetsByRule', { Rule: 'r' })).toEqual({ Targets: [] });
  });

  it('fails the whole call on one invalid target, with AWS constraint wording, and applies none', async () => {
    const { service } = newService();
    await call(service, 'PutRule', { Name: 'r', EventPattern: JSON.stringify(ordersPattern) });
    const invalidTargets: [Record<string, unknown>, RegExp][] = [
      [
        { Id: 'no-arn' },
        /Value null at 'targets.2.member.arn' failed to satisfy constraint: Member must not be null/,
      ],
      [{ Arn: QUEUE_ARN }, /at 'targets.2.member.id' failed to satisfy constraint: Member must not be null/],
      [
        { Id: 'bad id!', Arn: QUEUE_ARN },
        /Value 'bad id!' at 'targets.2.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\\\.\\-_A-Za-z0-9\]\+$/,
      ],
      [{ Id: 'x'.repeat(65), Arn: QUEUE_ARN }, /Member must have length less than or equal to 64/],
      [
        { Id: 'bad-arn', Arn: 'queue' },
        /Parameter queue is not valid. Reason: Provided Arn is not in correct format./,
      ],
      [
        { Id: 'two', Arn: QUEUE_ARN, Input: '{}', InputPath: '$.detail' },
        /Only one of Input, InputPath, or InputTransformer/,
      ],
      [{ Id: 'bad-input', Arn: QUEUE_ARN, Input: 'not json' }, /not valid JSON/],
      [{ Id: 'bad-path', Arn: QUEUE_ARN, InputPath: 'detail' }, /not a valid JSON path/],
      [
        { Id: 'bad-retry', Arn: QUEUE_ARN, RetryPolicy: { MaximumRetryAttempts: 186 } },
        /at 'targets.2.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 185/,
      ],
      [
        { Id: 'bad-age', Arn: QUEUE_ARN, RetryPolicy: { MaximumEventAgeInSeconds: 59 } },
        /Member must have value greater than or equal to 60/,
      ],
      [{ Id: 'dlq', Arn: QUEUE_ARN, DeadLetterConfig: { Arn: FUNCTION_ARN } }, /not an SQS queue ARN/],
      [{ Id: 'dlq-fifo', Arn: QUEUE_ARN, DeadLetterConfig: { Arn: `${DLQ_ARN}.fifo` } }, /FIFO queues/],
      [
        { Id: 'fifo', Arn: `${QUEUE_ARN}.fifo` },
        /^Parameter\(s\) SqsParameters must be specified for target: fifo\.$/,
      ],
      [{ Id: 'group', Arn: FUNCTION_ARN, SqsParameters: { MessageGroupId: 'g' } }, /not an SQS queue/],
      [
        { Id: 'no-template', Arn: QUEUE_ARN, InputTransformer: { InputPathsMap: { a: '$.id' } } },
        /inputTemplate/,
      ],
      [
        {
          Id: 'reserved',
          Arn: QUEUE_ARN,
          InputTransformer: { InputPathsMap: { 'aws.events.rule-arn': '$.id' }, InputTemplate: '<x>' },
        },
        /reserved key/,
      ],
    ];
    invalidTargets.push([
      {
        Id: 'undefined-var',
        Arn: QUEUE_ARN,
        InputTransformer: { InputPathsMap: { a: '$.id' }, InputTemplate: '"<a> and <b>"' },
      },
      /^InputTemplate for target undefined-var contains invalid placeholder b\.$/,
    ]);
    for (const [target, message] of invalidTargets) {
      await expectAwsError(
        service,
        'PutTargets',
        { Rule: 'r', Targets: [{ Id: 'ok', Arn: QUEUE_ARN }, target] },
        'ValidationException',
        message,
      );
    }
    await expectAwsError(service, 'PutTargets', { Rule: 'r', Targets: ['x'] }, 'SerializationException');
    expect((await call(service, 'ListTargetsByRule', { Rule: 'r' })).Targets).toEqual([]);
  });

  it('refuses a sixth target with LimitExceededException but accepts replacing an Id', async () => {
    const { service } = newService();
    await call(service, 'PutRule', { Name: 'r', EventPattern: JSON.stringify(ordersPattern) });
    const targets = Array.from({ length: 5 }, (_, i) => ({ Id: `t${i}`, Arn: QUEUE_ARN }));
    await call(service, 'PutTargets', { Rule: 'r', Targets: targets });
    await call(service, 'PutTargets', { Rule: 'r', Targets: [{ Id: 't0', Arn: FUNCTION_ARN }] });
    await expectAwsError(
      service,
      'PutTargets',
      { Rule: 'r', Targets: [{ Id: 't5', Arn: QUEUE_ARN }] },
      'LimitExceededException',
    );
  });

  it('validates the PutTargets and RemoveTargets requests themselves', async () => {
    const { service } = newService();
    await call(service, 'PutRule', { Name: 'r', EventPattern: JSON.stringify(ordersPattern) });
    await expectAwsError(
      service,
      'PutTargets',
      { Targets: [{ Id: 't', Arn: QUEUE_ARN }] },
      'ValidationException',
      /'rule'/,
    );
    await expectAwsError(service, 'PutTargets', { Rule: 'r' }, 'ValidationException', /'targets'/);
    await expectAwsError(
      service,
      'PutTargets',
      { Rule: 'r', Targets: [] },
      'ValidationException',
      /greater than or equal to 1/,
    );
    await expectAwsError(service, 'PutTargets', { Rule: 'r', Targets: {} }, 'SerializationException');
    await expectAwsError(service, 'RemoveTargets', { Rule: 'r' }, 'ValidationException', /'ids'/);
  });
});

describe('EventBridge emulator: PutEvents', () => {
  it('returns at once with event ids and delivers the AWS event shape to matching targets', async () => {
    const { service, delivery } = newService();
    const ruleArn = await ruleWithTarget(service, 'billing', ordersPattern);
    await ruleWithTarget(service, 'other', { source: ['elsewhere'] }, { Id: 't', Arn: FUNCTION_ARN });
    const result = await call(service, 'PutEvents', {
      Entries: [
        entry({ orderId: 'o-1' }, { Resources: ['arn:aws:dynamodb:us-east-1:000000000000:table/orders'] }),
      ],
    });
    expect(delivery.attempts).toHaveLength(0);
    expect(result.FailedEntryCount).toBe(0);
    const [{ EventId }] = result.Entries as [{ EventId: string }];
    expect(EventId).toMatch(/^[0-9a-f-]{36}$/);
    await service.whenIdle();
    expect(delivery.delivered).toHaveLength(1);
    const [request] = delivery.to(QUEUE_ARN);
    expect(request?.context).toEqual({
      ruleArn,
      targetId: 't1',
      targetArn: QUEUE_ARN,
      eventId: EventId,
      attempt: 0,
      deadLetter: false,
    });
    const [event] = delivery.bodiesTo(QUEUE_ARN);
    expect(event).toEqual({
      version: '0',
      id: EventId,
      'detail-type': 'order.created',
      source: 'breakwater.orders',
      account: '000000000000',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: 'us-east-1',
      resources: ['arn:aws:dynamodb:us-east-1:000000000000:table/orders'],
      detail: { orderId: 'o-1' },
    });
    expect(Object.keys(event as object)).toEqual([
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'resources',
      'detail',
    ]);
    expect(service.metrics()).toMatchObject({
      putEvents: 1,
      matchedEvents: 1,
      invocations: 1,
      successfulInvocations: 1,
    });
  });

  it('honours Time, custom buses by name or ARN, and skips disabled rules', async () => {
    const { service, delivery } = newService();
    const { EventBusArn } = await call(service, 'CreateEventBus', { Name: 'orders' });
    await call(service, 'PutRule', {
      Name: 'r',
      EventBusName: 'orders',
      EventPattern: JSON.stringify(ordersPattern),
    });
    await call(service, 'PutTargets', {
      Rule: 'r',
      EventBusName: 'orders',
      Targets: [{ Id: 't', Arn: QUEUE_ARN }],
    });
    await ruleWithTarget(service, 'off', ordersPattern, { Id: 't', Arn: FUNCTION_ARN });
    await call(service, 'DisableRule', { Name: 'off' });
    await call(service, 'PutEvents', {
      Entries: [
        entry({}, { EventBusName: 'orders', Time: 1_700_000_000 }),
        entry({}, { EventBusName: EventBusArn }),
        entry(),
      ],
    });
    await service.whenIdle();
    expect(delivery.bodiesTo(QUEUE_ARN)).toEqual([
      expect.objectContaining({ time: '2023-11-14T22:13:20Z' }),
      expect.objectContaining({ source: 'breakwater.orders' }),
    ]);
    expect(delivery.to(FUNCTION_ARN)).toEqual([]);
    expect(service.metrics()).toMatchObject({ putEvents: 3, unmatchedEvents: 1 });
  });

  it('reports each bad entry in Entries, in order, and still puts the good ones', async () => {
    const { service } = newService();
    const result = await call(service, 'PutEvents', {
      Entries: [
        entry(),
        { DetailType: 'x', Detail: '{}' },
        { Source: 's', Detail: '{}' },
        { Source: 's', DetailType: 'x' },
        { Source: 's', DetailType: 'x', Detail: 'not json' },
        { Source: 's', DetailType: 'x', Detail: '[1,2]' },
        { Source: 'aws.ec2', DetailType: 'x', Detail: '{}' },
        entry({}, { EventBusName: 'ghost' }),
        entry({}, { Resources: 'arn' }),
        entry({}, { Time: 'yesterday' }),
      ],
    });
    expect(result.FailedEntryCount).toBe(8);
    expect(result.Entries).toEqual([
      { EventId: expect.any(String) },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
      },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
      },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.',
      },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' },
      // A bus that does not exist: AWS answers with an EventId and the event goes nowhere (aws/aws-sdk#186).
      { EventId: expect.any(String) },
      { ErrorCode: 'InvalidArgument', ErrorMessage: expect.stringMatching(/Parameter Resources/) },
      { ErrorCode: 'InvalidArgument', ErrorMessage: expect.stringMatching(/Parameter Time/) },
    ]);
    expect(service.metrics()).toMatchObject({ putEvents: 2, failedEntries: 8, eventsToMissingBus: 1 });
  });

  it('fails the whole call on a broken EventBusName or TraceHeader constraint', async () => {
    const { service } = newService();
    await expectAwsError(
      service,
      'PutEvents',
      { Entries: [entry(), entry({}, { EventBusName: 'no spaces' })] },
      'ValidationException',
      /Value 'no spaces' at 'entries.2.member.eventBusName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
    await expectAwsError(
      service,
      'PutEvents',
      { Entries: [entry({}, { TraceHeader: 'x'.repeat(501) })] },
      'ValidationException',
      /'entries.1.member.traceHeader'/,
    );
  });

  it('delivers to an event bus target: the event goes through the other bus, once', async () => {
    const { service, delivery } = newService();
    const { EventBusArn } = await call(service, 'CreateEventBus', { Name: 'audit' });
    await ruleWithTarget(
      service,
      'to-audit',
      { source: ['breakwater.orders'] },
      { Id: 'bus', Arn: EventBusArn },
    );
    await call(service, 'PutRule', {
      Name: 'audit-queue',
      EventBusName: 'audit',
      EventPattern: JSON.stringify({ source: ['breakwater.orders'] }),
    });
    await call(service, 'PutTargets', {
      Rule: 'audit-queue',
      EventBusName: 'audit',
      Targets: [
        { Id: 'q', Arn: QUEUE_ARN },
        { Id: 'back', Arn: `${ARN_PREFIX}:event-bus/default` },
      ],
    });
    const { Entries } = await call(service, 'PutEvents', { Entries: [entry()] });
    await service.whenIdle();
    const [delivered] = delivery.bodiesTo(QUEUE_ARN) as { id: string; source: string }[];
    expect(delivered).toMatchObject({
      id: (Entries as { EventId: string }[])[0]?.EventId,
      source: 'breakwater.orders',
    });
    expect(delivery.to(QUEUE_ARN)).toHaveLength(1);
    // The audit bus does not send it back to default: no loop.
    expect(service.metrics()).toMatchObject({ forwardingSkipped: 1, successfulInvocations: 2 });
  });

  it('drops, counts and logs an invocation whose JSON template yields invalid JSON, as AWS drops it', async () => {
    const { service, delivery, logs } = newService();
    await ruleWithTarget(
      service,
      'broken',
      { source: ['breakwater.orders'] },
      {
        Id: 't',
        Arn: QUEUE_ARN,
        InputTransformer: { InputPathsMap: { d: '$.detail' }, InputTemplate: '{"order": "<d>"}' },
      },
    );
    await call(service, 'PutEvents', { Entries: [entry()] });
    await service.whenIdle();
    expect(delivery.attempts).toEqual([]);
    expect(service.metrics().rules[`${ARN_PREFIX}:rule/broken`]).toMatchObject({
      Invocations: 1,
      FailedInvocations: 1,
      DroppedInvocations: 1,
    });
    expect(logs[0]).toMatch(/INVALID_INPUT_TRANSFORMATION/);
  });

  it('counts a bus target whose bus is gone as a failed invocation', async () => {
    const { service, logs } = newService();
    await ruleWithTarget(
      service,
      'to-ghost',
      { source: ['breakwater.orders'] },
      {
        Id: 'bus',
        Arn: `${ARN_PREFIX}:event-bus/ghost`,
      },
    );
    await call(service, 'PutEvents', { Entries: [entry()] });
    await service.whenIdle();
    expect(service.metrics().rules[`${ARN_PREFIX}:rule/to-ghost`]).toMatchObject({ FailedInvocations: 1 });
    expect(logs[0]).toMatch(/NO_RESOURCE: event bus .*ghost does not exist/);
  });

  it('enforces 1 to 10 entries and 256 KB per call', async () => {
    const { service } = newService();
    await expectAwsError(service, 'PutEvents', {}, 'ValidationException', /'entries'/);
    await expectAwsError(
      service,
      'PutEvents',
      { Entries: [] },
      'ValidationException',
      /greater than or equal to 1/,
    );
    const eleven = Array.from({ length: 11 }, () => entry());
    await expectAwsError(
      service,
      'PutEvents',
      { Entries: eleven },
      'ValidationException',
      /less than or equal to 10/,
    );
    const big = entry({ blob: 'x'.repeat(130 * 1024) });
    await expectAwsError(
      service,
      'PutEvents',
      { Entries: [big, big] },
      'ValidationException',
      /Total size of the entries/,
    );
    const result = await call(service, 'PutEvents', { Entries: [big] });
    expect(result.FailedEntryCount).toBe(0);
  });
});

describe('EventBridge emulator: TestEventPattern', () => {
  const event = {
    id: 'e-1',
    account: '000000000000',
    source: 'breakwater.orders',
    time: '2026-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    'detail-type': 'order.created',
    detail: { totalCents: 1200 },
  };

  it('answers whether the event matches', async () => {
    const { service } = newService();
    const pattern = { source: ['breakwater.orders'], detail: { totalCents: [{ numeric: ['>', 1000] }] } };
    const test = (p: object) =>
      call(service, 'TestEventPattern', { EventPattern: JSON.stringify(p), Event: JSON.stringify(event) });
    expect(await test(pattern)).toEqual({ Result: true });
    expect(await test({ ...pattern, source: ['other'] })).toEqual({ Result: false });
  });

  it('validates the pattern and the event like AWS', async () => {
    const { service } = newService();
    const eventText = JSON.stringify(event);
    await expectAwsError(
      service,
      'TestEventPattern',
      { EventPattern: '{"a":"b"}', Event: eventText },
      'InvalidEventPatternException',
    );
    await expectAwsError(
      service,
      'TestEventPattern',
      { Event: eventText },
      'ValidationException',
      /'eventPattern'/,
    );
    await expectAwsError(
      service,
      'TestEventPattern',
      { EventPattern: '{"a":["b"]}' },
      'ValidationException',
      /'event'/,
    );
    const test = (text: string) =>
      call(service, 'TestEventPattern', { EventPattern: '{"a":["b"]}', Event: text });
    await expect(test('nope')).rejects.toMatchObject({
      type: 'ValidationException',
      message: 'Parameter Event is not valid.',
    });
    const { id: _id, account: _account, ...withoutIds } = event;
    await expect(test(JSON.stringify(withoutIds))).rejects.toMatchObject({
      type: 'ValidationException',
      message: 'Parameter Event is not valid.',
    });
    await expect(test(JSON.stringify({ ...event, resources: 'x' }))).rejects.toMatchObject({
      type: 'ValidationException',
    });
  });

  it('accepts an event without resources, as AWS does', async () => {
    const { service } = newService();
    const { resources: _resources, ...withoutResources } = event;
    const result = await call(service, 'TestEventPattern', {
      EventPattern: JSON.stringify({ source: ['breakwater.orders'] }),
      Event: JSON.stringify(withoutResources),
    });
    expect(result).toEqual({ Result: true });
  });
});
