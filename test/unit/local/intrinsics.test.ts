// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are CloudFormation Fn::Sub templates
import { describe, expect, it } from 'vitest';
import { DeployerError } from '../../../packages/local-cloud/src/deployer/errors';
import {
  type IntrinsicContext,
  NO_VALUE,
  referencedNames,
  resolveValue,
} from '../../../packages/local-cloud/src/deployer/intrinsics';

const resources: Record<string, { ref: string; attributes: Record<string, string> }> = {
  Queue: {
    ref: 'https://queue/url',
    attributes: { Arn: 'arn:aws:sqs:us-east-1:000000000000:q', QueueName: 'q' },
  },
  Table: { ref: 'orders', attributes: { Arn: 'arn:table', StreamArn: 'arn:table/stream/x' } },
};

const context = (overrides: Partial<IntrinsicContext> = {}): IntrinsicContext => ({
  region: 'us-east-1',
  ref: (name) => {
    if (name === 'AWS::Region') return 'us-east-1';
    if (name === 'AWS::AccountId') return '000000000000';
    if (name === 'AWS::Partition') return 'aws';
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name === 'Stage') return 'dev';
    const resource = resources[name];
    if (resource === undefined) throw new DeployerError(`Ref ${name}`);
    return resource.ref;
  },
  getAtt: (logicalId, attribute) => {
    const value = resources[logicalId]?.attributes[attribute];
    if (value === undefined) throw new DeployerError(`GetAtt ${logicalId}.${attribute}`);
    return value;
  },
  importValue: (name) => (name === 'Shared:BusName' ? 'bus' : undefined),
  stackOutput: (stackName, outputName, region) =>
    stackName === 'shared' && outputName === 'BusArn'
      ? `arn:aws:events:${region}:000000000000:event-bus/bus`
      : undefined,
  condition: (name) => name === 'IsDev',
  findInMap: (map, top, second) =>
    map === 'Sizes' && top === 'dev' && second === 'Memory' ? 256 : undefined,
  ...overrides,
});

const resolve = (value: unknown, ctx = context()) => resolveValue(value, ctx);

