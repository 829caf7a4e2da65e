import {
  ListRulesCommand,
  ListTargetsByRuleCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pascalCase } from '../../infra/naming';
import { createEvent, type EventDataByType, type EventType, EventTypes } from '../../shared/contracts';
import { PAYMENT_GATEWAY_CIRCUIT_ID } from '../../shared/payment-gateway/circuit';
import { connectToSystem, type System } from './support/system';

/** One event of every type the app emits, built with the same factory the producers use. */
const sampleData: { [T in EventType]: EventDataByType[T] } = {
  'order.created': {
    orderId: 'o-1',
    customerId: 'c-1',
    items: [{ sku: 's', quantity: 1, unitPriceCents: 100 }],
    totalCents: 100,
    currency: 'EUR',
  },
  'payment.succeeded': { orderId: 'o-1', paymentId: 'ch_1', amountCents: 100, currency: 'EUR' },
  'payment.failed': { orderId: 'o-1', amountCents: 100, currency: 'EUR', reason: 'declined' },
  'breaker.opened': {
    circuitId: PAYMENT_GATEWAY_CIRCUIT_ID,
    from: 'CLOSED',
    to: 'OPEN',
    stateVersion: 1,
    reason: 'rate',
  },
  'breaker.half_opened': {
    circuitId: PAYMENT_GATEWAY_CIRCUIT_ID,
    from: 'OPEN',
    to: 'HALF_OPEN',
    stateVersion: 2,
    reason: 'cooldown',
  },
  'breaker.closed': {
    circuitId: PAYMENT_GATEWAY_CIRCUIT_ID,
    from: 'HALF_OPEN',
    to: 'CLOSED',
    stateVersion: 3,
    reason: 'probes',
  },
};

/** What each consumer subscribes to: the promise the rules must keep. */
const expectedSubscriptions: Record<string, readonly EventType[]> = {
  billing: [EventTypes.orderCreated],
  'order-status': [EventTypes.paymentSucceeded, EventTypes.paymentFailed],
  notifications: [EventTypes.orderCreated, EventTypes.paymentSucceeded, EventTypes.paymentFailed],
};

/** The EventBridge event PutEvents makes of an envelope (what a rule sees). */
const asEventBridgeEvent = <T extends EventType>(type: T, region: string) => {
  const envelope = createEvent<T>({ type, data: sampleData[type], correlationId: 'patterns' });
  return JSON.stringify({
    version: '0',
    id: envelope.id,
    'detail-type': envelope.type,
    source: envelope.source,
    account: '000000000000',
    time: envelope.occurredAt,
    region,
    resources: [],
    detail: envelope,
  });
};

describe('the rules of the deployed app', () => {
  let system: System;
  beforeAll(() => {
    system = connectToSystem();
  });
  afterAll(() => system.close());

  it('route every event type the app emits to exactly the consumers that subscribe to it', async () => {
    const busName = system.output('EventBusName');
    const { Rules = [] } = await system.eventBridge.send(new ListRulesCommand({ EventBusName: busName }));
    const matched: Record<string, EventType[]> = {};
    // A consumer's rule is the one whose target is its queue (the stack output `<Consumer>QueueArn`).
    const queueArns = new Map(
      Object.keys(expectedSubscriptions).map((name) => [system.output(`${pascalCase(name)}QueueArn`), name]),
    );
    for (const rule of Rules) {
      const { Targets = [] } = await system.eventBridge.send(
        new ListTargetsByRuleCommand({ Rule: rule.Name, EventBusName: busName }),
      );
      const consumer = Targets.map((target) => queueArns.get(target.Arn ?? '')).find(Boolean);
      if (consumer === undefined || rule.EventPattern === undefined) continue;
      for (const type of Object.keys(sampleData) as EventType[]) {
        const { Result } = await system.eventBridge.send(
          new TestEventPatternCommand({
            EventPattern: rule.EventPattern,
            Event: asEventBridgeEvent(type, system.description.region),
          }),
        );
        if (Result) matched[consumer] = [...(matched[consumer] ?? []), type];
      }
    }
    expect(matched).toEqual(expectedSubscriptions);
  });
});
