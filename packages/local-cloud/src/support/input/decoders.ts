/**
 * The typed half of the one input validator: decoders of a whole input into the AWS SDK's own input shape, member by
 * member (`structure<SendMessageRequest>({ ... })` must name every member of the shape, each with its type), doing
 * what AWS's request deserializer does before any rule of the service: scalars are read leniently (a number where a
 * string is expected is its text, as AWS reads it), a structure or list where a scalar belongs is refused. The
 * service words the refusals; unknown members are ignored, as AWS ignores them.
 */

/** How a service words a decoding refusal. */
export interface DecodeErrors {
  /** Input the deserializer cannot read (a list where a scalar belongs, bad base64...). */
  serialization(message: string): Error;
  /** A scalar of the right kind whose text is not a value of its type (`"abc"` for an integer). */
  invalidValue(member: string, raw: string, reason: string): Error;
}

/** Decodes one member (at `path`, for messages); `undefined` when absent. */
export type Decoder<T> = (value: unknown, path: string) => T | undefined;

/** A decoder per member of an AWS SDK shape: the shape's own member names, each with its member's type. */
export type Members<T> = { readonly [K in keyof Required<T>]: Decoder<NonNullable<T[K]>> };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The decoders, wording their refusals with `errors`. */
export const decoderKit = (errors: DecodeErrors) => {
  const structureWhereScalar = (path: string) =>
    errors.serialization(`Start of structure or map found where not expected (at ${path}).`);
  const listWhereScalar = (path: string) =>
    errors.serialization(`Start of list found where not expected (at ${path}).`);

  const scalarText = (value: unknown, path: string): string | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (Array.isArray(value)) throw listWhereScalar(path);
    throw structureWhereScalar(path);
  };

  const text: Decoder<string> = scalarText;

  /** Text typed as one of the SDK's name enums; unknown names pass on, for the rules to answer as AWS does. */
  const names = <T extends string>(): Decoder<T[]> => list(text) as Decoder<T[]>;

  /** Integers: JSON numbers, or text of one (the query protocol's form); other text is left to the rules. */
  const integer: Decoder<number> = (value, path) => {
    if (typeof value === 'number') {
      if (!Number.isInteger(value)) throw errors.serialization(`${path} must be an integer.`);
      return value;
    }
    const raw = scalarText(value, path);
    if (raw === undefined) return undefined;
    if (/^-?\d+$/.test(raw.trim())) return Number(raw.trim());
    throw errors.invalidValue(path.split('.').at(-1) ?? path, raw, 'Must be an integer.');
  };

  /** Blobs travel as base64 text in both protocols. */
  const blob: Decoder<Uint8Array> = (value, path) => {
    if (value instanceof Uint8Array) return value;
    const raw = scalarText(value, path);
    if (raw === undefined) return undefined;
    const compact = raw.replace(/\s+/g, '');
    if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
      throw errors.serialization(`${path} is not valid base64.`);
    }
    return Buffer.from(compact, 'base64');
  };

  const list =
    <T>(item: Decoder<T>): Decoder<T[]> =>
    (value, path) => {
      if (value === undefined || value === null) return undefined;
      if (!Array.isArray(value)) {
        if (isPlainObject(value)) throw structureWhereScalar(path);
        throw errors.serialization(`${path} must be a list.`);
      }
      const items: T[] = [];
      for (const [index, entry] of value.entries()) {
        const decoded = item(entry, `${path}.${index + 1}`);
        if (decoded !== undefined) items.push(decoded);
      }
      return items;
    };

  const map =
    <T>(entry: Decoder<T>): Decoder<Record<string, T>> =>
    (value, path) => {
      if (value === undefined || value === null) return undefined;
      if (!isPlainObject(value)) {
        if (Array.isArray(value)) throw listWhereScalar(path);
        throw errors.serialization(`${path} must be a map.`);
      }
      const result: Record<string, T> = {};
      for (const [key, raw] of Object.entries(value)) {
        const decoded = entry(raw, `${path}.${key}`);
        if (decoded !== undefined) result[key] = decoded;
      }
      return result;
    };

  const structure =
    <T>(members: Members<T>): Decoder<T> =>
    (value, path) => {
      if (value === undefined || value === null) return undefined;
      if (!isPlainObject(value)) {
        if (Array.isArray(value)) throw listWhereScalar(path);
        throw errors.serialization(`${path} must be a structure.`);
      }
      const result: Record<string, unknown> = {};
      for (const [name, decode] of Object.entries(members) as [string, Decoder<unknown>][]) {
        const decoded = decode(value[name], path === '' ? name : `${path}.${name}`);
        if (decoded !== undefined) result[name] = decoded;
      }
      return result as T;
    };
  return { text, names, integer, blob, list, map, structure, structureWhereScalar, listWhereScalar };
};
