import {
  type Bounds,
  type Input,
  type InputDialect,
  isRecord,
  memberReaders,
} from '../support/input/members.js';
import { CloudWatchErrors } from './errors.js';
import type { Dimension } from './model.js';

/**
 * CloudWatch's wording of the one input validator (`support/input/members.ts`): `MissingParameter` for an absent
 * required member, `InvalidParameterValue` for a wrong one, naming the member as the query protocol spells it
 * (whose text of numbers and booleans is read as them).
 */
export type { Input };

const invalid = (message: string) => CloudWatchErrors.invalidParameterValue(message);
const integerBetween = (member: string, { min, max }: Bounds) =>
  invalid(`The parameter ${member} must be an integer between ${min ?? 0} and ${max ?? 'unbounded'}.`);

const cloudWatch: InputDialect = {
  scalarsAsText: true,
  missing: (member) => CloudWatchErrors.missingParameter(`The parameter ${member} is required.`),
  wrongType: (member, value, expected, bounds = {}) => {
    if (expected === 'integer') {
      const number = typeof value === 'string' ? Number(value) : value;
      // A number that is no integer is out of the integer's range, as CloudWatch words it.
      if (typeof number === 'number' && Number.isFinite(number)) return integerBetween(member, bounds);
      return invalid(`The parameter ${member} must be a number.`);
    }
    const what = expected === 'list of strings' && !Array.isArray(value) ? 'list' : expected;
    return invalid(`The parameter ${member} must be a ${what}.`);
  },
  length: (member, value, { min, max }) =>
    min !== undefined && value.length < min
      ? invalid(`The parameter ${member} must not be empty.`)
      : invalid(`The parameter ${member} must be shorter than ${(max ?? 0) + 1} characters.`),
  size: (member, _value, { max }) =>
    invalid(`The collection ${member} must not have a size greater than ${max}.`),
  range: (member, _value, bounds) => integerBetween(member, bounds),
  pattern: (member) => invalid(`The parameter ${member} is not valid.`),
};

const readers = memberReaders(cloudWatch);
const upTo = (max: number): Bounds => (max === Number.MAX_SAFE_INTEGER ? {} : { max });

/** The value of a required member, of any type. */
export const required = (input: Input, member: string): unknown => {
  const value = input[member];
  if (value === undefined || value === null) throw cloudWatch.missing(member);
  return value;
};

export const optionalString = (input: Input, member: string, maxLength = 1024): string | undefined =>
  readers.optionalString(input, member, { max: maxLength });

export const requiredString = (input: Input, member: string, maxLength = 1024): string =>
  readers.requiredString(input, member, { min: 1, max: maxLength });

export const optionalNumber = (input: Input, member: string): number | undefined =>
  readers.optionalNumber(input, member);

export const optionalInteger = (
  input: Input,
  member: string,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined => readers.optionalInteger(input, member, { min, ...upTo(max) });

export const optionalBoolean = (input: Input, member: string): boolean | undefined =>
  readers.optionalBoolean(input, member);

export const optionalList = (
  input: Input,
  member: string,
  max = Number.MAX_SAFE_INTEGER,
): unknown[] | undefined => readers.optionalList(input, member, upTo(max));

export const stringList = (input: Input, member: string, max = Number.MAX_SAFE_INTEGER): string[] =>
  readers.optionalStringList(input, member, upTo(max)) ?? [];

/** A structure given as a value (a list's item), not as a member. */
export const record = (value: unknown, member: string): Input => {
  if (!isRecord(value)) throw cloudWatch.wrongType(member, value, 'structure');
  return value;
};

export const optionalTimestamp = (input: Input, member: string): number | undefined =>
  readers.optionalTimestamp(input, member);

export const requiredTimestamp = (input: Input, member: string): number =>
  readers.requiredTimestamp(input, member);

/** Dimensions: at most 30, each with a Name (1–255) and a Value (1–1024); no name twice. */
export const dimensions = (value: unknown, member: string, { valueRequired = true } = {}): Dimension[] => {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw CloudWatchErrors.invalidParameterValue(`The parameter ${member} must be a list.`);
  if (value.length > 30)
    throw CloudWatchErrors.invalidParameterValue(
      `The collection ${member} must not have a size greater than 30.`,
    );
  const seen = new Set<string>();
  return value.map((item, index) => {
    const where = `${member}.member.${index + 1}`;
    const dimension = record(item, where);
    const name = requiredString(dimension, 'Name', 255);
    const dimensionValue = valueRequired
      ? requiredString(dimension, 'Value', 1024)
      : (optionalString(dimension, 'Value', 1024) ?? '');
    if (seen.has(name))
      throw CloudWatchErrors.invalidParameterValue(
        `No Metric may specify the same dimension name twice: ${name}.`,
      );
    seen.add(name);
    return { Name: name, Value: dimensionValue };
  });
};
