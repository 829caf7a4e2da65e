import { describe, expect, it } from 'vitest';
import { generatedName, stableToken } from '../../../packages/local-cloud/src/deployer/naming';
import { findOverride } from '../../../packages/local-cloud/src/deployer/overrides';
import { generateSecretString } from '../../../packages/local-cloud/src/deployer/secret-generation';

const secret = { stackName: 'Platform', logicalId: 'RedisSecretA1B2C3D4', name: 'breakwater/redis' };

describe('findOverride', () => {
  it('matches by name, stack/logical id, logical id and CDK logical-id prefix', () => {
    expect(findOverride({ 'breakwater/redis': 'by-name' }, secret)).toBe('by-name');
    expect(findOverride({ 'Platform/RedisSecretA1B2C3D4': 'by-path' }, secret)).toBe('by-path');
    expect(findOverride({ RedisSecretA1B2C3D4: 'by-id' }, secret)).toBe('by-id');
    expect(findOverride({ RedisSecret: { url: 'http://127.0.0.1:1', token: 't' } }, secret)).toBe(
      '{"url":"http://127.0.0.1:1","token":"t"}',
    );
  });

  it('does not match a mere prefix that is not followed by a CDK hash', () => {
    expect(findOverride({ Redis: 'x' }, secret)).toBeUndefined();
    expect(findOverride(undefined, secret)).toBeUndefined();
  });

  it('asks a function when given one', () => {
    expect(findOverride((resource) => (resource.stackName === 'Platform' ? 'fn' : undefined), secret)).toBe(
      'fn',
    );
  });
});

describe('generateSecretString', () => {
  it('honours length, exclusions and the JSON template', () => {
    const value = JSON.parse(
      generateSecretString({
        SecretStringTemplate: '{"user":"local"}',
        GenerateStringKey: 'token',
        PasswordLength: 24,
        ExcludePunctuation: true,
        ExcludeCharacters: 'abc',
      }),
    ) as { user: string; token: string };
    expect(value.user).toBe('local');
    expect(value.token).toMatch(/^[d-zA-Z0-9]{24}$/);
  });

  it('includes one character of each class by default (32 characters)', () => {
    const value = generateSecretString({});
    expect(value).toHaveLength(32);
    expect(value).toMatch(/[a-z]/);
    expect(value).toMatch(/[A-Z]/);
    expect(value).toMatch(/[0-9]/);
  });
});

describe('generatedName', () => {
  it('is stable, bounded and keeps a suffix', () => {
    const name = generatedName(
      'AVeryLongStackNameForTesting',
      'AVeryLongLogicalIdForTestingA1B2C3D4',
      40,
      '.fifo',
    );
    expect(name).toHaveLength(40);
    expect(
      name.endsWith(
        `-${stableToken('AVeryLongStackNameForTesting/AVeryLongLogicalIdForTestingA1B2C3D4')}.fifo`,
      ),
    ).toBe(true);
    expect(generatedName('S', 'L', 80)).toBe(generatedName('S', 'L', 80));
  });
});
