import { AwsServiceError } from '../aws-protocol.js';
import {
  type Bounds,
  type Input,
  type InputDialect,
  isRecord,
  memberPath,
  memberReaders,
} from './members.js';

/**
 * Coral's validation (Secrets Manager, SSM and the edge's JSON services): bad input is a 400 `ValidationException`
 * naming the member, never a crash or a silently ignored value. The readers are the one validator's
 * (`members.ts`); only the wording is Coral's.
 */

export { isRecord };

/** The AWS (Coral) validation error for one member. */
export const validationError = (member: string, value: unknown, constraint: string): AwsServiceError =>
  new AwsServiceError(
    'ValidationException',
    `1 validation error detected: Value ${value === undefined ? 'null' : JSON.stringify(value)} at '${memberPath(member)}' failed to satisfy constraint: ${constraint}`,
  );

const between = ({ min, max }: Bounds) => `between ${min ?? 0} and ${max ?? 'unbounded'}`;

const coral: InputDialect = {
  missing: (member) => validationError(member, undefined, 'Member must not be null'),
  wrongType: (member, value, expected) =>
    validationError(
      member,
      value,
      `Member must be ${expected === 'integer' ? 'an integer' : `a ${expected}`}`,
    ),
  length: (member, value, bounds) =>
    validationError(member, value, `Member must have length ${between(bounds)}`),
  size: (member, value, bounds) =>
    validationError(member, value, `Member must have length ${between(bounds)}`),
  range: (member, value, { min, max }) =>
    validationError(
      member,
      value,
      min !== undefined && value < min
        ? `Member must have value greater than or equal to ${min}`
        : `Member must have value less than or equal to ${max}`,
    ),
  pattern: (member, value, patternText) =>
    validationError(member, value, `Member must satisfy regular expression pattern: ${patternText}`),
};

const readers = memberReaders(coral);

/** A string member that may be absent; throws when present with another type or out of its length bounds. */
export const optionalString = (
  input: Input,
  member: string,
  { minLength = 0, maxLength }: { minLength?: number; maxLength?: number } = {},
): string | undefined =>
  readers.optionalString(input, member, {
    min: minLength,
    ...(maxLength === undefined ? {} : { max: maxLength }),
  });

/** A required string member (non-empty unless `minLength: 0` is asked for). */
export const requireString = (
  input: Input,
  member: string,
  { minLength = 1, maxLength }: { minLength?: number; maxLength?: number } = {},
): string =>
  readers.requiredString(input, member, {
    min: minLength,
    ...(maxLength === undefined ? {} : { max: maxLength }),
  });

/** An integer member that may be absent; throws when present and not an integer within the bounds. */
export const optionalInteger = (input: Input, member: string, bounds: Bounds = {}): number | undefined =>
  readers.optionalInteger(input, member, bounds);

/** A boolean member that may be absent. */
export const optionalBoolean = (input: Input, member: string): boolean | undefined =>
  readers.optionalBoolean(input, member);

/** A list of strings that may be absent, with bounds on its size. */
export const optionalStringList = (
  input: Input,
  member: string,
  { minItems = 0, maxItems }: { minItems?: number; maxItems?: number } = {},
): string[] | undefined =>
  readers.optionalStringList(input, member, {
    min: minItems,
    ...(maxItems === undefined ? {} : { max: maxItems }),
  });

/** A list of objects that may be absent. */
export const optionalObjectList = (input: Input, member: string): Record<string, unknown>[] | undefined =>
  readers.optionalObjectList(input, member);
