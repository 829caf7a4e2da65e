import { describe, expect, it } from 'vitest';
import { ARN_PREFIX, call, expectAwsError, newService, QUEUE_ARN, ruleWithTarget } from './support';

/** Tags (TagResource, ListTagsForResource, UntagResource), bus permissions and ListRuleNamesByTarget. */
describe('EventBridge emulator: tags', () => {
  it('tags rules and buses, at creation and later, and forgets them with the resource', async () => {
    const { service } = newService();
    const { EventBusArn } = await call(service, 'CreateEventBus', {
      Name: 'orders',
      Tags: [{ Key: 'team', Value: 'core' }],
    });
    const { RuleArn } = await call(service, 'PutRule', {
      Name: 'r',
      EventBusName: 'orders',
      EventPattern: '{"source":["x"]}',
      Tags: [{ Key: 'tag1', Value: 'value1' }],
    });
    await call(service, 'TagResource', { ResourceARN: RuleArn, Tags: [{ Key: 'tag2', Value: 'value2' }] });
    expect(await call(service, 'ListTagsForResource', { ResourceARN: RuleArn })).toEqual({
      Tags: [
        { Key: 'tag1', Value: 'value1' },
        { Key: 'tag2', Value: 'value2' },
      ],
    });
    await call(service, 'UntagResource', { ResourceARN: RuleArn, TagKeys: ['tag2', 'absent'] });
    expect((await call(service, 'ListTagsForResource', { ResourceARN: RuleArn })).Tags).toEqual([
      { Key: 'tag1', Value: 'value1' },
    ]);
    expect((await call(service, 'ListTagsForResource', { ResourceARN: EventBusArn })).Tags).toEqual([
      { Key: 'team', Value: 'core' },
    ]);
    await call(service, 'DeleteRule', { Name: 'r', EventBusName: 'orders' });
    await expectAwsError(
      service,
      'ListTagsForResource',
      { ResourceARN: RuleArn },
      'ResourceNotFoundException',
      /^Rule r does not exist on EventBus orders\.$/,
    );
    await expectAwsError(
      service,
      'TagResource',
      { ResourceARN: `${ARN_PREFIX}:event-bus/ghost`, Tags: [] },
      'ResourceNotFoundException',
      /^Event bus ghost does not exist\.$/,
    );
  });
});

describe('EventBridge emulator: permissions', () => {
  it('adds and removes statements of the bus policy shown by DescribeEventBus', async () => {
    const { service } = newService();
    expect((await call(service, 'DescribeEventBus', {})).Policy).toBeUndefined();
    await call(service, 'PutPermission', {
      Action: 'events:PutEvents',
      Principal: '111122223333',
      StatementId: 'a',
    });
    await call(service, 'PutPermission', {
      Action: 'events:PutEvents',
      Principal: '444455556666',
      StatementId: 'b',
    });
    const policy = JSON.parse(String((await call(service, 'DescribeEventBus', {})).Policy)) as {
      Statement: unknown[];
    };
    expect(policy.Statement).toEqual([
      {
        Sid: 'a',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: 'events:PutEvents',
        Resource: `${ARN_PREFIX}:event-bus/default`,
      },
      expect.objectContaining({ Sid: 'b' }),
    ]);
    await call(service, 'RemovePermission', { StatementId: 'a' });
    await expectAwsError(
      service,
      'RemovePermission',
      { StatementId: 'a' },
      'ResourceNotFoundException',
      /^Statement with the provided id does not exist\.$/,
    );
    await call(service, 'RemovePermission', { RemoveAllPermissions: true });
    expect((await call(service, 'DescribeEventBus', {})).Policy).toBeUndefined();
    await expectAwsError(
      service,
      'PutPermission',
      { Action: 'events:PutRule', Principal: '111122223333', StatementId: 'c' },
      'ValidationException',
    );
  });
});

describe('EventBridge emulator: ListRuleNamesByTarget', () => {
  it('lists the rules that target an ARN, paginated', async () => {
    const { service } = newService();
    for (const name of ['r0', 'r1', 'r2']) await ruleWithTarget(service, name, { source: ['x'] });
    await ruleWithTarget(service, 'other', { source: ['x'] }, { Id: 't', Arn: `${QUEUE_ARN}-2` });
    const first = await call(service, 'ListRuleNamesByTarget', { TargetArn: QUEUE_ARN, Limit: 2 });
    expect(first.RuleNames).toEqual(['r0', 'r1']);
    const second = await call(service, 'ListRuleNamesByTarget', {
      TargetArn: QUEUE_ARN,
      NextToken: first.NextToken,
    });
    expect(second).toEqual({ RuleNames: ['r2'] });
    expect(
      await call(service, 'ListRuleNamesByTarget', { TargetArn: 'arn:aws:sqs:us-east-1:000000000000:none' }),
    ).toEqual({ RuleNames: [] });
  });
});
