import {
  CircuitBreakers,
  combineListeners,
  MemoryCircuitStore,
  metricsListeners,
} from '@breakwater/circuit-breaker';
import { describe, expect, it } from 'vitest';
import { billingProcessor, createBillingHandler } from '../../../../functions/billing/handler';
import type { EventEnvelope } from '../../../../shared/contracts';
import { transitionEventListeners } from '../../../../shared/events/breaker-transitions';
import { EventPublisher } from '../../../../shared/events/publisher';
import { PaymentGatewayUnavailableError } from '../../../../shared/payment-gateway';
import { PAYMENT_GATEWAY_CIRCUIT_ID } from '../../../../shared/payment-gateway/circuit';
import { orderCreatedEvent, sqsEvent, sqsRecordOf } from '../../../support/events';
import { FakeEventBridge } from '../../../support/fake-event-bridge';
import { FakePaymentGateway } from '../../../support/fake-payment-gateway';
import { inMemoryPersistence } from '../../../support/in-memory-idempotency-store';
import { lambdaContext } from '../../../support/lambda';
import { quietObservability } from '../../../support/observability';
import { RecordingMetrics } from '../../../support/recording-log';
import { RecordingRetryScheduler } from '../../../support/recording-retry-scheduler';
import { ManualClock } from '../../circuit-breaker/fakes';

const CIRCUIT = PAYMENT_GATEWAY_CIRCUIT_ID;

/** Billing as production wires it, over in-memory ports: breaker state in memory, a manual clock, a fake bus. */
const setup = ({ random = 0 }: { random?: number } = {}) => {
  const clock = new ManualClock();
  const store = new MemoryCircuitStore();
  const gateway = new FakePaymentGateway();
  const bus = new FakeEventBridge();
  const publisher = new EventPublisher({
    client: bus,
    eventBusName: 'breakwater',
    sleep: async () => undefined,
  });
  const breakerMetrics: string[] = [];
  const breakers = new CircuitBreakers({
    stateStore: store,
    counterStore: store,
    clock,
    config: { minimumCalls: 4 },
    listeners: combineListeners(
      metricsListeners((name, _unit, value, circuitId) =>
        breakerMetrics.push(`${name}=${value}@${circuitId}`),
      ),
      transitionEventListeners(publisher),
    ),
  });
  const processor = billingProcessor(
    {
      gateway,
      publisher,
      metrics: new RecordingMetrics(),
      guardFor: (context) =>
        breakers.for(CIRCUIT).guard({ remainingTimeMs: context.getRemainingTimeInMillis() }),
    },
    { persistenceStore: inMemoryPersistence(), expiresAfterSeconds: 3600 },
  );
  const retries = new RecordingRetryScheduler(random);
  const handler = createBillingHandler(async () => processor, quietObservability(), {
    retryScheduler: retries,
  });
  /** The delay each failed message got, by message id. */
  const delays = () => Object.fromEntries(retries.scheduled.map((retry) => [retry.messageId, retry.seconds]));
  const emitted = (): EventEnvelope[] => bus.accepted.map((entry) => JSON.parse(entry.Detail ?? '{}'));
  const failures = async (records: ReturnType<typeof sqsRecordOf>[]) =>
    (await handler(sqsEvent(records), lambdaContext())).batchItemFailures.map((f) => f.itemIdentifier);
  return { clock, breakers, gateway, bus, retries, delays, emitted, failures, breakerMetrics };
};

const unavailable = () =>
  new PaymentGatewayUnavailableError('payment gateway answered 503', { reason: 'status', status: 503 });

