import { createHash } from 'node:crypto';
import {
  AwsServiceError,
  type JsonProtocolService,
  type JsonServiceRequest,
} from '../support/aws-protocol.js';
import {
  optionalBoolean,
  optionalInteger,
  optionalObjectList,
  optionalString,
  requireString,
  validationError,
} from '../support/input/coral.js';

/**
 * SSM Parameter Store in memory: String, StringList and SecureString parameters with versions, `name:version`
 * selectors, Overwrite semantics, hierarchies (GetParametersByPath, recursive or one level), AllowedPattern, and
 * AWS's errors. SecureString values come back as an opaque token unless WithDecryption is true, as on AWS, so code
 * that forgets to decrypt fails locally too. State is per region.
 */

const TYPES = ['String', 'StringList', 'SecureString'] as const;
type ParameterType = (typeof TYPES)[number];

interface ParameterVersion {
  readonly version: number;
  readonly value: string;
  readonly type: ParameterType;
  readonly description: string | undefined;
  readonly keyId: string | undefined;
  readonly allowedPattern: string | undefined;
  readonly dataType: string;
  readonly tier: string;
  readonly lastModified: number;
}

type Input = Readonly<Record<string, unknown>>;

const NAME = /^[a-zA-Z0-9_.\-/]+$/;
const MAX_LEVELS = 15;
const VERSIONS_KEPT = 100;
const TIER_LIMITS: Readonly<Record<string, number>> = {
  Standard: 4096,
  Advanced: 8192,
  'Intelligent-Tiering': 8192,
};

const fail = (type: string, message: string) => new AwsServiceError(type, message);
const notFound = (name: string) => fail('ParameterNotFound', `Parameter ${name} not found.`);

/** Checks a parameter name as PutParameter does. */
const checkName = (name: string): void => {
  if (!NAME.test(name)) {
    throw fail(
      'ValidationException',
      'Parameter name: can only contain letters, numbers and the symbols _ . - /',
    );
  }
  const top = (name.startsWith('/') ? name.slice(1) : name).toLowerCase();
  if (top.startsWith('aws') || top.startsWith('ssm')) {
    throw fail(
      'ValidationException',
      'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).',
    );
  }
  if (name.includes('/') && !name.startsWith('/')) {
    throw fail(
      'ValidationException',
      'Parameter name must be a fully qualified name: a hierarchy begins with a forward slash (/).',
    );
  }
  if (name.split('/').filter(Boolean).length > MAX_LEVELS) {
    throw fail(
      'HierarchyLevelLimitExceededException',
      `A parameter hierarchy can have at most ${MAX_LEVELS} levels.`,
    );
  }
};

