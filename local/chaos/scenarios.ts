import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';

import { resolveConfig, writeManualState } from '@breakwater/circuit-breaker';
import { DynamoDbCircuitStore } from '@breakwater/circuit-breaker/dynamodb';
import type { FaultSpecInput, FaultsClient } from '@breakwater/local-cloud';
import { PAYMENT_GATEWAY_CIRCUIT_ID } from '../../shared/payment-gateway/circuit';
import type { ChaosTarget, SourcesOfTruth } from './sources';

/** What a scenario acts with while the driver posts orders. */
export interface ScenarioContext {
  readonly target: ChaosTarget;
  readonly faults: FaultsClient;
  readonly sources: SourcesOfTruth;
  /** Short or full: the short profile keeps hangs short so it settles within a test's time. */
  readonly profile: ChaosProfileName;
  readonly log: (line: string) => void;
}

export type ChaosProfileName = 'short' | 'full';

/** One fault scenario: faults on at `start`, acted on every `tick` while orders are posted, all cleared at the end. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  start(context: ScenarioContext): Promise<void>;
  /** Every second while the driver posts. */
  tick?(context: ScenarioContext, second: number): Promise<void>;
  /** Undo what `start` did besides fault rules (cleared by the runner). */
  stop?(context: ScenarioContext): Promise<void>;
  /** After the audit: remove what the scenario left behind on purpose (poison messages in the DLQs). */
  cleanup?(context: ScenarioContext): Promise<void>;
  /** Faults the scenario made that no rule counts (poison messages sent), added to its fault hits. */
  readonly extraHits?: (context: ScenarioContext) => number;
  /** Orders whose customer and item carry characters from every Unicode plane. */
  readonly unicodeOrders?: boolean;
}

/** The orders API and the outbox publisher (the orders stack). */
export const ORDERS_FUNCTIONS = '*-orders-*';
/** The SQS consumers' functions (billing; order status and notifications in the fulfilment stack). */
export const CONSUMER_FUNCTIONS = ['*-billing-*', '*-fulfilment-*'] as const;
/** The payment circuit billing uses (functions/billing/config.ts). */
export const PAYMENT_CIRCUIT_ID = PAYMENT_GATEWAY_CIRCUIT_ID;

/**
 * One character from each of the 17 Unicode planes, each allowed in SQS messages and DynamoDB strings: Latin and
 * CJK from the BMP, a musical symbol, CJK extensions B and G, code points of the unassigned planes 4–13, a tag
 * character, and private use from planes 15 and 16.
 */
export const EVERY_PLANE = [
  0x00e9, 0x1d11e, 0x20000, 0x30000, 0x40000, 0x50000, 0x60000, 0x70000, 0x80000, 0x90000, 0xa0000, 0xb0000,
  0xc0000, 0xd0000, 0xe0041, 0xf0000, 0x10fffd,
]
  .map((codePoint) => String.fromCodePoint(codePoint))
  .join('');

const add = async (context: ScenarioContext, specs: readonly FaultSpecInput[]) => {
  for (const spec of specs) await context.faults.add(spec);
};

/** Gateway: half the charges fail with 5xx, a share is charged and then hangs past the client's timeout. */
const gatewayKnobs = (profile: ChaosProfileName) => ({
  failureRate: 0.5,
  failureStatus: 503,
  timeoutRate: 0.15,
  timeoutAfterCharge: true,
  // Just past billing's 3 s gateway timeout: the charge was taken, the answer never came.
  hangMs: profile === 'short' ? 3_500 : 5_000,
});

const latencySpike = async (context: ScenarioContext, second: number) => {
  // Every fifth second the gateway slows to 1.5 s per charge for a second: latency spikes over the 5xx.
  if (second % 5 === 0) {
    await context.faults.add({
      service: 'gateway',
      kind: 'gateway',
      knobs: { ...gatewayKnobs(context.profile), latencyMs: 1_500 },
    });
  } else if (second % 5 === 1) {
    await context.faults.add({
      service: 'gateway',
      kind: 'gateway',
      knobs: { ...gatewayKnobs(context.profile), latencyMs: 0 },
    });
  }
};

/**
 * Disables the payment circuit or closes it again, by the breaker's manual transition on its table (as an operator's
 * `breakwater-breaker disable` does, without the CLI's look-up of known circuits: a fresh cloud has no item yet).
 */
