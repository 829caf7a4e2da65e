import { DeployerError } from './errors.js';

/** Resolved resource properties. */
export type Properties = Readonly<Record<string, unknown>>;

const fail = (key: string, expected: string, value: unknown): never => {
  throw new DeployerError(`property ${key} should be ${expected}, got ${JSON.stringify(value)}`);
};

/** A string property (numbers are accepted, as CloudFormation does); `undefined` when absent. */
export const optionalString = (properties: Properties, key: string): string | undefined => {
  const value = properties[key];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fail(key, 'a string', value);
};

/** A string property that must be present. */
export const requiredString = (properties: Properties, key: string): string =>
  optionalString(properties, key) ?? fail(key, 'present', undefined);

/** A number property (numeric strings are accepted); `undefined` when absent. */
export const optionalNumber = (properties: Properties, key: string): number | undefined => {
  const value = properties[key];
  if (value === undefined) return undefined;
  const parsed = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(parsed) ? parsed : fail(key, 'a number', value);
};

/** A boolean property (`"true"`/`"false"` accepted); `undefined` when absent. */
export const optionalBoolean = (properties: Properties, key: string): boolean | undefined => {
  const value = properties[key];
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return fail(key, 'a boolean', value);
};

/** An object property; `{}` when absent. */
export const recordOf = (properties: Properties, key: string): Properties => {
  const value = properties[key];
  if (value === undefined) return {};
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Properties;
  return fail(key, 'an object', value);
};

/** A list property; `[]` when absent. */
export const listOf = (properties: Properties, key: string): readonly unknown[] => {
  const value = properties[key];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : fail(key, 'a list', value);
};

/** A JSON document property (object, or string holding JSON) as JSON text. */
export const jsonText = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value);

/**
 * A CloudFormation tag list (`[{ Key, Value }]`, the form of `Tags` on most resource types) as a map; `{}` when
 * absent. A later key wins, as CloudFormation applies them.
 */
export const tagMap = (properties: Properties, key = 'Tags'): Record<string, string> => {
  const tags: Record<string, string> = {};
  for (const entry of listOf(properties, key)) {
    if (typeof entry !== 'object' || entry === null) return fail(key, 'a list of { Key, Value }', entry);
    const tag = entry as Properties;
    tags[requiredString(tag, 'Key')] = optionalString(tag, 'Value') ?? '';
  }
  return tags;
};
