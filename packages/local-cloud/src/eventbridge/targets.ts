import { parseSqsArn } from './arns.js';
import { AwsErrors } from './aws-errors.js';
import type { TargetRecord } from './model.js';
import { PREDEFINED_VARIABLES, parseJsonPath, templatePlaceholders } from './transform.js';

/** AWS's default RetryPolicy: 185 attempts over 24 hours. */
export const DEFAULT_RETRY_POLICY = { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86_400 } as const;

/** A target refused by PutTargets, as a FailedEntries row (kept for failures AWS reports per entry). */
export interface TargetFailure {
  readonly TargetId: string;
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

type Raw = Readonly<Record<string, unknown>>;

const ID = /^[.\-_A-Za-z0-9]+$/;
const PATHS_MAP_KEY = /^[A-Za-z0-9_-]+$/;

const isObject = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Where a member sits in the request, as AWS names it in constraint errors: `targets.1.member.retryPolicy...`.
 * PutTargets validates every target before applying any: one broken constraint fails the whole call, with Smithy's
 * wording ("1 validation error detected: Value ... at 'targets.1.member.id' failed to satisfy constraint: ...").
 */
class Member {
  public constructor(private readonly path: string) {}

  public child(name: string): Member {
    return new Member(`${this.path}.${name.charAt(0).toLowerCase()}${name.slice(1)}`);
  }

