import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { replayDlq } from '../../shared/dlq';
import type { LocalCloud } from '../cloud/local-cloud';

type Say = (line: string) => void;

interface Order {
  readonly orderId: string;
  readonly status: string;
  readonly totalCents: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const placeOrder = async (apiUrl: string, customerId: string, cents: number): Promise<Order> => {
  const response = await fetch(`${apiUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-correlation-id': `demo-${customerId}` },
    body: JSON.stringify({
      customerId,
      currency: 'EUR',
      items: [{ sku: 'demo-mug', quantity: 1, unitPriceCents: cents }],
    }),
  });
  if (response.status !== 201)
    throw new Error(`POST /orders answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Order;
};

const statusOf = async (apiUrl: string, orderId: string): Promise<string> => {
  const response = await fetch(`${apiUrl}/orders/${orderId}`);
  return ((await response.json()) as Order).status;
};

/** Polls until `done` holds or `timeoutMs` passes, printing each change of `describe`. */
const watch = async (
  say: Say,
  describe: () => Promise<string>,
  done: (state: string) => boolean,
  timeoutMs: number,
) => {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const state = await describe();
    if (state !== last) say(`  ${state}`);
    last = state;
    if (done(state)) return;
    await sleep(500);
  }
  say(`  (still not there after ${timeoutMs / 1000} s)`);
};

/**
 * The guided tour of `npm start -- --demo`: orders flow through billing to PAID; the payment gateway goes down and
 * the billing DLQ fills after the retries; the gateway recovers and a DLQ replay drains it, every order paid once.
 */
export const runDemo = async (cloud: LocalCloud, say: Say): Promise<void> => {
  const { apiUrl, edgeUrl, outputs, region } = cloud.endpoints;
  const dlqUrl = outputs.BillingDlqUrl ?? '';
  const sqs = new SQSClient({
    endpoint: edgeUrl,
    region,
    credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' },
  });
  const dlqDepth = async () => {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    return Number(Attributes.ApproximateNumberOfMessages ?? 0);
  };
  const statuses = async (orders: readonly Order[]) =>
    (
      await Promise.all(
        orders.map(async (order) => `${order.orderId.slice(0, 8)} ${await statusOf(apiUrl, order.orderId)}`),
      )
    ).join(' · ');
  try {
    say('demo 1/3: two orders, healthy gateway: order.created → billing → payment.succeeded → order PAID');
    const healthy = [
      await placeOrder(apiUrl, 'demo-alice', 1800),
      await placeOrder(apiUrl, 'demo-bob', 2400),
    ];
    await watch(
      say,
      () => statuses(healthy),
      (state) => !state.includes('PENDING'),
      20_000,
    );
    const metrics = cloud.eventBridge.metrics();
    say(
      `  event bus so far: ${metrics.putEvents} events put, ${metrics.successfulInvocations} deliveries to rule targets`,
    );

    say('demo 2/3: the payment gateway goes down; billing retries with back-off, then dead-letters');
    await cloud.gateway.admin.startOutage();
    const stranded = [
      await placeOrder(apiUrl, 'demo-carol', 3100),
      await placeOrder(apiUrl, 'demo-dan', 1200),
    ];
    await watch(
      say,
      async () => `billing DLQ depth ${await dlqDepth()} · ${await statuses(stranded)}`,
      (state) => state.startsWith(`billing DLQ depth ${stranded.length}`),
      90_000,
    );

    say(
      'demo 3/3: the gateway recovers; replaying the billing DLQ (breakwater-dlq replay) pays each order once',
    );
    await cloud.gateway.admin.endOutage();
    const report = await replayDlq({ sqs }, dlqUrl, { selection: { types: ['order.created'] } });
    say(
      `  replay: ${report.totals.replayed} replayed, ${report.totals.failed} failed, ${report.totals.skipped} skipped`,
    );
    await watch(
      say,
      async () => `billing DLQ depth ${await dlqDepth()} · ${await statuses(stranded)}`,
      (state) => !state.includes('PENDING'),
      30_000,
    );
    const ledger = await cloud.gateway.admin.ledger();
    for (const order of [...healthy, ...stranded]) {
      const charges = ledger.filter((entry) => entry.charge?.reference === order.orderId);
      say(
        `  ${order.orderId.slice(0, 8)}: ${charges.length} charge(s) of ${order.totalCents} cents, ${charges[0]?.attempts ?? 0} gateway attempt(s)`,
      );
    }
  } finally {
    sqs.destroy();
  }
};