describe('resolveValue', () => {
  it('leaves literals and plain objects alone, resolving nested intrinsics', () => {
    expect(resolve({ a: 1, b: ['x', { Ref: 'Table' }], c: { d: true } })).toEqual({
      a: 1,
      b: ['x', 'orders'],
      c: { d: true },
    });
  });

  it('resolves Ref to resources and pseudo parameters', () => {
    expect(resolve({ Ref: 'Queue' })).toBe('https://queue/url');
    expect(resolve({ Ref: 'AWS::Region' })).toBe('us-east-1');
  });

  it('resolves Fn::GetAtt in list and dotted forms', () => {
    expect(resolve({ 'Fn::GetAtt': ['Queue', 'Arn'] })).toBe('arn:aws:sqs:us-east-1:000000000000:q');
    expect(resolve({ 'Fn::GetAtt': 'Table.StreamArn' })).toBe('arn:table/stream/x');
  });

  it('resolves Fn::Sub with implicit references, attributes, variables and escapes', () => {
    expect(
      resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Queue.QueueName}' }),
    ).toBe('arn:aws:sqs:us-east-1:000000000000:q');
    expect(resolve({ 'Fn::Sub': ['${Name}-${Table}', { Name: { Ref: 'Stage' } }] })).toBe('dev-orders');
    expect(resolve({ 'Fn::Sub': 'literal ${!NotAVariable}' })).toBe('literal ${NotAVariable}');
  });

  it('resolves Fn::Join, Fn::Select and Fn::Split together', () => {
    expect(resolve({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':x']] })).toBe('arn:aws:x');
    expect(resolve({ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] })).toBe('b');
    expect(resolve({ 'Fn::Select': ['5', { 'Fn::Split': [':', { 'Fn::GetAtt': ['Queue', 'Arn'] }] }] })).toBe(
      'q',
    );
  });

  it('resolves Fn::GetStackOutput (weak cross-stack references) through the producer stack, intrinsics inside', () => {
    expect(
      resolve({
        'Fn::GetStackOutput': { StackName: 'shared', Region: { Ref: 'AWS::Region' }, OutputName: 'BusArn' },
      }),
    ).toBe('arn:aws:events:us-east-1:000000000000:event-bus/bus');
    expect(() => resolve({ 'Fn::GetStackOutput': { StackName: 'shared' } })).toThrow(/OutputName/);
  });

  it('resolves Fn::ImportValue through the exports', () => {
    expect(resolve({ 'Fn::ImportValue': 'Shared:BusName' })).toBe('bus');
  });

  it('evaluates Fn::If and the condition functions', () => {
    expect(resolve({ 'Fn::If': ['IsDev', 'small', 'large'] })).toBe('small');
    expect(resolve({ 'Fn::If': ['IsProd', 'small', 'large'] })).toBe('large');
    expect(resolve({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] })).toBe(true);
    expect(resolve({ 'Fn::And': [{ 'Fn::Equals': ['a', 'a'] }, { Condition: 'IsDev' }] })).toBe(true);
    expect(resolve({ 'Fn::Or': [{ 'Fn::Equals': ['a', 'b'] }, { Condition: 'IsProd' }] })).toBe(false);
    expect(resolve({ 'Fn::Not': [{ Condition: 'IsProd' }] })).toBe(true);
  });

  it('removes properties and list elements that resolve to AWS::NoValue', () => {
    expect(resolve({ keep: 1, drop: { 'Fn::If': ['IsDev', { Ref: 'AWS::NoValue' }, 2] } })).toEqual({
      keep: 1,
    });
    expect(resolve(['a', { Ref: 'AWS::NoValue' }, 'b'])).toEqual(['a', 'b']);
  });

  it('supports Fn::FindInMap, Fn::Base64, Fn::GetAZs, Fn::ToJsonString and Fn::Length', () => {
    expect(resolve({ 'Fn::FindInMap': ['Sizes', { Ref: 'Stage' }, 'Memory'] })).toBe(256);
    expect(resolve({ 'Fn::Base64': 'hi' })).toBe('aGk=');
    expect(resolve({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] })).toBe('us-east-1a');
    expect(resolve({ 'Fn::ToJsonString': { table: { Ref: 'Table' } } })).toBe('{"table":"orders"}');
    expect(resolve({ 'Fn::Length': [1, 2, 3] })).toBe(3);
  });

  it('treats objects with more than one key as plain objects, not intrinsics', () => {
    expect(resolve({ Ref: 'Table', Other: 1 })).toEqual({ Ref: 'Table', Other: 1 });
  });

  it('fails clearly on unknown functions, bad arguments and unknown references', () => {
    expect(() => resolve({ 'Fn::Cidr': ['10.0.0.0/16', 2, 8] })).toThrow(/Fn::Cidr is not supported/);
    expect(() => resolve({ 'Fn::Select': [3, ['a']] })).toThrow(/out of range/);
    expect(() => resolve({ 'Fn::Join': [',', 'not a list'] })).toThrow(/needs a list/);
    expect(() => resolve({ Ref: 'Missing' })).toThrow(DeployerError);
  });
});

describe('referencedNames', () => {
  it('finds the names referenced through Ref, GetAtt and Sub, at any depth', () => {
    const names = referencedNames({
      Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
      Env: { Variables: { TABLE: { Ref: 'Table' }, QUEUE: { 'Fn::GetAtt': 'Queue.Arn' } } },
      Name: { 'Fn::Sub': '${AWS::StackName}-${Bus}-${Topic.TopicName}-${!Escaped}' },
      Joined: { 'Fn::Join': ['', [{ Ref: 'AWS::Region' }]] },
    });
    expect([...names].sort()).toEqual([
      'AWS::Region',
      'AWS::StackName',
      'Bus',
      'Queue',
      'Role',
      'Table',
      'Topic',
    ]);
  });
});
