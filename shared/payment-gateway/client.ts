import { DEFAULT_GATEWAY_TIMEOUT_MS } from '../config/settings';
import * as z from '../contracts/zod';
import {
  PaymentGatewayAuthorizationError,
  PaymentGatewayUnavailableError,
  PaymentRequestRejectedError,
} from './errors';
import type { ChargeOptions, ChargeRequest, ChargeResult, PaymentGateway } from './types';

/** Options of `PaymentGatewayClient`. */
export interface PaymentGatewayClientOptions {
  /** Base URL of the gateway (a path prefix is kept), from the gateway secret. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`, from the gateway secret. */
  readonly apiKey: string;
  /** Default `DEFAULT_GATEWAY_TIMEOUT_MS`. */
  readonly timeoutMs?: number;
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
}

const chargeCreatedSchema = z.object({
  chargeId: z.string().check(z.minLength(1)),
  status: z.literal('succeeded'),
});
const errorBodySchema = z.object({ error: z.optional(z.string()), declineCode: z.optional(z.string()) });

const readJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const parseRetryAfter = (header: string | null): number | undefined => {
  const seconds = header === null ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
};

/**
 * The payment gateway over HTTP (`POST /v1/charges`, see the contract in PLAN.md). Every call carries the
 * caller's `Idempotency-Key` and is bounded by a timeout (AbortController); the answer is classified into a
 * result (succeeded, declined) or an error (`PaymentGatewayUnavailableError`: retry later, counts against the
 * gateway; `PaymentRequestRejectedError`: do not retry, the gateway is fine; its subclass
 * `PaymentGatewayAuthorizationError` for 401/403: our key is wrong).
 */
export class PaymentGatewayClient implements PaymentGateway {
  readonly #chargesUrl: string;
  readonly #apiKey: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  public constructor({
    baseUrl,
    apiKey,
    timeoutMs = DEFAULT_GATEWAY_TIMEOUT_MS,
    fetch: fetchFn,
  }: PaymentGatewayClientOptions) {
    this.#chargesUrl = `${baseUrl.replace(/\/+$/, '')}/v1/charges`;
    this.#apiKey = apiKey;
    this.#timeoutMs = timeoutMs;
    this.#fetch = fetchFn ?? globalThis.fetch;
  }

  /**
   * Charges a card. Resolves with the outcome the gateway decided; throws when it did not decide. `signal` (e.g. a
   * circuit breaker's) aborts the request as well as the client's own timeout.
   */
  public async charge(request: ChargeRequest, options: ChargeOptions = {}): Promise<ChargeResult> {
    const { status, text, retryAfter } = await this.#post(request, options.signal);
    const body = readJson(text);
    if (status === 200 || status === 201) {
      const created = chargeCreatedSchema.safeParse(body);
      if (!created.success) {
        throw new PaymentGatewayUnavailableError(
          `payment gateway answered ${status} with an unreadable body`,
          {
            reason: 'malformed-response',
            status,
          },
        );
      }
      return { status: 'succeeded', chargeId: created.data.chargeId, replayed: status === 200 };
    }
    const errorBody = errorBodySchema.safeParse(body);
    const details = errorBody.success ? errorBody.data : {};
    if (status === 402) {
      return {
        status: 'declined',
        error: details.error ?? 'card_declined',
        declineCode: details.declineCode,
      };
    }
    if (status === 429 || status >= 500) {
      throw new PaymentGatewayUnavailableError(`payment gateway answered ${status}`, {
        reason: 'status',
        status,
        ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
      });
    }
    const code = details.error === undefined ? {} : { code: details.error };
    const why = details.error ? ` (${details.error})` : '';
    if (status === 401 || status === 403) {
      throw new PaymentGatewayAuthorizationError(`payment gateway refused our API key with ${status}${why}`, {
        status,
        ...code,
      });
    }
    throw new PaymentRequestRejectedError(`payment gateway rejected the request with ${status}${why}`, {
      status,
      ...code,
    });
  }

  async #post(
    request: ChargeRequest,
    callerSignal: AbortSignal | undefined,
  ): Promise<{ status: number; text: string; retryAfter?: number }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    const signal =
      callerSignal === undefined ? controller.signal : AbortSignal.any([controller.signal, callerSignal]);
    try {
      const response = await this.#fetch(this.#chargesUrl, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.#apiKey}`,
          'content-type': 'application/json',
          'idempotency-key': request.idempotencyKey,
        },
        body: JSON.stringify({
          amountCents: request.amountCents,
          currency: request.currency,
          reference: request.reference,
        }),
        // A redirect means a misconfigured URL: surface it as a rejection instead of following it.
        redirect: 'manual',
        signal,
      });
      // The body is read under the same timeout: a gateway that stalls mid-answer is as unavailable as a silent one.
      const text = await response.text();
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      return { status: response.status, text, ...(retryAfter === undefined ? {} : { retryAfter }) };
    } catch (error) {
      if (callerSignal?.aborted === true && !controller.signal.aborted) {
        throw new PaymentGatewayUnavailableError(
          'payment gateway call aborted by the caller',
          { reason: 'aborted' },
          { cause: callerSignal.reason },
        );
      }
      if (controller.signal.aborted) {
        throw new PaymentGatewayUnavailableError(
          `payment gateway did not answer within ${this.#timeoutMs} ms`,
          {
            reason: 'timeout',
          },
        );
      }
      throw new PaymentGatewayUnavailableError(
        'payment gateway could not be reached',
        { reason: 'connection' },
        {
          cause: error,
        },
      );
    } finally {
      clearTimeout(timer);
    }
  }
}
