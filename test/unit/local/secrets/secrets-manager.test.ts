import { beforeEach, describe, expect, it } from 'vitest';
import { createSecretsManager } from '../../../../packages/local-cloud/src/secrets/secrets-manager';
import type { JsonProtocolService } from '../../../../packages/local-cloud/src/support/aws-protocol';

let service: JsonProtocolService;
const call = async (action: string, input: Record<string, unknown> = {}, region = 'us-east-1') =>
  (await service.handle({ action, input, region, accountId: '000000000000' })).body as Record<
    string,
    unknown
  >;
const failure = (action: string, input: Record<string, unknown> = {}) =>
  call(action, input).then(
    () => {
      throw new Error(`${action} should have failed`);
    },
    (error: { type: string; status: number; message: string }) => ({
      type: error.type,
      status: error.status,
      message: error.message,
    }),
  );

beforeEach(() => {
  service = createSecretsManager();
});

describe('Secrets Manager', () => {
  it('creates a secret and reads its current value by name, ARN or partial ARN', async () => {
    const created = await call('CreateSecret', {
      Name: 'app/redis',
      SecretString: '{"url":"u","token":"t"}',
    });
    expect(created.ARN).toMatch(
      /^arn:aws:secretsmanager:us-east-1:000000000000:secret:app\/redis-[A-Za-z]{6}$/,
    );
    const arn = String(created.ARN);
    for (const id of ['app/redis', arn, arn.slice(0, -7)]) {
      const value = await call('GetSecretValue', { SecretId: id });
      expect(value).toMatchObject({
        Name: 'app/redis',
        SecretString: '{"url":"u","token":"t"}',
        VersionStages: ['AWSCURRENT'],
      });
      expect(typeof value.CreatedDate).toBe('number');
    }
  });

  it('moves AWSCURRENT to a new version and AWSPREVIOUS to the old one', async () => {
    const first = await call('CreateSecret', { Name: 's', SecretString: 'v1' });
    const second = await call('PutSecretValue', { SecretId: 's', SecretString: 'v2' });
    expect((await call('GetSecretValue', { SecretId: 's' })).SecretString).toBe('v2');
    expect((await call('GetSecretValue', { SecretId: 's', VersionStage: 'AWSPREVIOUS' })).SecretString).toBe(
      'v1',
    );
    const described = await call('DescribeSecret', { SecretId: 's' });
    expect(described.VersionIdsToStages).toEqual({
      [String(first.VersionId)]: ['AWSPREVIOUS'],
      [String(second.VersionId)]: ['AWSCURRENT'],
    });
  });

  it('treats a repeated ClientRequestToken as the same version, and a changed value under it as an error', async () => {
    const token = 'a'.repeat(32);
    await call('CreateSecret', { Name: 's', SecretString: 'v1' });
    const once = await call('PutSecretValue', {
      SecretId: 's',
      SecretString: 'v2',
      ClientRequestToken: token,
    });
    const again = await call('PutSecretValue', {
      SecretId: 's',
      SecretString: 'v2',
      ClientRequestToken: token,
    });
    expect(again.VersionId).toBe(once.VersionId);
    expect(
      await failure('PutSecretValue', { SecretId: 's', SecretString: 'v3', ClientRequestToken: token }),
    ).toMatchObject({
      type: 'ResourceExistsException',
    });
  });

  it('answers with AWS errors for unknown, duplicate and invalid secrets', async () => {
    expect(await failure('GetSecretValue', { SecretId: 'missing' })).toEqual({
      type: 'ResourceNotFoundException',
      status: 400,
      message: "Secrets Manager can't find the specified secret.",
    });
    await call('CreateSecret', { Name: 's', SecretString: 'v' });
    expect(await failure('CreateSecret', { Name: 's', SecretString: 'v' })).toMatchObject({
      type: 'ResourceExistsException',
    });
    expect(await failure('CreateSecret', { Name: 'bad name!' })).toMatchObject({
      type: 'ValidationException',
    });
    expect(await failure('GetSecretValue', {})).toMatchObject({
      type: 'ValidationException',
      message: expect.stringContaining("'secretId' failed to satisfy constraint: Member must not be null"),
    });
    expect(
      await failure('CreateSecret', { Name: 'x', SecretString: 'a', SecretBinary: 'Yg==' }),
    ).toMatchObject({
      type: 'InvalidParameterException',
    });
    expect(await failure('RotateSecret', { SecretId: 's' })).toMatchObject({
      type: 'UnknownOperationException',
    });
    expect(await failure('constructor')).toMatchObject({ type: 'UnknownOperationException' });
  });

  it('keeps a secret scheduled for deletion describable but unreadable, restorable, and removes it when forced', async () => {
    await call('CreateSecret', { Name: 's', SecretString: 'v' });
    const scheduled = await call('DeleteSecret', { SecretId: 's', RecoveryWindowInDays: 7 });
    expect(typeof scheduled.DeletionDate).toBe('number');
    expect(await failure('GetSecretValue', { SecretId: 's' })).toMatchObject({
      type: 'InvalidRequestException',
    });
    expect(await failure('CreateSecret', { Name: 's', SecretString: 'v' })).toMatchObject({
      type: 'InvalidRequestException',
    });
    expect((await call('DescribeSecret', { SecretId: 's' })).DeletedDate).toBeDefined();
    await call('RestoreSecret', { SecretId: 's' });
    expect((await call('GetSecretValue', { SecretId: 's' })).SecretString).toBe('v');
    expect(
      await failure('DeleteSecret', {
        SecretId: 's',
        ForceDeleteWithoutRecovery: true,
        RecoveryWindowInDays: 7,
      }),
    ).toMatchObject({
      type: 'InvalidParameterException',
    });
    await call('DeleteSecret', { SecretId: 's', ForceDeleteWithoutRecovery: true });
    expect(await failure('DescribeSecret', { SecretId: 's' })).toMatchObject({
      type: 'ResourceNotFoundException',
    });
    await call('CreateSecret', { Name: 's', SecretString: 'again' });
  });

  it('lists secrets with filters and pages, per region', async () => {
    await call('CreateSecret', { Name: 'app/a', SecretString: '1', Tags: [{ Key: 'team', Value: 'pay' }] });
    await call('CreateSecret', { Name: 'app/b', SecretString: '2' });
    await call('CreateSecret', { Name: 'other', SecretString: '3' });
    await call('CreateSecret', { Name: 'app/elsewhere', SecretString: '4' }, 'eu-west-1');
    const names = (body: Record<string, unknown>) =>
      (body.SecretList as { Name: string }[]).map((s) => s.Name);
    expect(names(await call('ListSecrets', { Filters: [{ Key: 'name', Values: ['app/'] }] }))).toEqual([
      'app/a',
      'app/b',
    ]);
    expect(names(await call('ListSecrets', { Filters: [{ Key: 'tag-key', Values: ['team'] }] }))).toEqual([
      'app/a',
    ]);
    const page = await call('ListSecrets', { MaxResults: 2 });
    expect(names(page)).toEqual(['app/a', 'app/b']);
    expect(names(await call('ListSecrets', { MaxResults: 2, NextToken: page.NextToken }))).toEqual(['other']);
  });

  it('makes random passwords with every included character class', async () => {
    const { RandomPassword } = await call('GetRandomPassword', {
      PasswordLength: 40,
      ExcludePunctuation: true,
    });
    expect(RandomPassword).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(RandomPassword).toMatch(/[a-z]/);
    expect(RandomPassword).toMatch(/[A-Z]/);
    expect(RandomPassword).toMatch(/[0-9]/);
    expect(await failure('GetRandomPassword', { PasswordLength: 0 })).toMatchObject({
      type: 'ValidationException',
    });
  });
});
