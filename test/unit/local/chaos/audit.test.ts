import { describe, expect, it } from 'vitest';
import { formatChaosReport } from '../../../../local/chaos/run';
import { EVERY_PLANE } from '../../../../local/chaos/scenarios';
import { orderIdsIn } from '../../../../local/chaos/sources';

describe('the chaos audit', () => {
  it('finds order ids in an event, in an event inside a JSON string, and in an SQS body of an EventBridge event', () => {
    const event = { type: 'order.created', data: { orderId: 'o-1', customerId: 'c' } };
    expect(orderIdsIn(JSON.stringify(event))).toEqual(['o-1']);
    expect(orderIdsIn(JSON.stringify({ pk: 'e-1', event: JSON.stringify(event) }))).toEqual(['o-1']);
    expect(
      orderIdsIn(JSON.stringify({ 'detail-type': 'payment.failed', detail: { data: { orderId: 'o-2' } } })),
    ).toEqual(['o-2']);
    expect(orderIdsIn('chaos-poison: not an event')).toEqual([]);
  });

  it('carries one character of each of the 17 Unicode planes', () => {
    const planes = [...EVERY_PLANE].map((char) => (char.codePointAt(0) ?? 0) >> 16);
    expect(planes).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  });

  it('prints a row per scenario and, last, one JSON line with lost, doubleCharges and ordersTotal', () => {
    const row = {
      scenario: 'gateway-chaos',
      posted: 10,
      accepted: 10,
      paid: 9,
      paymentFailed: 1,
      stuck: 0,
      lost: 0,
      doubleCharges: 0,
      duplicateOrders: 0,
      inconsistent: 0,
      unanswered: 0,
      mangled: 0,
      notificationsSent: 20,
      notificationsExpected: 20,
      dlqBefore: 2,
      dlqAfter: 0,
      postMs: 4321,
      settleMs: 1234,
      faultHits: 7,
    };
    const text = formatChaosReport({
      profile: 'short',
      scenarios: [row],
      ordersTotal: 10,
      lost: 0,
      doubleCharges: 0,
      durationMs: 5000,
    });
    const lines = text.split('\n');
    expect(lines[2]).toMatch(
      /^gateway-chaos\s+10\s+10\s+9\s+1\s+0\s+0\s+0\s+0\s+0\s+0\s+20\/20\s+2→0\s+4\.3\s+1\.2\s+7/,
    );
    expect(JSON.parse(lines.at(-1) ?? '')).toMatchObject({ lost: 0, doubleCharges: 0, ordersTotal: 10 });
  });
});
