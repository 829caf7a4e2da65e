import {
  type Bounds,
  type Input,
  type InputDialect,
  type MemberType,
  memberPath,
  memberReaders,
  type StringRule,
} from '../support/input/members.js';
import { AwsErrors } from './aws-errors.js';

/**
 * EventBridge's wording of the one input validator (`support/input/members.ts`): a missing required member or a
 * broken length/pattern constraint is a `ValidationException` ("1 validation error detected: Value null at 'name'
 * failed to satisfy constraint: Member must not be null"); a member of the wrong JSON type is a
 * `SerializationException`.
 */
export type { Input, StringRule };

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

const ARTICLE: Readonly<Record<MemberType, string>> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  list: 'a list',
  'list of strings': 'a list',
  'list of structures': 'a list',
  structure: 'a structure',
  timestamp: 'a timestamp',
};

/** `Member must have <what> greater than or equal to min`, or `less than or equal to max`: the bound broken. */
const bound = (what: string, n: number, { min, max }: Bounds): string =>
  min !== undefined && n < min
    ? `Member must have ${what} greater than or equal to ${min}`
    : `Member must have ${what} less than or equal to ${max}`;

const at = (shown: string, member: string) =>
  `Value '${shown}' at '${memberPath(member)}' failed to satisfy constraint:`;

const eventBridge: InputDialect = {
  missing: (member) =>
    AwsErrors.constraint(
      `Value null at '${memberPath(member)}' failed to satisfy constraint: Member must not be null`,
    ),
  wrongType: (member, _value, expected) =>
    AwsErrors.serialization(`Value at '${memberPath(member)}' must be ${ARTICLE[expected]}`),
  length: (member, value, bounds) =>
    AwsErrors.constraint(`${at(value, member)} ${bound('length', value.length, bounds)}`),
  size: (member, value, bounds) =>
    AwsErrors.constraint(
      `${at(JSON.stringify(value).slice(0, 200), member)} ${bound('length', value.length, bounds)}`,
    ),
  range: (member, value, bounds) =>
    AwsErrors.constraint(`${at(String(value), member)} ${bound('value', value, bounds)}`),
  pattern: (member, value, patternText) =>
    AwsErrors.constraint(
      `${at(value, member)} Member must satisfy regular expression pattern: ${patternText}`,
    ),
};

const readers = memberReaders(eventBridge);

/** An optional string member. */
export const optionalString = (input: Input, name: string, rule: StringRule = {}): string | undefined =>
  readers.optionalString(input, name, rule);

/** A required string member. */
export const requiredString = (input: Input, name: string, rule: StringRule = {}): string =>
  readers.requiredString(input, name, rule);

/** An optional integer member within [min, max]. */
export const optionalInteger = (input: Input, name: string, min: number, max: number): number | undefined =>
  readers.optionalInteger(input, name, { min, max });

/** A required array member with between `min` and `max` elements (elements are checked by the caller). */
export const requiredArray = (input: Input, name: string, min: number, max: number): readonly unknown[] =>
  readers.requiredList(input, name, { min, max });

/** An optional structure member. */
export const optionalObject = (input: Input, name: string): Input | undefined =>
  readers.optionalObject(input, name);

/** A required structure member. */
export const requiredObject = (input: Input, name: string): Input => readers.requiredObject(input, name);

/**
 * A timestamp member as epoch milliseconds. The JSON protocol sends epoch seconds (what the SDKs and the CLI send);
 * ISO-8601 strings are accepted too.
 */
export const optionalTimestamp = (input: Input, name: string): number | undefined =>
  readers.optionalTimestamp(input, name);

/** A required timestamp member as epoch milliseconds. */
export const requiredTimestamp = (input: Input, name: string): number =>
  readers.requiredTimestamp(input, name);

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