describe('billing behind the circuit breaker: the queue-aware fallback', () => {
  it('while open: nothing charged, the message fails and stays away for the rest of the cooldown', async () => {
    const { clock, breakers, gateway, retries, failures, emitted } = setup();
    await breakers.for(CIRCUIT).setState('OPEN', 'gateway outage'); // cooldown 30 s
    clock.advance(10_000);
    const record = sqsRecordOf(orderCreatedEvent());

    expect(await failures([record])).toEqual([record.messageId]);
    expect(gateway.calls).toEqual([]);
    expect(retries.scheduled).toEqual([
      { messageId: record.messageId, queueArn: record.eventSourceARN, seconds: 20 },
    ]);
    expect(emitted().map((event) => event.type)).toEqual(['breaker.opened']);
  });

  it('spreads the returns with jitter, and the message is charged once when it returns to a closed circuit', async () => {
    const { clock, breakers, gateway, retries, failures, emitted } = setup({ random: 0.5 });
    await breakers.for(CIRCUIT).setState('OPEN', 'gateway outage');
    clock.advance(10_000);
    const order = orderCreatedEvent();
    await failures([sqsRecordOf(order)]);
    // 20 s left, plus 0.5 × 20 % jitter.
    expect(retries.scheduled.map((retry) => retry.seconds)).toEqual([22]);

    await breakers.for(CIRCUIT).setState('CLOSED', 'gateway back');
    // The rejection left no idempotency record behind: the returning message is processed in full.
    expect(await failures([sqsRecordOf(order)])).toEqual([]);
    expect(gateway.ledger.size).toBe(1);
    expect(emitted().filter((event) => event.type === 'payment.succeeded')).toHaveLength(1);
  });

  it('a gateway failure fails the record with the ordinary back-off, not a cooldown', async () => {
    const { gateway, retries, failures, emitted } = setup();
    gateway.next = unavailable;
    const record = sqsRecordOf(orderCreatedEvent());

    expect(await failures([record])).toEqual([record.messageId]);
    expect(gateway.calls).toHaveLength(1);
    expect(retries.scheduled.map((retry) => retry.seconds)).toEqual([2]);
    expect(emitted()).toEqual([]);
  });

  it('a decline is a success of the record, emitting payment.failed, and counts as an answer for the circuit', async () => {
    const { gateway, retries, failures, emitted, clock } = setup();
    gateway.next = () => ({ status: 'declined', error: 'card_declined', declineCode: 'insufficient_funds' });
    const orders = Array.from({ length: 6 }, () => orderCreatedEvent());

    expect(await failures(orders.map((order) => sqsRecordOf(order)))).toEqual([]);
    clock.advance(1_000);
    expect(await failures([sqsRecordOf(orderCreatedEvent())])).toEqual([]);
    expect(retries.scheduled).toEqual([]);
    expect(emitted().map((event) => event.type)).toEqual(Array(7).fill('payment.failed'));
  });

  it('trips on failing charges, publishes breaker.opened and metrics per circuit, then defers without calling', async () => {
    const { clock, gateway, delays, failures, emitted, breakerMetrics } = setup();
    gateway.next = unavailable;
    await failures(Array.from({ length: 4 }, () => sqsRecordOf(orderCreatedEvent())));
    clock.advance(1_000);
    const [first, second] = [sqsRecordOf(orderCreatedEvent()), sqsRecordOf(orderCreatedEvent())];

    // The first call of the batch syncs, sees the fleet-wide window trip, and every record is refused.
    expect((await failures([first, second])).sort()).toEqual([first.messageId, second.messageId].sort());
    expect(gateway.calls).toHaveLength(4);
    expect(delays()).toMatchObject({ [first.messageId]: 30, [second.messageId]: 30 });
    const [opened] = emitted();
    expect(opened).toMatchObject({
      type: 'breaker.opened',
      source: 'breakwater.circuit-breaker',
      data: { circuitId: CIRCUIT, from: 'CLOSED', to: 'OPEN', failureRate: 1 },
    });
    expect(breakerMetrics).toEqual(
      expect.arrayContaining([
        `CircuitOpened=1@${CIRCUIT}`,
        `CircuitNotClosed=1@${CIRCUIT}`,
        `CircuitRejectedCalls=1@${CIRCUIT}`,
        `CircuitFailureRate=100@${CIRCUIT}`,
      ]),
    );
  });

  it('keeps a message refused by a forced-open circuit away for the forced retry time', async () => {
    const { breakers, gateway, retries, failures } = setup();
    await breakers.for(CIRCUIT).setState('FORCED_OPEN', 'maintenance');
    const record = sqsRecordOf(orderCreatedEvent());

    expect(await failures([record])).toEqual([record.messageId]);
    expect(gateway.calls).toEqual([]);
    expect(retries.scheduled.map((retry) => retry.seconds)).toEqual([60]);
  });
});