const setBreaker = async (context: ScenarioContext, command: 'disable' | 'close') => {
  const store = new DynamoDbCircuitStore({
    client: context.sources.dynamodb,
    tableName: context.sources.output('BreakerTableName'),
  });
  await writeManualState(store, PAYMENT_CIRCUIT_ID, command === 'disable' ? 'DISABLED' : 'CLOSED', {
    reason: `chaos suite: breaker ${command === 'disable' ? 'disabled' : 'back to normal'}`,
    config: resolveConfig(),
    now: Date.now,
  });
};

/**
 * Workers killed mid-invocation: the orders API and the outbox publisher (a stream consumer, retried at once) in
 * both profiles; the SQS consumers mid-batch in the full profile only, since their batches come back after the
 * queues' visibility timeout (6 × the 30 s function timeout, as on AWS), longer than a test can wait.
 */
const killWorkers = async (context: ScenarioContext) => {
  const mid = context.profile === 'full' ? [ORDERS_FUNCTIONS, ...CONSUMER_FUNCTIONS] : [ORDERS_FUNCTIONS];
  for (const action of mid) {
    await context.faults.add({
      service: 'lambda',
      action,
      kind: 'kill',
      phase: 'invocation',
      rate: 0.1,
      withinMs: 300,
    });
  }
};

const killIdleWorkers = async (context: ScenarioContext, second: number) => {
  if (second % 3 !== 0) return;
  for (const action of CONSUMER_FUNCTIONS) {
    await context.faults.add({ service: 'lambda', action, kind: 'kill', phase: 'idle', count: 1 });
  }
};

const throttleDynamoDb = (context: ScenarioContext) =>
  add(context, [
    // The orders API's write of order and outbox event, and its idempotency record.
    { service: 'dynamodb', action: 'TransactWriteItems', kind: 'error', rate: 0.3 },
    {
      service: 'dynamodb',
      action: 'PutItem',
      kind: 'error',
      code: 'ThrottlingException',
      rate: 0.15,
      resource: context.sources.output('IdempotencyTableName'),
    },
    // The consumers' status updates and idempotency records.
    { service: 'dynamodb', action: 'UpdateItem', kind: 'error', rate: 0.2 },
    { service: 'dynamodb', action: 'GetItem', kind: 'error', code: 'InternalServerError', rate: 0.05 },
  ]);

const partialPutEvents = (context: ScenarioContext) =>
  add(context, [
    {
      service: 'events',
      action: 'PutEvents',
      kind: 'partial-failure',
      code: 'ThrottlingException',
      rate: 0.3,
    },
    { service: 'events', action: 'PutEvents', kind: 'partial-failure', code: 'InternalFailure', rate: 0.2 },
  ]);

/** Marks the poison messages, so that they can be told apart and removed after the audit. */
export const POISON_MARK = 'chaos-poison';
let poisonSent = 0;

/** A message no consumer can read, on every source queue: it must end in its DLQ, and nothing else with it. */
const poisonEveryQueue = async (context: ScenarioContext) => {
  const dlqs = await context.sources.dlqs();
  const queues = await context.sources.sourceQueueUrls(dlqs);
  for (const queueUrl of queues) {
    await context.sources.sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: `${POISON_MARK}: not an event ${EVERY_PLANE}`,
      }),
    );
    await context.sources.sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify({ 'detail-type': 'order.created', detail: { [POISON_MARK]: true } }),
      }),
    );
  }
  poisonSent += queues.length * 2;
  context.log(`poisoned ${queues.length} queues with 2 messages each`);
};

/** Deletes the poison messages from every DLQ (received and deleted; other messages are released at once). */
const removePoison = async (context: ScenarioContext) => {
  const { sqs } = context.sources;
  for (const dlq of await context.sources.dlqs()) {
    for (let round = 0; round < 20; round += 1) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlq.queue.url,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 30,
        }),
      );
      if (Messages.length === 0) break;
      for (const message of Messages) {
        const poisoned = (message.Body ?? '').includes(POISON_MARK);
        if (poisoned) {
          await sqs.send(
            new DeleteMessageCommand({ QueueUrl: dlq.queue.url, ReceiptHandle: message.ReceiptHandle }),
          );
        } else {
          await sqs.send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: dlq.queue.url,
              ReceiptHandle: message.ReceiptHandle,
              VisibilityTimeout: 0,
            }),
          );
        }
      }
      if (!Messages.some((message) => (message.Body ?? '').includes(POISON_MARK))) break;
    }
  }
};

const takePoisonHits = () => {
  const sent = poisonSent;
  poisonSent = 0;
  return sent;
};

const gatewayChaos: Scenario = {
  name: 'gateway-chaos',
  description: 'gateway 50% 5xx, charge-then-hang timeouts, latency spikes',
  start: (context) =>
    add(context, [{ service: 'gateway', kind: 'gateway', knobs: gatewayKnobs(context.profile) }]),
  tick: latencySpike,
};