/** Whether a value matches an AllowedPattern (a whole-value regular expression). */
const matchesPattern = (pattern: string, value: string): boolean => {
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${pattern})$`);
  } catch {
    throw fail('ValidationException', `AllowedPattern ${pattern} is not a valid regular expression.`);
  }
  return regex.test(value);
};

/** Splits `name:selector` (a version number or label) after the last path segment's colon. */
const parseSelector = (raw: string): { name: string; version?: number } => {
  const colon = raw.lastIndexOf(':');
  if (colon <= raw.lastIndexOf('/') || colon < 0) return { name: raw };
  const selector = raw.slice(colon + 1);
  const version = Number(selector);
  if (!Number.isInteger(version) || version < 1)
    throw fail('ParameterVersionLabelNotFound', `Label ${selector} was not found.`);
  return { name: raw.slice(0, colon), version };
};

/** Creates an in-memory SSM Parameter Store (target prefix `AmazonSSM`). */
export const createSsmParameterStore = (): JsonProtocolService => {
  const regions = new Map<string, Map<string, ParameterVersion[]>>();
  const storeOf = (region: string) => {
    let store = regions.get(region);
    if (store === undefined) {
      store = new Map();
      regions.set(region, store);
    }
    return store;
  };

  const view = (request: JsonServiceRequest, name: string, version: ParameterVersion, selector?: string) => {
    const decrypt = optionalBoolean(request.input, 'WithDecryption') ?? false;
    const value =
      version.type === 'SecureString' && !decrypt
        ? createHash('sha256').update(`${name}:${version.version}:${version.value}`).digest('base64')
        : version.value;
    return {
      Name: name,
      Type: version.type,
      Value: value,
      Version: version.version,
      ...(selector === undefined ? {} : { Selector: selector }),
      LastModifiedDate: version.lastModified,
      ARN: `arn:aws:ssm:${request.region}:${request.accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
      DataType: version.dataType,
    };
  };

  /** The parameter a (possibly selector-bearing) name designates; undefined when it does not exist. */
  const lookup = (request: JsonServiceRequest, raw: string) => {
    const { name, version } = parseSelector(raw);
    const versions = storeOf(request.region).get(name);
    if (versions === undefined) return undefined;
    const chosen = version === undefined ? versions.at(-1) : versions.find((v) => v.version === version);
    if (chosen === undefined) {
      throw fail(
        'ParameterVersionNotFound',
        `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`,
      );
    }
    return view(request, name, chosen, version === undefined ? undefined : `:${version}`);
  };

  const actions: Record<string, (request: JsonServiceRequest) => Input> = {
    PutParameter: (request) => {
      const { input } = request;
      const name = requireString(input, 'Name', { maxLength: 2048 });
      checkName(name);
      const value = requireString(input, 'Value');
      const overwrite = optionalBoolean(input, 'Overwrite') ?? false;
      const tags = optionalObjectList(input, 'Tags');
      if (overwrite && tags !== undefined && tags.length > 0) {
        throw fail(
          'ValidationException',
          "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
        );
      }
      const type = optionalString(input, 'Type');
      if (type !== undefined && !TYPES.includes(type as ParameterType)) {
        throw validationError('Type', type, `Member must satisfy enum value set: [${TYPES.join(', ')}]`);
      }
      const store = storeOf(request.region);
      const versions = store.get(name) ?? [];
      const latest = versions.at(-1);
      if (latest !== undefined && !overwrite) {
        throw fail(
          'ParameterAlreadyExists',
          'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
        );
      }
      const resolvedType = (type ?? latest?.type) as ParameterType | undefined;
      if (resolvedType === undefined)
        throw fail('ValidationException', 'A parameter type is required when you create a parameter.');
      const tier = optionalString(input, 'Tier') ?? latest?.tier ?? 'Standard';
      const limit = TIER_LIMITS[tier];
      if (limit === undefined)
        throw validationError(
          'Tier',
          tier,
          'Member must satisfy enum value set: [Standard, Advanced, Intelligent-Tiering]',
        );
      if (value.length > limit) {
        throw fail(
          'ValidationException',
          `${tier} tier parameters support a maximum parameter value of ${limit} characters.`,
        );
      }
      const allowedPattern =
        optionalString(input, 'AllowedPattern', { maxLength: 1024 }) ?? latest?.allowedPattern;
      if (allowedPattern !== undefined && !matchesPattern(allowedPattern, value)) {
        throw fail(
          'ParameterPatternMismatchException',
          `Parameter value failed to satisfy constraint specified in the parameter definition: ${allowedPattern}`,
        );
      }
      const version: ParameterVersion = {
        version: (latest?.version ?? 0) + 1,
        value,
        type: resolvedType,
        description: optionalString(input, 'Description', { maxLength: 1024 }) ?? latest?.description,
        keyId: optionalString(input, 'KeyId') ?? latest?.keyId,
        allowedPattern,
        dataType: optionalString(input, 'DataType') ?? latest?.dataType ?? 'text',
        tier,
        lastModified: Date.now() / 1000,
      };
      store.set(name, [...versions, version].slice(-VERSIONS_KEPT));
      return { Version: version.version, Tier: tier };
    },
    GetParameter: (request) => {
      const raw = requireString(request.input, 'Name', { maxLength: 2048 });
      const parameter = lookup(request, raw);
      if (parameter === undefined) throw notFound(raw);
      return { Parameter: parameter };
    },
    GetParameters: (request) => {
      const names = request.input.Names;
      if (
        !Array.isArray(names) ||
        names.length < 1 ||
        names.length > 10 ||
        !names.every((n) => typeof n === 'string')
      ) {
        throw validationError('Names', names, 'Member must have length between 1 and 10');
      }
      const found = names.map((name) => ({ name, parameter: lookup(request, name) }));
      return {
        Parameters: found.flatMap(({ parameter }) => (parameter === undefined ? [] : [parameter])),
        InvalidParameters: found.filter(({ parameter }) => parameter === undefined).map(({ name }) => name),
      };
    },
    GetParametersByPath: (request) => {
      const { input } = request;
      const path = requireString(input, 'Path', { maxLength: 2048 });
      if (!path.startsWith('/'))
        throw fail('ValidationException', 'The parameter path must begin with a forward slash (/).');
      const recursive = optionalBoolean(input, 'Recursive') ?? false;
      const maxResults = optionalInteger(input, 'MaxResults', { min: 1, max: 10 }) ?? 10;
      const offset =
        Number(Buffer.from(optionalString(input, 'NextToken') ?? '', 'base64').toString('utf8') || '0') || 0;
      const typeFilter = (optionalObjectList(input, 'ParameterFilters') ?? []).find((f) => f.Key === 'Type');
      const types = Array.isArray(typeFilter?.Values) ? typeFilter.Values.map(String) : undefined;
      const prefix = path.endsWith('/') ? path : `${path}/`;
      const matching = [...storeOf(request.region).entries()]
        .filter(([name, versions]) => {
          if (!name.startsWith(prefix) || name.length === prefix.length) return false;
          if (!recursive && name.slice(prefix.length).includes('/')) return false;
          const type = versions.at(-1)?.type;
          return types === undefined || (type !== undefined && types.includes(type));
        })
        .sort(([a], [b]) => a.localeCompare(b));
      const page = matching.slice(offset, offset + maxResults);
      const more = offset + maxResults < matching.length;
      return {
        Parameters: page.flatMap(([name, versions]) => {
          const latest = versions.at(-1);
          return latest === undefined ? [] : [view(request, name, latest)];
        }),
        ...(more ? { NextToken: Buffer.from(String(offset + maxResults), 'utf8').toString('base64') } : {}),
      };
    },
    DeleteParameter: (request) => {
      const name = requireString(request.input, 'Name', { maxLength: 2048 });
      if (!storeOf(request.region).delete(name)) throw notFound(name);
      return {};
    },
    DeleteParameters: (request) => {
      const names = request.input.Names;
      if (
        !Array.isArray(names) ||
        names.length < 1 ||
        names.length > 10 ||
        !names.every((n) => typeof n === 'string')
      ) {
        throw validationError('Names', names, 'Member must have length between 1 and 10');
      }
      const store = storeOf(request.region);
      const deleted = names.filter((name) => store.delete(name));
      return {
        DeletedParameters: deleted,
        InvalidParameters: names.filter((name) => !deleted.includes(name)),
      };
    },
  };

  return {
    signingName: 'ssm',
    targetPrefix: 'AmazonSSM',
    handle: async (request) => {
      // Own keys only: `constructor` or `toString` must not reach Object.prototype.
      const action = Object.hasOwn(actions, request.action) ? actions[request.action] : undefined;
      if (action === undefined) {
        throw fail('UnknownOperationException', `SSM has no action ${request.action} in the local cloud.`);
      }
      return { status: 200, body: action(request) };
    },
  };
};
