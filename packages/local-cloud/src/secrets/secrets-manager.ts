import type { JsonProtocolService, JsonServiceRequest } from '../support/aws-protocol.js';
import {
  optionalBoolean,
  optionalInteger,
  optionalObjectList,
  optionalString,
  optionalStringList,
  requireString,
} from '../support/input/coral.js';
import { type RandomPasswordOptions, randomPassword } from './random-password.js';
import {
  CURRENT,
  describe,
  fail,
  type Input,
  notFound,
  now,
  putVersion,
  SECRET_NAME,
  type Secret,
  secretValue,
  suffix,
  tagsOf,
  versionStages,
} from './secret-model.js';

/**
 * Secrets Manager in memory, with AWS's semantics for what the functions and the deployer use: secrets with
 * versions and staging labels (AWSCURRENT / AWSPREVIOUS), idempotent ClientRequestTokens, scheduled and forced
 * deletion, partial-ARN lookups, ListSecrets filters, GetRandomPassword. State is per region.
 */
/** Creates an in-memory Secrets Manager (target prefix `secretsmanager`). */
export const createSecretsManager = (): JsonProtocolService => {
  const regions = new Map<string, Map<string, Secret>>();
  const secretsOf = (region: string) => {
    let secrets = regions.get(region);
    if (secrets === undefined) {
      secrets = new Map();
      regions.set(region, secrets);
    }
    return secrets;
  };

  /** Finds a secret by name, full ARN or ARN without its random suffix. */
  const find = (request: JsonServiceRequest, { allowDeleted = false } = {}): Secret => {
    const id = requireString(request.input, 'SecretId', { maxLength: 2048 });
    const secrets = secretsOf(request.region);
    const secret =
      secrets.get(id) ??
      [...secrets.values()].find(
        (s) => s.arn === id || (s.arn.startsWith(`${id}-`) && s.arn.length === id.length + 7),
      );
    if (secret === undefined) throw notFound();
    if (secret.deletedDate !== undefined && !allowDeleted) {
      throw fail(
        'InvalidRequestException',
        "You can't perform this operation on the secret because it was marked for deletion.",
      );
    }
    return secret;
  };

  const actions: Record<string, (request: JsonServiceRequest) => Input> = {
    CreateSecret: (request) => {
      const { input, region, accountId } = request;
      const name = requireString(input, 'Name', { maxLength: 512 });
      if (!SECRET_NAME.test(name))
        throw fail(
          'ValidationException',
          'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
        );
      const secrets = secretsOf(region);
      const existing = secrets.get(name);
      if (existing?.deletedDate !== undefined) {
        throw fail(
          'InvalidRequestException',
          "You can't create this secret because a secret with this name is already scheduled for deletion.",
        );
      }
      if (existing !== undefined)
        throw fail(
          'ResourceExistsException',
          `The operation failed because the secret ${name} already exists.`,
        );
      const value = secretValue(input);
      const created = now();
      const secret: Secret = {
        arn: `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${suffix()}`,
        name,
        created,
        description: optionalString(input, 'Description', { maxLength: 2048 }),
        kmsKeyId: optionalString(input, 'KmsKeyId'),
        tags: tagsOf(input),
        versions: new Map(),
        lastChanged: created,
        lastAccessed: undefined,
        deletedDate: undefined,
      };
      const token = optionalString(input, 'ClientRequestToken', { minLength: 32, maxLength: 64 });
      const version =
        value.string === undefined && value.binary === undefined
          ? undefined
          : putVersion(secret, value, token, [CURRENT]);
      secrets.set(name, secret);
      return { ARN: secret.arn, Name: name, ...(version === undefined ? {} : { VersionId: version.id }) };
    },
    GetSecretValue: (request) => {
      const secret = find(request);
      const versionId = optionalString(request.input, 'VersionId');
      const stage =
        optionalString(request.input, 'VersionStage') ?? (versionId === undefined ? CURRENT : undefined);
      const version = [...secret.versions.values()].find(
        (v) =>
          (versionId === undefined || v.id === versionId) && (stage === undefined || v.stages.has(stage)),
      );
      if (version === undefined) {
        const which = versionId === undefined ? `staging label: ${stage}` : `VersionId: ${versionId}`;
        throw fail(
          'ResourceNotFoundException',
          `Secrets Manager can't find the specified secret value for ${which}`,
        );
      }
      secret.lastAccessed = Math.floor(now() / 86_400) * 86_400;
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.id,
        ...(version.string === undefined ? {} : { SecretString: version.string }),
        ...(version.binary === undefined ? {} : { SecretBinary: version.binary }),
        VersionStages: [...version.stages],
        CreatedDate: version.created,
      };
    },
    PutSecretValue: (request) => {
      const secret = find(request);
      const value = secretValue(request.input);
      if (value.string === undefined && value.binary === undefined) {
        throw fail('InvalidRequestException', 'You must provide either SecretString or SecretBinary.');
      }
      const token = optionalString(request.input, 'ClientRequestToken', { minLength: 32, maxLength: 64 });
      const stages = optionalStringList(request.input, 'VersionStages', { minItems: 1, maxItems: 20 }) ?? [
        CURRENT,
      ];
      const version = putVersion(secret, value, token, stages);
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.id,
        VersionStages: [...version.stages],
      };
    },
    UpdateSecret: (request) => {
      const secret = find(request);
      const description = optionalString(request.input, 'Description', { maxLength: 2048 });
      const kmsKeyId = optionalString(request.input, 'KmsKeyId');
      if (description !== undefined) secret.description = description;
      if (kmsKeyId !== undefined) secret.kmsKeyId = kmsKeyId;
      const value = secretValue(request.input);
      const token = optionalString(request.input, 'ClientRequestToken', { minLength: 32, maxLength: 64 });
      const version =
        value.string === undefined && value.binary === undefined
          ? undefined
          : putVersion(secret, value, token, [CURRENT]);
      secret.lastChanged = now();
      return {
        ARN: secret.arn,
        Name: secret.name,
        ...(version === undefined ? {} : { VersionId: version.id }),
      };
    },
    DescribeSecret: (request) => {
      const secret = find(request, { allowDeleted: true });
      return { ...describe(secret), VersionIdsToStages: versionStages(secret) };
    },
    ListSecrets: ({ input, region }) => {
      const maxResults = optionalInteger(input, 'MaxResults', { min: 1, max: 100 }) ?? 100;
      const offset =
        Number.parseInt(
          Buffer.from(optionalString(input, 'NextToken') ?? '', 'base64').toString('utf8') || '0',
          10,
        ) || 0;
      const includeDeleted = optionalBoolean(input, 'IncludePlannedDeletion') ?? false;
      const filters = (optionalObjectList(input, 'Filters') ?? []).map((filter) => ({
        key: String(filter.Key ?? ''),
        values: Array.isArray(filter.Values) ? filter.Values.map(String) : [],
      }));
      const matches = (secret: Secret) =>
        filters.every(({ key, values }) => {
          const fields = {
            name: [secret.name],
            description: [secret.description ?? ''],
            'tag-key': secret.tags.map((tag) => tag.Key),
            'tag-value': secret.tags.map((tag) => tag.Value),
          } as Record<string, string[]>;
          const candidates = key === 'all' ? Object.values(fields).flat() : (fields[key] ?? []);
          return values.some((value) =>
            value.startsWith('!')
              ? !candidates.some((c) => c.startsWith(value.slice(1)))
              : candidates.some((c) => c.startsWith(value)),
          );
        });
      const descending = optionalString(input, 'SortOrder') === 'desc';
      const all = [...secretsOf(region).values()]
        .filter((secret) => (includeDeleted || secret.deletedDate === undefined) && matches(secret))
        .sort(
          (a, b) =>
            (descending ? b.created - a.created : a.created - b.created) || a.name.localeCompare(b.name),
        );
      const page = all.slice(offset, offset + maxResults);
      const more = offset + maxResults < all.length;
      return {
        SecretList: page.map((secret) => ({
          ...describe(secret),
          SecretVersionsToStages: versionStages(secret),
        })),
        ...(more ? { NextToken: Buffer.from(String(offset + maxResults), 'utf8').toString('base64') } : {}),
      };
    },
    DeleteSecret: (request) => {
      const secret = find(request, { allowDeleted: true });
      const window = optionalInteger(request.input, 'RecoveryWindowInDays', { min: 7, max: 30 });
      const force = optionalBoolean(request.input, 'ForceDeleteWithoutRecovery') ?? false;
      if (force && window !== undefined) {
        throw fail(
          'InvalidParameterException',
          "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
        );
      }
      if (force) {
        secretsOf(request.region).delete(secret.name);
        return { ARN: secret.arn, Name: secret.name, DeletionDate: now() };
      }
      secret.deletedDate ??= now();
      return {
        ARN: secret.arn,
        Name: secret.name,
        DeletionDate: secret.deletedDate + (window ?? 30) * 86_400,
      };
    },
    RestoreSecret: (request) => {
      const secret = find(request, { allowDeleted: true });
      secret.deletedDate = undefined;
      return { ARN: secret.arn, Name: secret.name };
    },
    TagResource: (request) => {
      const secret = find(request);
      const added = tagsOf(request.input);
      secret.tags = [...secret.tags.filter((tag) => !added.some((a) => a.Key === tag.Key)), ...added];
      return {};
    },
    UntagResource: (request) => {
      const secret = find(request);
      const keys = optionalStringList(request.input, 'TagKeys') ?? [];
      secret.tags = secret.tags.filter((tag) => !keys.includes(tag.Key));
      return {};
    },
    GetRandomPassword: ({ input }) => {
      const flag = (name: string) => optionalBoolean(input, name);
      const options: RandomPasswordOptions = {
        PasswordLength: optionalInteger(input, 'PasswordLength', { min: 1, max: 4096 }),
        ExcludeCharacters: optionalString(input, 'ExcludeCharacters', { maxLength: 4096 }),
        ExcludeNumbers: flag('ExcludeNumbers'),
        ExcludePunctuation: flag('ExcludePunctuation'),
        ExcludeUppercase: flag('ExcludeUppercase'),
        ExcludeLowercase: flag('ExcludeLowercase'),
        IncludeSpace: flag('IncludeSpace'),
        RequireEachIncludedType: flag('RequireEachIncludedType'),
      };
      return { RandomPassword: randomPassword(options) };
    },
  };

  return {
    signingName: 'secretsmanager',
    targetPrefix: 'secretsmanager',
    handle: async (request) => {
      // Own keys only: `constructor` or `toString` must not reach Object.prototype.
      const action = Object.hasOwn(actions, request.action) ? actions[request.action] : undefined;
      if (action === undefined) {
        throw fail(
          'UnknownOperationException',
          `Secrets Manager has no action ${request.action} in the local cloud.`,
        );
      }
      return { status: 200, body: action(request) };
    },
  };
};
