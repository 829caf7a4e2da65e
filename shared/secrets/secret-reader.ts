import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { formatIssues } from '../contracts';
import type * as z from '../contracts/zod';
import { ConfigurationError } from '../errors';

/**
 * Seconds a secret value is cached in the container before it is read again (default of every reader): long enough
 * to keep Secrets Manager off the hot path, short enough that a rotated secret reaches warm containers soon.
 */
export const DEFAULT_SECRET_MAX_AGE_SECONDS = 300;

/** Where secret strings come from: Secrets Manager through Powertools in production, a map in tests. */
export type SecretSource = (secretId: string, maxAgeSeconds: number) => Promise<string | undefined>;

/**
 * The production source: Powertools' `SecretsProvider`, which caches each value for `maxAgeSeconds`. Pass a ready
 * client to choose the endpoint (the local cloud does); by default the SDK's usual resolution applies.
 */
export const secretsManagerSource = (client?: SecretsManagerClient): SecretSource => {
  const provider = new SecretsProvider(client === undefined ? {} : { awsSdkV3Client: client });
  return async (secretId, maxAge) => {
    const value = await provider.get(secretId, { maxAge });
    // Binary secrets are not used by Breakwater; treat them as a misconfiguration below.
    return typeof value === 'string' ? value : undefined;
  };
};

/** Options of a typed secret reader. */
export interface SecretReaderOptions {
  /** Default: `secretsManagerSource()`. */
  readonly source?: SecretSource;
  /** Default `DEFAULT_SECRET_MAX_AGE_SECONDS`. */
  readonly maxAgeSeconds?: number;
}

/** Reads one secret by id, checked against its schema. */
export type SecretReader<T> = (secretId: string) => Promise<T>;

/**
 * Builds a reader of a JSON secret checked against `schema`. Errors name the secret and the failing fields, never
 * the value. Caching is the source's (Powertools caches per `maxAgeSeconds`).
 */
export const createSecretReader = <T>(
  schema: z.ZodMiniType<T>,
  {
    source = secretsManagerSource(),
    maxAgeSeconds = DEFAULT_SECRET_MAX_AGE_SECONDS,
  }: SecretReaderOptions = {},
): SecretReader<T> => {
  return async (secretId) => {
    const raw = await source(secretId, maxAgeSeconds);
    if (raw === undefined) {
      throw new ConfigurationError(`secret '${secretId}' has no string value`);
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      // The parse error may quote the value: do not chain it.
      throw new ConfigurationError(`secret '${secretId}' is not JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new ConfigurationError(
        `secret '${secretId}' has an unexpected shape: ${formatIssues(parsed.error).join('; ')}`,
      );
    }
    return parsed.data;
  };
};
