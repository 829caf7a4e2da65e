import { parseSqsArn } from './arns';
import type { TargetRecord } from './model';
import { PREDEFINED_VARIABLES, parseJsonPath } from './transform';

/** AWS's default RetryPolicy: 185 attempts over 24 hours. */
export const DEFAULT_RETRY_POLICY = { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86_400 } as const;

/** A target refused by PutTargets, reported in FailedEntries rather than failing the whole call. */
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

class Invalid extends Error {}

const fail = (message: string): never => {
  throw new Invalid(message);
};

const stringMember = (raw: Raw, name: string, max: number): string | undefined => {
  const value = raw[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > max) {
    fail(`Parameter ${name} is not valid. Reason: it must be a string of at most ${max} characters.`);
  }
  return value as string;
};

const objectMember = (raw: Raw, name: string): Raw | undefined => {
  const value = raw[name];
  if (value === undefined || value === null) return undefined;
  return isObject(value) ? value : fail(`Parameter ${name} is not valid. Reason: it must be an object.`);
};

const jsonPath = (name: string, path: string): string =>
  parseJsonPath(path) === undefined
    ? fail(`Parameter ${name} is not valid. Reason: ${path} is not a valid JSON path.`)
    : path;

const integerIn = (raw: Raw, name: string, min: number, max: number): number | undefined => {
  const value = raw[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(`Parameter RetryPolicy.${name} is not valid. Reason: it must be an integer from ${min} to ${max}.`);
  }
  return value as number;
};

const readTransformer = (raw: Raw): NonNullable<TargetRecord['inputTransformer']> => {
  const template = stringMember(raw, 'InputTemplate', 8192);
  if (template === undefined || template === '') {
    return fail('Parameter InputTransformer.InputTemplate is not valid. Reason: InputTemplate is required.');
  }
  const pathsMap = objectMember(raw, 'InputPathsMap') ?? {};
  const entries = Object.entries(pathsMap);
  if (entries.length > 100)
    fail('Parameter InputTransformer.InputPathsMap is not valid. Reason: at most 100 entries.');
  const inputPathsMap: Record<string, string> = {};
  for (const [key, path] of entries) {
    if ((PREDEFINED_VARIABLES as readonly string[]).includes(key) || key.startsWith('aws.')) {
      fail(`InputTransformer.InputPathsMap key ${key} is reserved.`);
    }
    if (!PATHS_MAP_KEY.test(key) || key.length > 256)
      fail(`InputTransformer.InputPathsMap key ${key} is not valid.`);
    if (typeof path !== 'string') fail(`InputTransformer.InputPathsMap value of ${key} must be a string.`);
    inputPathsMap[key] = jsonPath(`InputTransformer.InputPathsMap.${key}`, path as string);
  }
  return { inputTemplate: template, inputPathsMap };
};

const readInput = (raw: Raw): Pick<TargetRecord, 'input' | 'inputPath' | 'inputTransformer'> => {
  const input = stringMember(raw, 'Input', 8192);
  const inputPath = stringMember(raw, 'InputPath', 256);
  const transformer = objectMember(raw, 'InputTransformer');
  const given = [input, inputPath, transformer].filter((value) => value !== undefined).length;
  if (given > 1) fail('Only one of Input, InputPath, or InputTransformer can be specified.');
  if (input !== undefined) {
    try {
      JSON.parse(input);
    } catch {
      fail('Parameter Input is not valid. Reason: Input is not valid JSON text.');
    }
    return { input };
  }
  if (inputPath !== undefined) return { inputPath: jsonPath('InputPath', inputPath) };
  if (transformer !== undefined) return { inputTransformer: readTransformer(transformer) };
  return {};
};

const readDeadLetterArn = (raw: Raw): string | undefined => {
  const config = objectMember(raw, 'DeadLetterConfig');
  if (config === undefined) return undefined;
  const arn = stringMember(config, 'Arn', 1600);
  if (arn === undefined) return undefined;
  const queue = parseSqsArn(arn);
  if (queue === undefined)
    fail(`Parameter DeadLetterConfig.Arn is not valid. Reason: ${arn} is not an SQS queue ARN.`);
  if (queue?.name.endsWith('.fifo')) {
    fail(
      'Parameter DeadLetterConfig.Arn is not valid. Reason: FIFO queues are not supported as dead-letter queues.',
    );
  }
  return arn;
};

const readMessageGroupId = (raw: Raw, id: string, arn: string): string | undefined => {
  const parameters = objectMember(raw, 'SqsParameters');
  const messageGroupId =
    parameters === undefined ? undefined : stringMember(parameters, 'MessageGroupId', 256);
  const queue = parseSqsArn(arn);
  if (parameters !== undefined && queue === undefined) {
    fail(`Parameter SqsParameters is not valid. Reason: target ${id} is not an SQS queue.`);
  }
  if (queue?.name.endsWith('.fifo') && messageGroupId === undefined) {
    fail(`Parameter(s) SqsParameters must be specified for target: ${id}.`);
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
 * Validates one PutTargets entry into a target, or into the FailedEntries row AWS would report for it (the other
 * entries of the call still apply).
 */
export const parseTarget = (raw: unknown): { target: TargetRecord } | { failure: TargetFailure } => {
  const id = isObject(raw) && typeof raw.Id === 'string' ? raw.Id : '';
  try {
    if (!isObject(raw)) return fail('Each target must be an object.');
    if (id === '' || id.length > 64 || !ID.test(id))
      fail('Parameter Id is not valid. Reason: [.\\-_A-Za-z0-9]{1,64} required.');
    const arn = stringMember(raw, 'Arn', 1600);
    if (arn === undefined || arn === '') return fail('Parameter Arn is not valid. Reason: Arn is required.');
    const retryPolicy = objectMember(raw, 'RetryPolicy') ?? {};
    const maximumRetryAttempts = integerIn(retryPolicy, 'MaximumRetryAttempts', 0, 185);
    const maximumEventAgeInSeconds = integerIn(retryPolicy, 'MaximumEventAgeInSeconds', 60, 86_400);
    const deadLetterArn = readDeadLetterArn(raw);
    const messageGroupId = readMessageGroupId(raw, id, arn);
    const target: TargetRecord = {
      id,
      arn,
      ...readInput(raw),
      ...(deadLetterArn === undefined ? {} : { deadLetterArn }),
      ...(messageGroupId === undefined ? {} : { messageGroupId }),
      maximumRetryAttempts: maximumRetryAttempts ?? DEFAULT_RETRY_POLICY.maximumRetryAttempts,
      maximumEventAgeInSeconds: maximumEventAgeInSeconds ?? DEFAULT_RETRY_POLICY.maximumEventAgeInSeconds,
      description: describe(raw),
    };
    return { target };
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    return { failure: { TargetId: id, ErrorCode: 'ValidationException', ErrorMessage: error.message } };
  }
};
