/** Options of {@link withCredentialRefresh}. */
export interface CredentialRefreshOptions<S, T> {
  /** Reads the credential's secret; `refresh` bypasses the cache. Same value → same object (see `SecretReader`). */
  readonly read: (refresh: boolean) => Promise<S>;
  /** The call that uses the credential. */
  readonly use: (secret: S) => Promise<T>;
  /** True when the provider refused the credential (HTTP 401/403 or the provider's equivalent). */
  readonly isRefused: (error: unknown) => boolean;
  /** The error to throw when the freshly read credential is the one that was refused. Default: the error itself. */
  readonly stillRefused?: (error: unknown) => unknown;
}

/**
 * Runs a call with a secret's credential and, when the provider refuses it, re-reads the secret at once past its
 * cache: if the value changed (it was rotated), the call runs once more with the new credential; if not, the
 * credential really is wrong, and the failure (not retryable: only an operator can fix the secret) is thrown.
 *
 * So a rotated key reaches a warm container at its first refusal, without waiting for the cache's max age. During
 * a rotation, keep the old key valid at the provider until the new one is in the secret: a call made with the
 * old key while the secret still holds it fails for good (its record goes to the DLQ, to replay).
 */
export const withCredentialRefresh = async <S, T>({
  read,
  use,
  isRefused,
  stillRefused = (error) => error,
}: CredentialRefreshOptions<S, T>): Promise<T> => {
  const secret = await read(false);
  try {
    return await use(secret);
  } catch (error) {
    if (!isRefused(error)) throw error;
    const fresh = await read(true);
    if (fresh === secret) throw stillRefused(error);
    return use(fresh);
  }
};
