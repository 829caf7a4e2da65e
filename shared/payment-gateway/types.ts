/** A charge request. `reference` is the order id; `idempotencyKey` makes retries of one charge safe. */
export interface ChargeRequest {
  readonly amountCents: number;
  readonly currency: string;
  readonly reference: string;
  readonly idempotencyKey: string;
}

/** The gateway charged the card (`replayed`: it answered from an earlier attempt with the same idempotency key). */
export interface ChargeSucceeded {
  readonly status: 'succeeded';
  readonly chargeId: string;
  readonly replayed: boolean;
}

/** The card was declined: a business outcome, not an error. */
export interface ChargeDeclined {
  readonly status: 'declined';
  readonly error: string;
  readonly declineCode: string | undefined;
}

/** What a charge can end in when the gateway answered. Failures are thrown (see `errors.ts`). */
export type ChargeResult = ChargeSucceeded | ChargeDeclined;

/** The port billing talks to. `PaymentGatewayClient` implements it over HTTP. */
export interface PaymentGateway {
  charge(request: ChargeRequest): Promise<ChargeResult>;
}

/**
 * The seam where a circuit breaker wraps a gateway call: it runs `call` (or refuses to, by throwing) and passes its
 * result or error through. The default is `passThrough`; the breaker plugs in here without touching billing.
 */
export type CallGuard = <T>(call: () => Promise<T>) => Promise<T>;

/** The guard that guards nothing. */
export const passThrough: CallGuard = (call) => call();
