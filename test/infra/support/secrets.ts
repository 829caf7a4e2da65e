import { SECRET_PLACEHOLDER_URL } from '../../../shared/secrets/placeholder';

/**
 * The two secrets as every deployed stack has them, pinned literally: logical id → `GenerateSecretString`.
 * CloudFormation generates a secret's value again when its `GenerateSecretString` changes, and a new logical id is a
 * new secret; either would overwrite (or abandon) the credentials an operator put in it. A test failing against
 * this table is a change that would wipe production credentials on the next deploy: do not "fix" the table.
 */
export const pinnedSecrets = {
  RedisSecretCB3BD971: {
    ExcludePunctuation: true,
    GenerateStringKey: 'token',
    PasswordLength: 40,
    SecretStringTemplate: '{"url":"https://replace-me.invalid"}',
  },
  PaymentGatewaySecretA18D2FE2: {
    ExcludePunctuation: true,
    GenerateStringKey: 'apiKey',
    PasswordLength: 40,
    SecretStringTemplate: '{"url":"https://replace-me.invalid"}',
  },
} as const;

/** The placeholder the pinned templates hold is the one the functions recognise. */
export const pinnedPlaceholderUrl = SECRET_PLACEHOLDER_URL;
