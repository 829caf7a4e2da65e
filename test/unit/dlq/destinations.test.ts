import { describe, expect, it } from 'vitest';
import {
  arnService,
  busOfRuleArn,
  needsSources,
  planDestination,
} from '../../../packages/dlq/src/destinations';
import type { QueueRef } from '../../../packages/dlq/src/types';
import { dlqMessage } from './factories';

const queue = (name: string): QueueRef => ({
  url: `http://localhost/000000000000/${name}`,
  arn: `arn:aws:sqs:us-east-1:000000000000:${name}`,
  name,
  fifo: name.endsWith('.fifo'),
});
const billing = queue('billing');
const ruleArn = 'arn:aws:events:us-east-1:000000000000:rule/breakwater-bus/order-created-to-billing';

describe('destination planning', () => {
  it('reads the bus of a rule ARN (custom or default bus) and the service of an ARN', () => {
    expect(busOfRuleArn(ruleArn)).toBe('breakwater-bus');
    expect(busOfRuleArn('arn:aws:events:us-east-1:000000000000:rule/only-rule')).toBe('default');
    expect(busOfRuleArn('arn:aws:sqs:us-east-1:0:q')).toBeUndefined();
    expect(arnService('arn:aws:lambda:us-east-1:0:function:f')).toBe('lambda');
  });

  it('sends an SQS redrive message back to its single source queue', () => {
    expect(planDestination(dlqMessage(), {}, [billing])).toMatchObject({
      ok: true,
      kind: 'sqs',
      queue: billing,
      redelivery: false,
    });
  });

  it('prefers the source SQS recorded on the message (DeadLetterQueueSourceArn) over the policy scan', () => {
    const message = dlqMessage({ system: { DeadLetterQueueSourceArn: queue('other').arn } });
    expect(needsSources(message, {})).toBe(false);
    expect(planDestination(message, {}, undefined)).toMatchObject({
      ok: true,
      kind: 'sqs-arn',
      arn: queue('other').arn,
    });
  });

  it('fails clearly with no source, or with several and nothing on the message to choose by', () => {
    expect(planDestination(dlqMessage(), {}, [])).toMatchObject({
      ok: false,
      reason: expect.stringContaining('pass --to'),
    });
    expect(planDestination(dlqMessage(), {}, [billing, queue('b2')])).toMatchObject({
      ok: false,
      reason: expect.stringContaining('2 source queues'),
    });
  });

  it('re-delivers an EventBridge dead letter to its target: SQS queue, Lambda function, or says to use --via-bus', () => {
    const toQueue = dlqMessage({ attributes: { RULE_ARN: ruleArn, TARGET_ARN: billing.arn } });
    expect(planDestination(toQueue, {}, undefined)).toMatchObject({
      ok: true,
      kind: 'sqs-arn',
      arn: billing.arn,
      redelivery: true,
    });
    const fn = 'arn:aws:lambda:us-east-1:000000000000:function:notifications';
    expect(planDestination(dlqMessage({ attributes: { TARGET_ARN: fn } }), {}, undefined)).toMatchObject({
      kind: 'lambda',
      functionArn: fn,
    });
    const machine = dlqMessage({ attributes: { TARGET_ARN: 'arn:aws:states:us-east-1:0:stateMachine:s' } });
    expect(planDestination(machine, {}, undefined)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('--via-bus'),
    });
  });

  it('--to overrides everything but --via-bus, and strips failure attributes only for EventBridge dead letters', () => {
    const other = queue('other');
    expect(planDestination(dlqMessage(), { to: other }, [billing])).toMatchObject({
      kind: 'sqs',
      queue: other,
      redelivery: false,
    });
    const deadLetter = dlqMessage({ attributes: { TARGET_ARN: billing.arn } });
    expect(planDestination(deadLetter, { to: other }, undefined)).toMatchObject({
      queue: other,
      redelivery: true,
    });
  });

  it('--via-bus uses the bus of RULE_ARN or --bus, and needs one of them', () => {
    const withRule = dlqMessage({ attributes: { RULE_ARN: ruleArn } });
    expect(planDestination(withRule, { viaBus: true }, undefined)).toMatchObject({
      kind: 'bus',
      busName: 'breakwater-bus',
    });
    expect(planDestination(dlqMessage(), { viaBus: true, busName: 'b' }, undefined)).toMatchObject({
      kind: 'bus',
      busName: 'b',
    });
    expect(planDestination(dlqMessage(), { viaBus: true }, undefined)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('--bus'),
    });
  });
});
