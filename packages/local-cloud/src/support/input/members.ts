/**
 * The one input validator of the local cloud's AWS-protocol services: readers for the members of a request (a JSON
 * body, or query parameters already turned into the same members) that check type, length, size, range and pattern
 * once, here. How a refusal is worded is the service's own (its dialect): Secrets Manager and SSM answer Coral's
 * `ValidationException`, EventBridge a `SerializationException` for a wrong type, CloudWatch `MissingParameter` and
 * `InvalidParameterValue`; SQS decodes whole inputs into the AWS SDK's shapes (`decoders.ts`, beside this file).
 */

/** A request's members by name. */
export type Input = Readonly<Record<string, unknown>>;

/** The JSON type a member should have. */
export type MemberType =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'list'
  | 'list of strings'
  | 'list of structures'
  | 'structure'
  | 'timestamp';

/** Inclusive bounds of a length, a size or a value; an absent bound is unbounded. */
export interface Bounds {
  readonly min?: number;
  readonly max?: number;
}

/** Constraints of a string member. */
export interface StringRule extends Bounds {
  readonly pattern?: RegExp;
  /** The pattern as the service's model writes it in constraint messages (default: the RegExp's source). */
  readonly patternText?: string;
}

/** How one service words each refusal of a member. */
export interface InputDialect {
  /** A required member is absent (or null). */
  missing(member: string): Error;
  /** A member of another type; `bounds` are an integer's, for services that word both in one message. */
  wrongType(member: string, value: unknown, expected: MemberType, bounds?: Bounds): Error;
  /** A string's length outside its bounds. */
  length(member: string, value: string, bounds: Bounds): Error;
  /** A list's size outside its bounds. */
  size(member: string, value: readonly unknown[], bounds: Bounds): Error;
  /** A number outside its range. */
  range(member: string, value: number, bounds: Bounds): Error;
  /** A string that does not match its pattern. */
  pattern(member: string, value: string, patternText: string): Error;
  /** The query protocol's text of numbers and booleans (`"5"`, `"true"`) is read as them. Default false. */
  readonly scalarsAsText?: boolean;
}

/** Whether a value is a plain JSON object. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A member's name as AWS's validation messages spell it: `Name` → `name`. */
export const memberPath = (member: string): string => member.charAt(0).toLowerCase() + member.slice(1);

const absent = (value: unknown): value is undefined | null => value === undefined || value === null;
const outside = (n: number, { min, max }: Bounds): boolean =>
  (min !== undefined && n < min) || (max !== undefined && n > max);

/** The readers of one dialect; each returns `undefined` for an absent optional member. */
export interface MemberReaders {
  optionalString(input: Input, member: string, rule?: StringRule): string | undefined;
  requiredString(input: Input, member: string, rule?: StringRule): string;
  optionalNumber(input: Input, member: string): number | undefined;
  optionalInteger(input: Input, member: string, bounds?: Bounds): number | undefined;
  optionalBoolean(input: Input, member: string): boolean | undefined;
  optionalList(input: Input, member: string, bounds?: Bounds): unknown[] | undefined;
  requiredList(input: Input, member: string, bounds?: Bounds): unknown[];
  optionalStringList(input: Input, member: string, bounds?: Bounds): string[] | undefined;
  optionalObjectList(input: Input, member: string): Record<string, unknown>[] | undefined;
  optionalObject(input: Input, member: string): Input | undefined;
  requiredObject(input: Input, member: string): Input;
  /** Epoch milliseconds: from epoch seconds (JSON), their text, an ISO 8601 string (query protocol) or a Date. */
  optionalTimestamp(input: Input, member: string): number | undefined;
  requiredTimestamp(input: Input, member: string): number;
}

/** The member readers that word their refusals in `dialect`. */
export const memberReaders = (dialect: InputDialect): MemberReaders => {
  const numberOf = (value: unknown): unknown =>
    dialect.scalarsAsText && typeof value === 'string' ? Number(value) : value;
  const required = <T>(value: T | undefined, member: string): T => {
    if (value === undefined) throw dialect.missing(member);
    return value;
  };
  const readers: MemberReaders = {
    optionalString: (input, member, rule = {}) => {
      const value = input[member];
      if (absent(value)) return undefined;
      if (typeof value !== 'string') throw dialect.wrongType(member, value, 'string');
      if (outside(value.length, rule)) throw dialect.length(member, value, rule);
      if (rule.pattern !== undefined && !rule.pattern.test(value))
        throw dialect.pattern(member, value, rule.patternText ?? rule.pattern.source);
      return value;
    },
    requiredString: (input, member, rule = {}) =>
      required(readers.optionalString(input, member, rule), member),
    optionalNumber: (input, member) => {
      const value = input[member];
      if (absent(value)) return undefined;
      const number = numberOf(value);
      if (typeof number !== 'number' || !Number.isFinite(number))
        throw dialect.wrongType(member, value, 'number');
      return number;
    },
    optionalInteger: (input, member, bounds = {}) => {
      const value = input[member];
      if (absent(value)) return undefined;
      const number = numberOf(value);
      if (typeof number !== 'number' || !Number.isInteger(number))
        throw dialect.wrongType(member, value, 'integer', bounds);
      if (outside(number, bounds)) throw dialect.range(member, number, bounds);
      return number;
    },
    optionalBoolean: (input, member) => {
      const value = input[member];
      if (absent(value)) return undefined;
      if (typeof value === 'boolean') return value;
      if (dialect.scalarsAsText && (value === 'true' || value === 'false')) return value === 'true';
      throw dialect.wrongType(member, value, 'boolean');
    },
    optionalList: (input, member, bounds = {}) => {
      const value = input[member];
      if (absent(value)) return undefined;
      if (!Array.isArray(value)) throw dialect.wrongType(member, value, 'list');
      if (outside(value.length, bounds)) throw dialect.size(member, value, bounds);
      return value;
    },
    requiredList: (input, member, bounds = {}) =>
      required(readers.optionalList(input, member, bounds), member),
    optionalStringList: (input, member, bounds = {}) => {
      const value = input[member];
      if (absent(value)) return undefined;
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
        throw dialect.wrongType(member, value, 'list of strings');
      if (outside(value.length, bounds)) throw dialect.size(member, value, bounds);
      return value as string[];
    },
    optionalObjectList: (input, member) => {
      const value = input[member];
      if (absent(value)) return undefined;
      if (!Array.isArray(value) || !value.every(isRecord))
        throw dialect.wrongType(member, value, 'list of structures');
      return value;
    },
    optionalObject: (input, member) => {
      const value = input[member];
      if (absent(value)) return undefined;
      if (!isRecord(value)) throw dialect.wrongType(member, value, 'structure');
      return value;
    },
    requiredObject: (input, member) => required(readers.optionalObject(input, member), member),
    optionalTimestamp: (input, member) => {
      const value = input[member];
      if (absent(value)) return undefined;
      if (value instanceof Date) return value.getTime();
      if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
      if (typeof value === 'string') {
        const numeric = Number(value);
        if (value.trim() !== '' && Number.isFinite(numeric)) return numeric * 1000;
        const parsed = Date.parse(value);
        if (Number.isFinite(parsed)) return parsed;
      }
      throw dialect.wrongType(member, value, 'timestamp');
    },
    requiredTimestamp: (input, member) => required(readers.optionalTimestamp(input, member), member),
  };
  return readers;
};
