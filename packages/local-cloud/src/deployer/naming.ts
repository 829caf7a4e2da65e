import { createHash } from 'node:crypto';

/** Account, region and partition of the local cloud (LocalStack's conventions). */
export interface LocalEnvironment {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly urlSuffix: string;
}

/** The default local environment: account 000000000000 in us-east-1. */
export const DEFAULT_LOCAL_ENVIRONMENT: LocalEnvironment = {
  accountId: '000000000000',
  region: 'us-east-1',
  partition: 'aws',
  urlSuffix: 'amazonaws.com',
};

/** A stable pseudo-random token for a stack and logical id, so a re-deploy finds the same names. */
export const stableToken = (
  seed: string,
  length = 12,
  alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
): string => {
  const digest = createHash('sha256').update(seed).digest();
  return Array.from(digest.subarray(0, length), (byte) => alphabet[byte % alphabet.length]).join('');
};

/**
 * CloudFormation's generated physical name, `<stack>-<logicalId>-<TOKEN>`, shortened to `maxLength` (the stack
 * and logical id parts are cut, never the token) and ending with `suffix` (e.g. `.fifo`).
 */
export const generatedName = (
  stackName: string,
  logicalId: string,
  maxLength: number,
  suffix = '',
): string => {
  const token = stableToken(`${stackName}/${logicalId}`);
  const room = maxLength - token.length - suffix.length - 2;
  const stackPart = stackName.slice(0, Math.max(1, Math.floor(room / 2)));
  const logicalPart = logicalId.slice(0, Math.max(1, room - stackPart.length));
  return `${stackPart}-${logicalPart}-${token}${suffix}`;
};

/** `arn:<partition>:<service>:<region>:<account>:<resource>`; pass `''` for global services' region. */
export const localArn = (
  environment: LocalEnvironment,
  service: string,
  resource: string,
  region: string = environment.region,
): string => `arn:${environment.partition}:${service}:${region}:${environment.accountId}:${resource}`;

/** A stable UUID-shaped id (event source mappings). */
export const stableUuid = (seed: string): string => {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};
