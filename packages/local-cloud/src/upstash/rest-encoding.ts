/**
 * How Redis values cross the Upstash REST boundary, in both directions. Commands arrive as JSON arrays of strings
 * and numbers; replies leave as JSON, with every string base64-encoded when the client asks for
 * `Upstash-Encoding: base64` (the @upstash/redis default), so that binary values survive JSON.
 */

/** A value that can appear in the `result` field of a REST answer. */
export type RestValue = string | number | null | RestValue[];

/** The outcome of one command as the REST API reports it: `{ result }` or `{ error }`. */
export type RestOutcome = { readonly result: RestValue } | { readonly error: string };

/** A command checked to be a non-empty list of string arguments, the name first. */
export type RedisCommand = readonly [name: string, ...args: string[]];

/** Parsing a command failed for a reason the caller reports as a 400. */
export interface CommandParseFailure {
  readonly error: string;
}

/** Accepts `["SET", "k", "v", "EX", 10]`: strings, finite numbers and booleans, stringified as Redis expects. */
export const parseCommand = (value: unknown): RedisCommand | CommandParseFailure => {
  if (!Array.isArray(value)) return { error: 'ERR a command must be a JSON array of arguments' };
  if (value.length === 0) return { error: 'ERR empty command' };
  const args: string[] = [];
  for (const item of value) {
    if (typeof item === 'string') args.push(item);
    else if ((typeof item === 'number' && Number.isFinite(item)) || typeof item === 'boolean')
      args.push(String(item));
    else return { error: `ERR command arguments must be strings or numbers, got ${JSON.stringify(item)}` };
  }
  const [name, ...rest] = args;
  if (name === undefined || name.trim() === '') return { error: 'ERR empty command' };
  return [name, ...rest];
};

/** Parses the body of `/pipeline` and `/multi-exec`: a non-empty array of commands. */
export const parseCommandList = (value: unknown): RedisCommand[] | CommandParseFailure => {
  if (!Array.isArray(value)) return { error: 'ERR the body must be a JSON array of commands' };
  if (value.length === 0) return { error: 'ERR empty pipeline' };
  const commands: RedisCommand[] = [];
  for (const [index, item] of value.entries()) {
    const parsed = parseCommand(item);
    if (isParseFailure(parsed)) return { error: `${parsed.error} (command ${index + 1})` };
    commands.push(parsed);
  }
  return commands;
};

/** Narrows a parse result to its failure. */
export const isParseFailure = (
  value: RedisCommand | RedisCommand[] | CommandParseFailure,
): value is CommandParseFailure => !Array.isArray(value);

const OK = Buffer.from('OK');

const encodeBytes = (bytes: Buffer, base64: boolean): string =>
  base64 ? bytes.toString('base64') : bytes.toString('utf8');

/**
 * Converts a reply as ioredis returns it in buffer mode (Buffer, number, null, nested arrays, Error for an error
 * nested in an array) into a REST value. With base64, every string is encoded except a top-level "OK": the client
 * passes a bare "OK" through undecoded, but decodes every string inside an array, so "OK" there must be encoded.
 */
export const toRestValue = (reply: unknown, base64: boolean, topLevel = true): RestValue => {
  if (reply === null || reply === undefined) return null;
  if (typeof reply === 'number') return reply;
  if (typeof reply === 'bigint') return Number(reply);
  // RESP2 has no booleans; kept for safety should a RESP3 connection ever be used. Lua true maps to 1 in RESP2.
  if (typeof reply === 'boolean') return reply ? 1 : null;
  if (Array.isArray(reply)) return reply.map((item) => toRestValue(item, base64, false));
  const bytes =
    reply instanceof Buffer
      ? reply
      : Buffer.from(
          reply instanceof Error ? reply.message : typeof reply === 'string' ? reply : String(reply),
        );
  if (base64 && topLevel && bytes.equals(OK)) return 'OK';
  return encodeBytes(bytes, base64);
};

/** The text of an error as the REST API reports it: Redis's own message (e.g. `ERR unknown command ...`). */
export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
