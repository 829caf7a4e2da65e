import { AwsErrors } from './aws-errors.js';

/**
 * Readers for request members with AWS's validation wording. A missing required member or a broken length/pattern
 * constraint is a `ValidationException` ("1 validation error detected: Value null at 'name' failed to satisfy
 * constraint: Member must not be null"); a member of the wrong JSON type is a `SerializationException`.
 */
export type Input = Readonly<Record<string, unknown>>;

/** Constraints of a string member. */
export interface StringRule {
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: RegExp;
  /** The pattern as AWS's model writes it in constraint messages (default: the RegExp's source). */
  readonly patternText?: string;
}

/** The names AWS uses in these constraints: `[\.\-_A-Za-z0-9]+` up to 64 characters (rules, targets, archives). */
export const NAME_RULE: StringRule = {
  min: 1,
  max: 64,
  pattern: /^[.\-_A-Za-z0-9]+$/,
  patternText: '[\\.\\-_A-Za-z0-9]+',
};
/** Event bus names: `[/\.\-_A-Za-z0-9]+`, up to 256 characters. */
export const BUS_NAME_RULE: StringRule = {
  min: 1,
  max: 256,
  pattern: /^[/.\-_A-Za-z0-9]+$/,
  patternText: '[/\\.\\-_A-Za-z0-9]+',
};
/** Event bus name-or-ARN parameters: up to 1600 characters. */
export const BUS_REFERENCE_RULE: StringRule = {
  min: 1,
  max: 1600,
  pattern: /^(arn:aws[\w-]*:events:[a-z0-9-]+:\d{12}:event-bus\/)?[/.\-_A-Za-z0-9]+$/,
};

const memberPath = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

const check = (name: string, value: string, rule: StringRule): string => {
  const at = `Value '${value}' at '${memberPath(name)}' failed to satisfy constraint:`;
  if (rule.min !== undefined && value.length < rule.min) {
    throw AwsErrors.constraint(`${at} Member must have length greater than or equal to ${rule.min}`);
  }
  if (rule.max !== undefined && value.length > rule.max) {
    throw AwsErrors.constraint(`${at} Member must have length less than or equal to ${rule.max}`);
  }
  if (rule.pattern !== undefined && !rule.pattern.test(value)) {
    throw AwsErrors.constraint(
      `${at} Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`,
    );
  }
  return value;
};

const typeError = (name: string, expected: string) =>
  AwsErrors.serialization(`Value at '${memberPath(name)}' must be ${expected}`);

/** An optional string member. */
export const optionalString = (input: Input, name: string, rule: StringRule = {}): string | undefined => {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw typeError(name, 'a string');
  return check(name, value, rule);
};

/** A required string member. */
export const requiredString = (input: Input, name: string, rule: StringRule = {}): string => {
  const value = optionalString(input, name, rule);
  if (value === undefined) {
    throw AwsErrors.constraint(
      `Value null at '${memberPath(name)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
};

/** An optional integer member within [min, max]. */
export const optionalInteger = (input: Input, name: string, min: number, max: number): number | undefined => {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(name, 'an integer');
  const at = `Value '${value}' at '${memberPath(name)}' failed to satisfy constraint:`;
  if (value < min) throw AwsErrors.constraint(`${at} Member must have value greater than or equal to ${min}`);
  if (value > max) throw AwsErrors.constraint(`${at} Member must have value less than or equal to ${max}`);
  return value;
};

/** A required array member with between `min` and `max` elements (elements are checked by the caller). */
export const requiredArray = (input: Input, name: string, min: number, max: number): readonly unknown[] => {
  const value = input[name];
  if (value === undefined || value === null) {
    throw AwsErrors.constraint(
      `Value null at '${memberPath(name)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  if (!Array.isArray(value)) throw typeError(name, 'a list');
  const at = `Value '${JSON.stringify(value).slice(0, 200)}' at '${memberPath(name)}' failed to satisfy constraint:`;
  if (value.length < min)
    throw AwsErrors.constraint(`${at} Member must have length greater than or equal to ${min}`);
  if (value.length > max)
    throw AwsErrors.constraint(`${at} Member must have length less than or equal to ${max}`);
  return value;
};

/** An optional structure member. */
export const optionalObject = (input: Input, name: string): Input | undefined => {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw typeError(name, 'a structure');
  return value as Input;
};

/** A required structure member. */
export const requiredObject = (input: Input, name: string): Input => {
  const value = optionalObject(input, name);
  if (value === undefined) {
    throw AwsErrors.constraint(
      `Value null at '${memberPath(name)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
};

/**
 * A timestamp member as epoch milliseconds. The JSON protocol sends epoch seconds (what the SDKs and the CLI send);
 * ISO-8601 strings are accepted too.
 */
export const optionalTimestamp = (input: Input, name: string): number | undefined => {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const millis =
    typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(millis)) throw typeError(name, 'a timestamp');
  return millis;
};

/** A required timestamp member as epoch milliseconds. */
export const requiredTimestamp = (input: Input, name: string): number => {
  const value = optionalTimestamp(input, name);
  if (value === undefined) {
    throw AwsErrors.constraint(
      `Value null at '${memberPath(name)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
};

/** Epoch milliseconds as the JSON protocol's timestamp (epoch seconds). */
export const toEpochSeconds = (millis: number): number => millis / 1000;

/**
 * One page of `items` per `Limit` (1–100) and `NextToken` (an opaque offset this emulator issued); `NextToken` is
 * returned only when more items remain.
 */
export const paginate = <T>(
  input: Input,
  items: readonly T[],
): { page: readonly T[]; nextToken?: string } => {
  const limit = optionalInteger(input, 'Limit', 1, 100) ?? 100;
  const token = optionalString(input, 'NextToken', { max: 2048 });
  let offset = 0;
  if (token !== undefined) {
    const decoded = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (decoded === null) throw AwsErrors.validation('The NextToken provided is invalid.');
    offset = Number(decoded[1]);
  }
  const page = items.slice(offset, offset + limit);
  const next = offset + limit;
  return next < items.length
    ? { page, nextToken: Buffer.from(`offset:${next}`).toString('base64url') }
    : { page };
};