  public violates(value: unknown, constraint: string): never {
    const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`;
    throw AwsErrors.constraint(
      `Value ${shown} at '${this.path}' failed to satisfy constraint: ${constraint}`,
    );
  }

  /** A string member within [min, max] characters, matching `pattern` when given; undefined when absent. */
  public string(
    raw: Raw,
    name: string,
    max: number,
    options: { min?: number; pattern?: RegExp; patternText?: string } = {},
  ) {
    const value = raw[name];
    const at = this.child(name);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw AwsErrors.serialization(`Value at '${at.path}' must be a string`);
    if (value.length < (options.min ?? 0)) {
      at.violates(value, `Member must have length greater than or equal to ${options.min}`);
    }
    if (value.length > max) at.violates(value, `Member must have length less than or equal to ${max}`);
    if (options.pattern !== undefined && !options.pattern.test(value)) {
      at.violates(
        value,
        `Member must satisfy regular expression pattern: ${options.patternText ?? options.pattern.source.slice(1, -1)}`,
      );
    }
    return value;
  }

  public required(
    raw: Raw,
    name: string,
    max: number,
    options: { min?: number; pattern?: RegExp; patternText?: string } = {},
  ) {
    const value = this.string(raw, name, max, options);
    if (value === undefined) this.child(name).violates(undefined, 'Member must not be null');
    return value as string;
  }

  public integer(raw: Raw, name: string, min: number, max: number): number | undefined {
    const value = raw[name];
    const at = this.child(name);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw AwsErrors.serialization(`Value at '${at.path}' must be an integer`);
    }
    if (value < min) at.violates(value, `Member must have value greater than or equal to ${min}`);
    if (value > max) at.violates(value, `Member must have value less than or equal to ${max}`);
    return value;
  }

  public object(raw: Raw, name: string): Raw | undefined {
    const value = raw[name];
    if (value === undefined || value === null) return undefined;
    if (!isObject(value))
      throw AwsErrors.serialization(`Value at '${this.child(name).path}' must be a structure`);
    return value;
  }
}

const invalid = (message: string): never => {
  throw AwsErrors.validation(message);
};

const ARN = /^arn:aws[\w-]*:[\w-]+:[\w-]*:\d{0,12}:.+$/;

const readTransformer = (raw: Raw, at: Member, id: string): NonNullable<TargetRecord['inputTransformer']> => {
  const template = at.required(raw, 'InputTemplate', 8192, { min: 1 });
  const pathsMap = at.object(raw, 'InputPathsMap') ?? {};
  const entries = Object.entries(pathsMap);
  if (entries.length > 100) {
    at.child('InputPathsMap').violates(
      `{${entries.length} entries}`,
      'Member must have length less than or equal to 100',
    );
  }
  const inputPathsMap: Record<string, string> = {};
  for (const [key, path] of entries) {
    if ((PREDEFINED_VARIABLES as readonly string[]).includes(key) || key.startsWith('aws.')) {
      invalid(`InputTransformer.InputPathsMap contains a reserved key: ${key}.`);
    }
    if (!PATHS_MAP_KEY.test(key) || key.length > 256) {
      at.child('InputPathsMap').violates(
        key,
        'Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [A-Za-z0-9\\_\\-]+]',
      );
    }
    if (typeof path !== 'string' || path.length > 256) {
      at.child('InputPathsMap').violates(path, 'Map value must have length less than or equal to 256');
    }
    if (parseJsonPath(path as string) === undefined) {
      invalid(`InputTransformer.InputPathsMap.${key} is not a valid JSON path: ${String(path)}.`);
    }
    inputPathsMap[key] = path as string;
  }
  const undefinedName = templatePlaceholders(template).find(
    (name) =>
      !Object.hasOwn(inputPathsMap, name) && !(PREDEFINED_VARIABLES as readonly string[]).includes(name),
  );
  if (undefinedName !== undefined) {
    invalid(`InputTemplate for target ${id} contains invalid placeholder ${undefinedName}.`);
  }
  return { inputTemplate: template, inputPathsMap };
};

const readInput = (
  raw: Raw,
  at: Member,
  id: string,
): Pick<TargetRecord, 'input' | 'inputPath' | 'inputTransformer'> => {
  const input = at.string(raw, 'Input', 8192);
  const inputPath = at.string(raw, 'InputPath', 256);
  const transformer = at.object(raw, 'InputTransformer');
  const given = [input, inputPath, transformer].filter((value) => value !== undefined).length;
  if (given > 1)
    invalid(`Only one of Input, InputPath, or InputTransformer must be provided for target ${id}.`);
  if (input !== undefined) {
    try {
      JSON.parse(input);
    } catch {
      invalid('Input is not valid JSON text.');
    }
    return { input };
  }
  if (inputPath !== undefined) {
    if (parseJsonPath(inputPath) === undefined) invalid(`InputPath is not a valid JSON path: ${inputPath}.`);
    return { inputPath };
  }
  if (transformer !== undefined) {
    return { inputTransformer: readTransformer(transformer, at.child('InputTransformer'), id) };
  }
  return {};
};

const readDeadLetterArn = (raw: Raw, at: Member): string | undefined => {
  const config = at.object(raw, 'DeadLetterConfig');
  if (config === undefined) return undefined;
  const arn = at.child('DeadLetterConfig').string(config, 'Arn', 1600, { min: 1 });
  if (arn === undefined) return undefined;
  const queue = parseSqsArn(arn);
  if (queue === undefined)
    invalid(`Parameter DeadLetterConfig.Arn is not valid. Reason: ${arn} is not an SQS queue ARN.`);
  if (queue?.name.endsWith('.fifo')) {
    invalid(
      'Parameter DeadLetterConfig.Arn is not valid. Reason: FIFO queues are not supported as dead-letter queues.',
    );
  }
  return arn;
};

const readMessageGroupId = (raw: Raw, id: string, arn: string, at: Member): string | undefined => {
  const parameters = at.object(raw, 'SqsParameters');
  const messageGroupId =
    parameters === undefined
      ? undefined
      : at.child('SqsParameters').string(parameters, 'MessageGroupId', 256);
  const queue = parseSqsArn(arn);
  if (parameters !== undefined && queue === undefined) {
    invalid(`Parameter SqsParameters is not valid. Reason: target ${id} is not an SQS queue.`);
  }
  if (queue?.name.endsWith('.fifo') && messageGroupId === undefined) {
    invalid(`Parameter(s) SqsParameters must be specified for target: ${id}.`);
  }
  return messageGroupId;
};

/** The target in the API's shape, keeping only what this emulator understands and honours. */
const describe = (raw: Raw): Record<string, unknown> => {
  const kept = [
    'Id',
    'Arn',
    'RoleArn',
    'Input',
    'InputPath',
    'InputTransformer',
    'DeadLetterConfig',
    'RetryPolicy',
    'SqsParameters',
  ];
  return Object.fromEntries(
    kept.filter((key) => raw[key] !== undefined && raw[key] !== null).map((key) => [key, raw[key]]),
  );
};

/**
 * Validates the PutTargets entry at `index` (0-based) into a target, or throws the ValidationException AWS answers
 * for the whole call: a broken member constraint in Smithy's words, or a target AWS cannot use.
 */
export const parseTarget = (raw: unknown, index: number): TargetRecord => {
  const at = new Member(`targets.${index + 1}.member`);
  if (!isObject(raw))
    throw AwsErrors.serialization(`Value at 'targets.${index + 1}.member' must be a structure`);
  const id = at.required(raw, 'Id', 64, { min: 1, pattern: ID, patternText: '[\\.\\-_A-Za-z0-9]+' });
  const arn = at.required(raw, 'Arn', 1600, { min: 1 });
  if (!ARN.test(arn))
    invalid(`Parameter ${arn} is not valid. Reason: Provided Arn is not in correct format.`);
  at.string(raw, 'RoleArn', 1600, { min: 1 });
  const retryPolicy = at.object(raw, 'RetryPolicy') ?? {};
  const retryAt = at.child('RetryPolicy');
  const maximumRetryAttempts = retryAt.integer(retryPolicy, 'MaximumRetryAttempts', 0, 185);
  const maximumEventAgeInSeconds = retryAt.integer(retryPolicy, 'MaximumEventAgeInSeconds', 60, 86_400);
  const input = readInput(raw, at, id);
  const deadLetterArn = readDeadLetterArn(raw, at);
  const messageGroupId = readMessageGroupId(raw, id, arn, at);
  return {
    id,
    arn,
    ...input,
    ...(deadLetterArn === undefined ? {} : { deadLetterArn }),
    ...(messageGroupId === undefined ? {} : { messageGroupId }),
    maximumRetryAttempts: maximumRetryAttempts ?? DEFAULT_RETRY_POLICY.maximumRetryAttempts,
    maximumEventAgeInSeconds: maximumEventAgeInSeconds ?? DEFAULT_RETRY_POLICY.maximumEventAgeInSeconds,
    description: describe(raw),
  };
};