const breakerDisabled: Scenario = {
  name: 'breaker-disabled',
  description: 'the same gateway faults with the circuit breaker disabled',
  start: async (context) => {
    await setBreaker(context, 'disable');
    await gatewayChaos.start(context);
  },
  tick: latencySpike,
  stop: (context) => setBreaker(context, 'close'),
};

const workersKilled: Scenario = {
  name: 'workers-killed',
  description:
    'workers killed mid-invocation (10%: API, outbox publisher; full: SQS consumers too) and idle (every 3 s)',
  start: killWorkers,
  tick: killIdleWorkers,
};

const redisDown: Scenario = {
  name: 'redis-down',
  description: 'Redis (Upstash) down for the whole scenario, back empty',
  start: (context) => add(context, [{ service: 'redis', kind: 'outage' }]),
};

const dynamoDbThrottling: Scenario = {
  name: 'dynamodb-throttling',
  description:
    'DynamoDB throttling on the orders API (30% of transactions) and on the consumers (20% of updates)',
  start: throttleDynamoDb,
};

const putEventsPartial: Scenario = {
  name: 'putevents-partial',
  description:
    'PutEvents partial failures (ThrottlingException, InternalFailure entries) from the outbox publisher',
  start: partialPutEvents,
};

const poison: Scenario = {
  name: 'poison',
  description: 'a poison message in every queue',
  start: poisonEveryQueue,
  cleanup: removePoison,
  extraHits: takePoisonHits,
};

const unicode: Scenario = {
  name: 'unicode',
  description: 'orders with characters from every Unicode plane',
  start: async () => undefined,
  unicodeOrders: true,
};

const combined: Scenario = {
  name: 'combined',
  description: 'every fault above at once',
  start: async (context) => {
    await setBreaker(context, 'disable');
    await gatewayChaos.start(context);
    await killWorkers(context);
    await redisDown.start(context);
    await throttleDynamoDb(context);
    await partialPutEvents(context);
    await poisonEveryQueue(context);
  },
  tick: async (context, second) => {
    await latencySpike(context, second);
    await killIdleWorkers(context, second);
  },
  stop: (context) => setBreaker(context, 'close'),
  cleanup: removePoison,
  extraHits: takePoisonHits,
  unicodeOrders: true,
};

/** Every scenario, by name. */
export const SCENARIOS: Readonly<Record<string, Scenario>> = Object.fromEntries(
  [
    gatewayChaos,
    breakerDisabled,
    workersKilled,
    redisDown,
    dynamoDbThrottling,
    putEventsPartial,
    poison,
    unicode,
    combined,
  ].map((scenario) => [scenario.name, scenario]),
);

/** How many orders each scenario of a profile posts, and how fast. */
export interface ChaosProfile {
  readonly name: ChaosProfileName;
  readonly ordersPerSecond: number;
  readonly scenarios: readonly { readonly scenario: string; readonly orders: number }[];
  /** Bound of each settle wait. */
  readonly settleTimeoutMs: number;
}

export const PROFILES: Readonly<Record<ChaosProfileName, ChaosProfile>> = {
  short: {
    name: 'short',
    ordersPerSecond: 15,
    // Rarely reached: the breaker may hold billing's messages for a minute after a failed half-open probe.
    settleTimeoutMs: 120_000,
    scenarios: [
      { scenario: 'gateway-chaos', orders: 40 },
      { scenario: 'workers-killed', orders: 40 },
      { scenario: 'dynamodb-throttling', orders: 40 },
      { scenario: 'putevents-partial', orders: 40 },
      { scenario: 'redis-down', orders: 40 },
      { scenario: 'poison', orders: 20 },
      { scenario: 'unicode', orders: 10 },
    ],
  },
  full: {
    name: 'full',
    ordersPerSecond: 14,
    settleTimeoutMs: 420_000,
    // The scenarios that settle fastest first, so that a run cut short still covers most faults.
    scenarios: [
      { scenario: 'dynamodb-throttling', orders: 1200 },
      { scenario: 'putevents-partial', orders: 1200 },
      { scenario: 'redis-down', orders: 1100 },
      { scenario: 'poison', orders: 600 },
      { scenario: 'unicode', orders: 300 },
      { scenario: 'workers-killed', orders: 1200 },
      { scenario: 'breaker-disabled', orders: 1200 },
      { scenario: 'gateway-chaos', orders: 1200 },
      { scenario: 'combined', orders: 2000 },
    ],
  },
};
