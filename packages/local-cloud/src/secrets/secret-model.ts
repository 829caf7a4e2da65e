import { randomInt, randomUUID } from 'node:crypto';
import { AwsServiceError } from '../support/aws-protocol.js';
import { optionalObjectList, optionalString } from '../support/input/coral.js';

/** The secrets Secrets Manager keeps: versions, staging labels, and their descriptions as the API returns them. */

/** One version of a secret's value. */
export interface SecretVersion {
  readonly id: string;
  readonly string: string | undefined;
  readonly binary: string | undefined;
  readonly created: number;
  stages: Set<string>;
}

/** A secret with its versions. Dates are epoch seconds, as the JSON protocol carries them. */
export interface Secret {
  readonly arn: string;
  readonly name: string;
  readonly created: number;
  description: string | undefined;
  kmsKeyId: string | undefined;
  tags: { Key: string; Value: string }[];
  versions: Map<string, SecretVersion>;
  lastChanged: number;
  lastAccessed: number | undefined;
  deletedDate: number | undefined;
}

export type Input = Readonly<Record<string, unknown>>;

/** The staging label of the current version. */
export const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';
const VERSIONS_KEPT = 100;
/** The characters a secret name may use. */
export const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]+$/;

/** Now, in epoch seconds. */
export const now = () => Date.now() / 1000;
/** An AWS-shaped 400 error. */
export const fail = (type: string, message: string) => new AwsServiceError(type, message);
/** Secrets Manager's error for an unknown secret. */
export const notFound = () =>
  fail('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
/** The random suffix AWS appends to a secret's ARN. */
export const suffix = () =>
  Array.from({ length: 6 }, () =>
    'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.charAt(randomInt(52)),
  ).join('');

/** The SecretString or SecretBinary of a request (never both). */
export const secretValue = (input: Input): { string?: string; binary?: string } => {
  const string = optionalString(input, 'SecretString', { maxLength: 65_536 });
  const binary = optionalString(input, 'SecretBinary', { maxLength: 87_384 });
  if (string !== undefined && binary !== undefined) {
    throw fail(
      'InvalidParameterException',
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  }
  return { ...(string === undefined ? {} : { string }), ...(binary === undefined ? {} : { binary }) };
};

/** The Tags of a request. */
export const tagsOf = (input: Input): { Key: string; Value: string }[] =>
  (optionalObjectList(input, 'Tags') ?? []).map((tag) => ({
    Key: String(tag.Key ?? ''),
    Value: String(tag.Value ?? ''),
  }));

/** Version ids to their staging labels. */
export const versionStages = (secret: Secret): Record<string, string[]> =>
  Object.fromEntries(
    [...secret.versions.values()].filter((v) => v.stages.size > 0).map((v) => [v.id, [...v.stages]]),
  );

/** The fields DescribeSecret and ListSecrets share. */
export const describe = (secret: Secret) => ({
  ARN: secret.arn,
  Name: secret.name,
  ...(secret.description === undefined ? {} : { Description: secret.description }),
  ...(secret.kmsKeyId === undefined ? {} : { KmsKeyId: secret.kmsKeyId }),
  RotationEnabled: false,
  LastChangedDate: secret.lastChanged,
  ...(secret.lastAccessed === undefined ? {} : { LastAccessedDate: secret.lastAccessed }),
  ...(secret.deletedDate === undefined ? {} : { DeletedDate: secret.deletedDate }),
  ...(secret.tags.length === 0 ? {} : { Tags: secret.tags }),
  CreatedDate: secret.created,
});

/** Adds a version and moves the staging labels it takes; the same token with the same value is a no-op. */
export const putVersion = (
  secret: Secret,
  value: { string?: string; binary?: string },
  token: string | undefined,
  stages: readonly string[],
): SecretVersion => {
  const id = token ?? randomUUID();
  const existing = secret.versions.get(id);
  if (existing !== undefined) {
    if (existing.string === value.string && existing.binary === value.binary) return existing;
    throw fail(
      'ResourceExistsException',
      "You can't modify an existing version, you can only create new versions.",
    );
  }
  const version: SecretVersion = {
    id,
    string: value.string,
    binary: value.binary,
    created: now(),
    stages: new Set(stages),
  };
  const current = [...secret.versions.values()].find((v) => v.stages.has(CURRENT));
  for (const other of secret.versions.values()) {
    for (const stage of stages) other.stages.delete(stage);
  }
  // The version that loses AWSCURRENT becomes AWSPREVIOUS, as a rotation would leave it.
  if (stages.includes(CURRENT) && current !== undefined) {
    for (const other of secret.versions.values()) other.stages.delete(PREVIOUS);
    current.stages.add(PREVIOUS);
  }
  secret.versions.set(id, version);
  for (const [oldId, old] of secret.versions) {
    if (secret.versions.size <= VERSIONS_KEPT) break;
    if (old.stages.size === 0) secret.versions.delete(oldId);
  }
  secret.lastChanged = now();
  return version;
};
