import type { ChargeRequest, ChargeResult, PaymentGateway } from '../../shared/payment-gateway';

/**
 * `PaymentGateway` in memory with the contract's idempotency: the same key answers the same charge (replayed),
 * never a second ledger entry. `next` decides the answer to a new key: a result, or an error to throw.
 */
export class FakePaymentGateway implements PaymentGateway {
  public readonly calls: ChargeRequest[] = [];
  public readonly ledger = new Map<string, { chargeId: string; amountCents: number }>();
  public next: (request: ChargeRequest) => 'succeed' | ChargeResult | Error = () => 'succeed';

  public async charge(request: ChargeRequest): Promise<ChargeResult> {
    this.calls.push(request);
    const existing = this.ledger.get(request.idempotencyKey);
    if (existing !== undefined) return { status: 'succeeded', chargeId: existing.chargeId, replayed: true };
    const decision = this.next(request);
    if (decision instanceof Error) throw decision;
    if (decision !== 'succeed') return decision;
    const chargeId = `ch_${this.ledger.size + 1}`;
    this.ledger.set(request.idempotencyKey, { chargeId, amountCents: request.amountCents });
    return { status: 'succeeded', chargeId, replayed: false };
  }
}
