import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { resolveConfig, writeManualState } from '@breakwater/circuit-breaker';
import { DynamoDbCircuitStore } from '@breakwater/circuit-breaker/dynamodb';
import { replayDlq } from '@breakwater/dlq';
import { PAYMENT_GATEWAY_CIRCUIT_ID } from '../../shared/payment-gateway/circuit';
import type { BreakwaterCloud } from '../cloud/breakwater-cloud';

type Say = (line: string) => void;

interface Order {
  readonly orderId: string;
  readonly status: string;
  readonly totalCents: number;
}

/** What the demo sets on every function: no back-off between a failing message's receives, so a DLQ fills in seconds. */
export const DEMO_FUNCTION_ENVIRONMENT = { RETRY_BASE_DELAY_SECONDS: '0' } as const;

/** CloudWatch's time in the demo: 60 times the wall clock, so a 1-minute alarm period passes in a second. */
export const DEMO_CLOUDWATCH_TIME_SCALE = 60;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const placeOrders = async (apiUrl: string, customer: string, count: number): Promise<Order[]> => {
  const orders: Order[] = [];
  for (let i = 0; i < count; i += 1) {
    const response = await fetch(`${apiUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': `demo-${customer}-${i}` },
      body: JSON.stringify({
        customerId: `${customer}-${i}`,
        currency: 'EUR',
        items: [{ sku: 'demo-mug', quantity: 1, unitPriceCents: 1000 + 100 * i }],
      }),
    });
    if (response.status !== 201)
      throw new Error(`POST /orders answered ${response.status}: ${await response.text()}`);
    orders.push((await response.json()) as Order);
  }
  return orders;
};

/** Polls until `done` holds or `timeoutMs` passes, printing each change of what `describe` returns. */
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
  say(`  (not there after ${timeoutMs / 1000} s; moving on)`);
};

/**
 * The guided tour of `npm start -- --demo`, in three acts: orders flow to PAID; the payment gateway goes down and
 * the circuit breaker opens, holding billing's messages without calling the gateway, then closes when it recovers;
 * with the breaker disabled, a second outage dead-letters billing — its DLQ alarm fires and its notification lands
 * in the SNS inbox — and a DLQ replay pays every order exactly once and clears the alarm.
 */
export const runDemo = async (cloud: BreakwaterCloud, say: Say): Promise<void> => {
  const { apiUrl, edgeUrl, outputs, region } = cloud.endpoints;
  const clientConfig = {
    endpoint: edgeUrl,
    region,
    credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' },
  };
  const sqs = new SQSClient(clientConfig);
  const dynamodb = new DynamoDBClient(clientConfig);
  const gateway = cloud.gateway.admin;
  const tableName = outputs.BreakerTableName ?? '';
  const dlqUrl = outputs.BillingDlqUrl ?? '';
  const billingDlqAlarm = cloud.cloudWatch.alarms
    .list()
    .find((alarm) => alarm.AlarmName.endsWith('-billing-dlq-depth'));
  const alarmState = () => {
    const name = billingDlqAlarm?.AlarmName ?? '';
    return `alarm ${name} ${cloud.cloudWatch.alarms.get(name)?.StateValue ?? 'missing'}`;
  };
  /** The subject of the newest notification of the billing DLQ alarm in the SNS inbox. */
  const lastNotification = () =>
    cloud
      .notifications()
      .filter(
        (entry) =>
          entry.subscriptionArn === undefined && entry.message.includes(billingDlqAlarm?.AlarmName ?? '?'),
      )
      .at(-1);

  const dlqDepth = async () => {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    return Number(Attributes.ApproximateNumberOfMessages ?? 0);
  };
  const circuit = async () => {
    const { Item } = await dynamodb.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { pk: { S: PAYMENT_GATEWAY_CIRCUIT_ID } },
        ConsistentRead: true,
      }),
    );
    return Item?.state?.S ?? 'CLOSED';
  };
  const statuses = async (orders: readonly Order[]) => {
    const all = await Promise.all(
      orders.map(
        async (order) => ((await (await fetch(`${apiUrl}/orders/${order.orderId}`)).json()) as Order).status,
      ),
    );
    const paid = all.filter((status) => status === 'PAID').length;
    return `${paid}/${orders.length} orders PAID`;
  };
  const charges = async (orders: readonly Order[]) => {
    const ledger = await gateway.ledger();
    const counts = orders.map(
      (order) => ledger.filter((entry) => entry.charge?.reference === order.orderId).length,
    );
    return `charges per order: ${counts.join(' ')}`;
  };

  try {
    say(`watch it on the status page: ${cloud.endpoints.statusUrl} (event flow, circuit, gateway, alarms)`);
    say('demo 1/3: three orders, healthy gateway: order.created → billing → payment.succeeded → PAID');
    const healthy = await placeOrders(apiUrl, 'demo-healthy', 3);
    await watch(
      say,
      () => statuses(healthy),
      (state) => state.startsWith('3/3'),
      30_000,
    );
    const bus = cloud.eventBridge.metrics();
    say(
      `  event bus: ${bus.putEvents} events put, ${bus.successfulInvocations} deliveries to consumer queues`,
    );

    say(
      'demo 2/3: the gateway goes down; the circuit breaker opens and holds billing without calling the gateway',
    );
    await gateway.startOutage();
    const held = await placeOrders(apiUrl, 'demo-outage', 20);
    await watch(
      say,
      async () => `circuit ${await circuit()} · billing DLQ ${await dlqDepth()} · ${await statuses(held)}`,
      (state) => state.startsWith('circuit OPEN'),
      90_000,
    );
    say('  the gateway recovers; after the cooldown a few probes go through and the circuit closes');
    await gateway.endOutage();
    await watch(
      say,
      async () => `circuit ${await circuit()} · billing DLQ ${await dlqDepth()} · ${await statuses(held)}`,
      (state) => state.startsWith('circuit CLOSED') && state.endsWith('20/20 orders PAID'),
      150_000,
    );
    say(`  ${await charges(held)}`);

    say(
      'demo 3/3: an operator disables the breaker; the gateway fails again; billing dead-letters after its retries',
    );
    const store = new DynamoDbCircuitStore({ client: dynamodb, tableName });
    const setCircuit = (target: 'CLOSED' | 'DISABLED', reason: string) =>
      writeManualState(store, PAYMENT_GATEWAY_CIRCUIT_ID, target, {
        reason,
        config: resolveConfig(),
        now: Date.now,
      });
    await setCircuit('DISABLED', 'demo: always call the gateway');
    await gateway.startOutage();
    const stranded = await placeOrders(apiUrl, 'demo-dlq', 3);
    await watch(
      say,
      async () => `billing DLQ ${await dlqDepth()} · ${await statuses(stranded)}`,
      (state) => state.startsWith('billing DLQ 3'),
      90_000,
    );
    say('  a dead letter pages: CloudWatch sees the DLQ depth and its alarm notifies the page topic');
    await watch(
      say,
      async () => alarmState(),
      (state) => state.endsWith(' ALARM'),
      60_000,
    );
    const paged = lastNotification();
    if (paged !== undefined) say(`  inbox (${cloud.endpoints.inboxUrl}): "${paged.subject ?? ''}"`);
    await gateway.endOutage();
    say('  the gateway recovers; replaying the billing DLQ (what `npm run dlq -- replay` does):');
    const report = await replayDlq({ sqs }, dlqUrl, { selection: { types: ['order.created'] } });
    say(
      `  replay: ${report.totals.replayed} replayed, ${report.totals.failed} failed, ${report.totals.skipped} skipped`,
    );
    await watch(
      say,
      async () => `billing DLQ ${await dlqDepth()} · ${await statuses(stranded)}`,
      (state) => state.endsWith('3/3 orders PAID'),
      30_000,
    );
    say(`  ${await charges(stranded)}`);
    await watch(
      say,
      async () => alarmState(),
      (state) => state.endsWith(' OK'),
      60_000,
    );
    const cleared = lastNotification();
    if (cleared !== undefined) say(`  inbox: "${cleared.subject ?? ''}"`);
    await setCircuit('CLOSED', 'demo done');
  } finally {
    sqs.destroy();
    dynamodb.destroy();
  }
};
