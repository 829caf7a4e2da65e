import { beforeEach, describe, expect, it } from 'vitest';
import { createSsmParameterStore } from '../../../../packages/local-cloud/src/secrets/ssm';
import type { JsonProtocolService } from '../../../../packages/local-cloud/src/support/aws-protocol';

let service: JsonProtocolService;
const call = async (action: string, input: Record<string, unknown> = {}) =>
  (await service.handle({ action, input, region: 'us-east-1', accountId: '000000000000' })).body as Record<
    string,
    unknown
  >;
const failure = (action: string, input: Record<string, unknown> = {}) =>
  call(action, input).then(
    () => {
      throw new Error(`${action} should have failed`);
    },
    (error: { type: string; message: string }) => ({ type: error.type, message: error.message }),
  );

beforeEach(() => {
  service = createSsmParameterStore();
});

describe('SSM Parameter Store', () => {
  it('puts and gets a parameter, with its ARN and version', async () => {
    expect(await call('PutParameter', { Name: '/app/stage', Value: 'dev', Type: 'String' })).toEqual({
      Version: 1,
      Tier: 'Standard',
    });
    const { Parameter } = await call('GetParameter', { Name: '/app/stage' });
    expect(Parameter).toMatchObject({
      Name: '/app/stage',
      Type: 'String',
      Value: 'dev',
      Version: 1,
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/app/stage',
      DataType: 'text',
    });
  });

  it('refuses to overwrite without Overwrite, then versions each overwrite; name:version selects one', async () => {
    await call('PutParameter', { Name: 'flag', Value: 'a', Type: 'String' });
    expect(await failure('PutParameter', { Name: 'flag', Value: 'b', Type: 'String' })).toMatchObject({
      type: 'ParameterAlreadyExists',
    });
    expect(await call('PutParameter', { Name: 'flag', Value: 'b', Overwrite: true })).toMatchObject({
      Version: 2,
    });
    expect((await call('GetParameter', { Name: 'flag' })).Parameter).toMatchObject({
      Value: 'b',
      Type: 'String',
      Version: 2,
    });
    expect((await call('GetParameter', { Name: 'flag:1' })).Parameter).toMatchObject({
      Value: 'a',
      Selector: ':1',
    });
    expect(await failure('GetParameter', { Name: 'flag:7' })).toMatchObject({
      type: 'ParameterVersionNotFound',
    });
  });

  it('hides SecureString values unless WithDecryption is true', async () => {
    await call('PutParameter', { Name: '/app/key', Value: 's3cr3t', Type: 'SecureString' });
    const hidden = (await call('GetParameter', { Name: '/app/key' })).Parameter as { Value: string };
    expect(hidden.Value).not.toContain('s3cr3t');
    expect((await call('GetParameter', { Name: '/app/key', WithDecryption: true })).Parameter).toMatchObject({
      Value: 's3cr3t',
    });
  });

  it('gets several parameters, naming the missing ones', async () => {
    await call('PutParameter', { Name: '/a', Value: '1', Type: 'String' });
    const result = await call('GetParameters', { Names: ['/a', '/missing'] });
    expect((result.Parameters as { Name: string }[]).map((p) => p.Name)).toEqual(['/a']);
    expect(result.InvalidParameters).toEqual(['/missing']);
  });

  it('gets parameters by path, one level or recursively, in pages', async () => {
    for (const name of ['/app/a', '/app/b', '/app/deep/c', '/apple', '/other/x']) {
      await call('PutParameter', { Name: name, Value: 'v', Type: 'String' });
    }
    const names = (body: Record<string, unknown>) =>
      (body.Parameters as { Name: string }[]).map((p) => p.Name);
    expect(names(await call('GetParametersByPath', { Path: '/app' }))).toEqual(['/app/a', '/app/b']);
    expect(names(await call('GetParametersByPath', { Path: '/app/', Recursive: true }))).toEqual([
      '/app/a',
      '/app/b',
      '/app/deep/c',
    ]);
    const page = await call('GetParametersByPath', { Path: '/app', Recursive: true, MaxResults: 2 });
    expect(names(page)).toEqual(['/app/a', '/app/b']);
    expect(
      names(await call('GetParametersByPath', { Path: '/app', Recursive: true, NextToken: page.NextToken })),
    ).toEqual(['/app/deep/c']);
    expect(await failure('GetParametersByPath', { Path: 'app' })).toMatchObject({
      type: 'ValidationException',
    });
  });

  it('deletes parameters and answers ParameterNotFound after', async () => {
    await call('PutParameter', { Name: '/gone', Value: 'v', Type: 'String' });
    expect(await call('DeleteParameter', { Name: '/gone' })).toEqual({});
    expect(await failure('GetParameter', { Name: '/gone' })).toMatchObject({ type: 'ParameterNotFound' });
    expect(await failure('DeleteParameter', { Name: '/gone' })).toMatchObject({ type: 'ParameterNotFound' });
  });

  it('answers unknown actions, Object.prototype names included, with UnknownOperationException', async () => {
    for (const action of ['DescribeParameters', 'constructor', 'toString']) {
      expect(await failure(action)).toMatchObject({ type: 'UnknownOperationException' });
    }
  });

  it('validates names, types, values, tags with overwrite, and allowed patterns', async () => {
    expect(await failure('PutParameter', { Name: '/aws/x', Value: 'v', Type: 'String' })).toMatchObject({
      type: 'ValidationException',
    });
    expect(await failure('PutParameter', { Name: 'a/b', Value: 'v', Type: 'String' })).toMatchObject({
      type: 'ValidationException',
    });
    expect(await failure('PutParameter', { Name: '/x', Value: 'v', Type: 'Number' })).toMatchObject({
      type: 'ValidationException',
      message: expect.stringContaining("at 'type'"),
    });
    expect(await failure('PutParameter', { Name: '/x', Value: 'v' })).toMatchObject({
      type: 'ValidationException',
    });
    expect(await failure('PutParameter', { Name: '/x', Type: 'String' })).toMatchObject({
      type: 'ValidationException',
    });
    expect(
      await failure('PutParameter', {
        Name: '/x',
        Value: 'v',
        Type: 'String',
        Overwrite: true,
        Tags: [{ Key: 'k', Value: 'v' }],
      }),
    ).toMatchObject({ type: 'ValidationException' });
    expect(
      await failure('PutParameter', { Name: '/x', Value: 'abc', Type: 'String', AllowedPattern: '^\\d+$' }),
    ).toMatchObject({
      type: 'ParameterPatternMismatchException',
    });
    expect(
      await failure('PutParameter', { Name: '/x', Value: 'v'.repeat(4097), Type: 'String' }),
    ).toMatchObject({
      type: 'ValidationException',
    });
  });
});
