import { AwsServiceError } from './aws-protocol.js';

/**
 * Typed readers for the members of a JSON-protocol request body. They answer bad input the way AWS's request
 * validation does: a 400 `ValidationException` naming the member, never a crash or a silently ignored value.
 */

type Input = Readonly<Record<string, unknown>>;

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

/** The AWS (coral) validation error for one member. */
export const validationError = (member: string, value: unknown, constraint: string): AwsServiceError =>
  new AwsServiceError(
    'ValidationException',
    `1 validation error detected: Value ${value === undefined ? 'null' : JSON.stringify(value)} at '${lowerFirst(member)}' failed to satisfy constraint: ${constraint}`,
  );

/** A string member that may be absent; throws when present with another type or out of its length bounds. */
export const optionalString = (
  input: Input,
  member: string,
  { minLength = 0, maxLength = Number.MAX_SAFE_INTEGER } = {},
): string | undefined => {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validationError(member, value, 'Member must be a string');
  if (value.length < minLength || value.length > maxLength) {
    throw validationError(
      member,
      value,
      `Member must have length between ${minLength} and ${maxLength === Number.MAX_SAFE_INTEGER ? 'unbounded' : maxLength}`,
    );
  }
  return value;
};

/** A required string member (non-empty unless `minLength: 0` is asked for). */
export const requireString = (
  input: Input,
  member: string,
  bounds: { minLength?: number; maxLength?: number } = {},
): string => {
  const value = optionalString(input, member, { minLength: 1, ...bounds });
  if (value === undefined) throw validationError(member, undefined, 'Member must not be null');
  return value;
};

/** An integer member that may be absent; throws when present and not an integer within the bounds. */
export const optionalInteger = (
  input: Input,
  member: string,
  { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = {},
): number | undefined => {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw validationError(member, value, 'Member must be an integer');
  }
  if (value < min)
    throw validationError(member, value, `Member must have value greater than or equal to ${min}`);
  if (value > max)
    throw validationError(member, value, `Member must have value less than or equal to ${max}`);
  return value;
};

/** A boolean member that may be absent. */
export const optionalBoolean = (input: Input, member: string): boolean | undefined => {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw validationError(member, value, 'Member must be a boolean');
  return value;
};

/** A list of strings that may be absent, with bounds on its size. */
export const optionalStringList = (
  input: Input,
  member: string,
  { minItems = 0, maxItems = Number.MAX_SAFE_INTEGER } = {},
): string[] | undefined => {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw validationError(member, value, 'Member must be a list of strings');
  }
  if (value.length < minItems || value.length > maxItems) {
    throw validationError(member, value, `Member must have length between ${minItems} and ${maxItems}`);
  }
  return value;
};

/** A list of objects that may be absent. */
export const optionalObjectList = (input: Input, member: string): Record<string, unknown>[] | undefined => {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every(isRecord)) {
    throw validationError(member, value, 'Member must be a list of structures');
  }
  return value;
};

/** Whether a value is a plain JSON object. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
