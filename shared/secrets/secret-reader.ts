import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { formatIssues } from '../contracts';
import type * as z from '../contracts/zod';
import { ConfigurationError } from '../errors';
import { isPlaceholderUrl } from './placeholder';

/**
 * Seconds a secret value is cached in the container before it is read again (default of every reader): long enough
 * to keep Secrets Manager off the hot path, short enough that a rotated secret reaches warm containers soon. A
 * credential the provider refuses is re-read at once instead (see `withCredentialRefresh`).
 */
export const DEFAULT_SECRET_MAX_AGE_SECONDS = 300;

/** How to read: the cache's bound, and whether to bypass the cache. */
export interface SecretReadOptions {
  readonly maxAgeSeconds: number;
  /** Read from Secrets Manager now, whatever the cache holds (the fresh value is cached again). */
  readonly forceFetch: boolean;
}

/** Where secret strings come from: Secrets Manager through Powertools in production, a map in tests. */
export type SecretSource = (secretId: string, options: SecretReadOptions) => Promise<string | undefined>;

/**
 * The production source: Powertools' `SecretsProvider`, which caches each value for `maxAge` and re-reads it on
 * `forceFetch`. Pass a ready client to choose the endpoint (the local cloud does); by default the SDK's usual
 * resolution applies.
 */
export const secretsManagerSource = (client?: SecretsManagerClient): SecretSource => {
  const provider = new SecretsProvider(client === undefined ? {} : { awsSdkV3Client: client });
  return async (secretId, { maxAgeSeconds, forceFetch }) => {
    const value = await provider.get(secretId, { maxAge: maxAgeSeconds, forceFetch });
    // Binary secrets are not used by Breakwater; treat them as a misconfiguration below.
    return typeof value === 'string' ? value : undefined;
  };
};

/** What a secret must hold, for the message that tells an operator how to fill it. */
export interface SecretDescription {
  /** E.g. `the Upstash Redis REST URL and token`. */
  readonly holds: string;
  /** An example value, e.g. `{"url":"https://<db>.upstash.io","token":"<token>"}`. */
  readonly example: string;
}

/** Options of a typed secret reader. */
export interface SecretReaderOptions {
  /** Default: `secretsManagerSource()`. */
  readonly source?: SecretSource;
  /** Default `DEFAULT_SECRET_MAX_AGE_SECONDS`. */
  readonly maxAgeSeconds?: number;
}

/**
 * Reads one secret by id, checked against its schema. `refresh` bypasses the cache (after the provider refused
 * the credential). While the stored value does not change, every read returns the same object, so a caller can
 * keep a client per value and rebuild it only when the secret changed.
 */
export type SecretReader<T> = (secretId: string, options?: { readonly refresh?: boolean }) => Promise<T>;

const placeholderUrlOf = (json: unknown): string | undefined => {
  const url = (json as { url?: unknown } | null)?.url;
  return typeof url === 'string' && isPlaceholderUrl(url) ? url : undefined;
};

/**
 * Builds a reader of a JSON secret checked against `schema`. Errors are `ConfigurationError`s that name the secret
 * and the failing fields, never the value. A secret still holding its deploy-time placeholder URL (see
 * `SECRET_PLACEHOLDER_URL`) is re-read once past the cache (the operator may just have filled it) and otherwise
 * refused with a message that says what to put in it. Caching is the source's (Powertools, `maxAgeSeconds`).
 */
export const createSecretReader = <T>(
  schema: z.ZodMiniType<T>,
  description: SecretDescription,
  {
    source = secretsManagerSource(),
    maxAgeSeconds = DEFAULT_SECRET_MAX_AGE_SECONDS,
  }: SecretReaderOptions = {},
): SecretReader<T> => {
  const parsedByRaw = new Map<string, { raw: string; value: T }>();
  const parse = (secretId: string, raw: string): T => {
    const last = parsedByRaw.get(secretId);
    if (last?.raw === raw) return last.value;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      // The parse error may quote the value: do not chain it.
      throw new ConfigurationError(`secret '${secretId}' is not JSON`);
    }
    const placeholder = placeholderUrlOf(json);
    if (placeholder !== undefined) {
      throw new ConfigurationError(
        `secret '${secretId}' still holds its deploy-time placeholder (url ${placeholder}): put ${description.holds} ` +
          `in it: aws secretsmanager put-secret-value --secret-id ${secretId} --secret-string '${description.example}'`,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new ConfigurationError(
        `secret '${secretId}' has an unexpected shape: ${formatIssues(parsed.error).join('; ')}; it must hold ` +
          `${description.holds}, e.g. ${description.example}`,
      );
    }
    parsedByRaw.set(secretId, { raw, value: parsed.data });
    return parsed.data;
  };
  const read = async (secretId: string, forceFetch: boolean): Promise<T> => {
    const raw = await source(secretId, { maxAgeSeconds, forceFetch });
    if (raw === undefined) throw new ConfigurationError(`secret '${secretId}' has no string value`);
    return parse(secretId, raw);
  };
  return async (secretId, { refresh = false } = {}) => {
    try {
      return await read(secretId, refresh);
    } catch (error) {
      // A cached placeholder is never trusted: the operator may have filled the secret a moment ago.
      if (refresh || !(error instanceof ConfigurationError && /placeholder/.test(error.message))) throw error;
      return read(secretId, true);
    }
  };
};
