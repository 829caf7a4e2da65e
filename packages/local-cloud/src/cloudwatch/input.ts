import { CloudWatchErrors } from './errors.js';
import type { Dimension } from './model.js';

/**
 * Readers for CloudWatch request members, refusing bad input as CloudWatch does: `MissingParameter` for an absent
 * required member, `InvalidParameterValue` for a wrong one, naming the member as the query protocol spells it.
 */
export type Input = Readonly<Record<string, unknown>>;

export const required = (input: Input, member: string): unknown => {
  const value = input[member];
  if (value === undefined || value === null)
    throw CloudWatchErrors.missingParameter(`The parameter ${member} is required.`);
  return value;
};

export const optionalString = (input: Input, member: string, maxLength = 1024): string | undefined => {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw CloudWatchErrors.invalidParameterValue(`The parameter ${member} must be a string.`);
  if (value.length > maxLength)
    throw CloudWatchErrors.invalidParameterValue(
      `The parameter ${member} must be shorter than ${maxLength + 1} characters.`,
    );
  return value;
};

export const requiredString = (input: Input, member: string, maxLength = 1024): string => {
  required(input, member);
  const value = optionalString(input, member, maxLength) as string;
  if (value === '')
    throw CloudWatchErrors.invalidParameterValue(`The parameter ${member} must not be empty.`);
  return value;
};

export const optionalNumber = (input: Input, member: string): number | undefined => {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number))
    throw CloudWatchErrors.invalidParameterValue(`The parameter ${member} must be a number.`);
  return number;
};

export const optionalInteger = (
  input: Input,
  member: string,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined => {
  const value = optionalNumber(input, member);
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min || value > max)
    throw CloudWatchErrors.invalidParameterValue(
      `The parameter ${member} must be an integer between ${min} and ${max === Number.MAX_SAFE_INTEGER ? 'unbounded' : max}.`,
    );
  return value;
};

export const optionalBoolean = (input: Input, member: string): boolean | undefined => {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw CloudWatchErrors.invalidParameterValue(`The parameter ${member} must be a boolean.`);
};

export const optionalList = (
  input: Input,
  member: string,
  max = Number.MAX_SAFE_INTEGER,
): unknown[] | undefined => {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value))
    throw CloudWatchErrors.invalidParameterValue(`The parameter ${member} must be a list.`);
  if (value.length > max)
    throw CloudWatchErrors.invalidParameterValue(
      `The collection ${member} must not have a size greater than ${max}.`,
    );
  return value;
};

export const stringList = (input: Input, member: string, max = Number.MAX_SAFE_INTEGER): string[] => {
  const list = optionalList(input, member, max) ?? [];
  for (const item of list)
    if (typeof item !== 'string')
      throw CloudWatchErrors.invalidParameterValue(`The parameter ${member} must be a list of strings.`);
  return list as string[];
};

export const record = (value: unknown, member: string): Input => {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw CloudWatchErrors.invalidParameterValue(`The parameter ${member} must be a structure.`);
  return value as Input;
};

/** A timestamp: epoch seconds (JSON protocol), or an ISO 8601 string (query protocol); returns epoch ms. */
export const optionalTimestamp = (input: Input, member: string): number | undefined => {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value === 'string') {
    const numeric = Number(value);
    if (value.trim() !== '' && Number.isFinite(numeric)) return numeric * 1000;
    const parsed = Date.parse(value);
    if (Number.isFinite(parsed)) return parsed;
  }
  throw CloudWatchErrors.invalidParameterValue(`The parameter ${member} must be a timestamp.`);
};

export const requiredTimestamp = (input: Input, member: string): number => {
  required(input, member);
  return optionalTimestamp(input, member) as number;
};

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
