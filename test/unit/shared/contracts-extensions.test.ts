import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { assertEventType, deriveEventId, EventTypes, parseEvent } from '../../../shared/contracts';
import { ContractError } from '../../../shared/errors';
import { orderCreatedEvent, paymentSucceededEvent } from '../../support/events';

describe('deriveEventId', () => {
  it('is deterministic per namespace and name, and a valid UUID for the envelope schema', () => {
    const id = deriveEventId('billing.payment-outcome', 'e1');
    expect(deriveEventId('billing.payment-outcome', 'e1')).toBe(id);
    expect(deriveEventId('billing.payment-outcome', 'e2')).not.toBe(id);
    expect(deriveEventId('other', 'e1')).not.toBe(id);
    expect(z.uuid().safeParse(id).success).toBe(true);
    expect(id[14]).toBe('8');
  });
});

describe('assertEventType', () => {
  it('narrows to the subscribed types and rejects the others with a reason', () => {
    const event = parseEvent(orderCreatedEvent());
    expect(assertEventType(event, [EventTypes.orderCreated]).type).toBe('order.created');
    expect(() =>
      assertEventType(parseEvent(paymentSucceededEvent('o-1')), [EventTypes.orderCreated]),
    ).toThrow(new ContractError("unexpected event type 'payment.succeeded', expected order.created"));
  });
});
