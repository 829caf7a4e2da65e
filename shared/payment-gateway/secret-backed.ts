import { type PaymentGatewaySecret, type SecretReader, withCredentialRefresh } from '../secrets';
import { PaymentGatewayClient } from './client';
import { PaymentGatewayAuthorizationError } from './errors';
import type { PaymentGateway } from './types';

/** Options of {@link secretBackedGateway}. */
export interface SecretBackedGatewayOptions {
  /** The gateway secret (`{url, apiKey}`). */
  readonly secretId: string;
  readonly readSecret: SecretReader<PaymentGatewaySecret>;
  /** Per-call timeout (`PaymentGatewayClientOptions.timeoutMs`). */
  readonly timeoutMs: number;
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/**
 * The gateway as billing uses it: URL and API key come from the gateway secret, read per charge from the cached
 * reader (so a rotated key reaches warm containers within the cache's max age), and re-read at once when the
 * gateway refuses the key (401/403): a rotated key is picked up at its first refusal and the charge is sent again
 * with it (same idempotency key, so it cannot charge twice). A key that is still refused after the re-read is a
 * `PaymentGatewayAuthorizationError` naming the secret: not retryable, its record goes to the DLQ at once.
 */
export const secretBackedGateway = ({
  secretId,
  readSecret,
  timeoutMs,
  fetch: fetchFn,
}: SecretBackedGatewayOptions): PaymentGateway => {
  let client: { secret: PaymentGatewaySecret; gateway: PaymentGatewayClient } | undefined;
  const clientFor = (secret: PaymentGatewaySecret): PaymentGatewayClient => {
    if (client?.secret !== secret) {
      const gateway = new PaymentGatewayClient({
        baseUrl: secret.url,
        apiKey: secret.apiKey,
        timeoutMs,
        ...(fetchFn === undefined ? {} : { fetch: fetchFn }),
      });
      client = { secret, gateway };
    }
    return client.gateway;
  };
  return {
    charge: (request, options) =>
      withCredentialRefresh({
        read: (refresh) => readSecret(secretId, { refresh }),
        use: (secret) => clientFor(secret).charge(request, options),
        isRefused: (error) => error instanceof PaymentGatewayAuthorizationError,
        stillRefused: (error) => {
          const refused = error as PaymentGatewayAuthorizationError;
          return new PaymentGatewayAuthorizationError(
            `${refused.message}: the API key in secret '${secretId}' is wrong or revoked; put the gateway's current key in it`,
            { status: refused.status, ...(refused.code === undefined ? {} : { code: refused.code }) },
            { cause: error },
          );
        },
      }),
  };
};
