import { describe, expect, it, vi } from 'vitest';
import { TargetDeliveryError } from '../../../../packages/local-cloud/src/eventbridge';
import {
  ARN_PREFIX,
  call,
  DLQ_ARN,
  entry,
  FUNCTION_ARN,
  newService,
  QUEUE_ARN,
  ruleWithTarget,
} from './support';

const pattern = { source: ['breakwater.orders'] };

describe('EventBridge emulator: delivery with input transformation', () => {
  it('gives each target its own input: whole event, InputPath, Input, InputTransformer', async () => {
    const { service, delivery } = newService();
    const ruleArn = await ruleWithTarget(service, 'orders', pattern);
    await call(service, 'PutTargets', {
      Rule: 'orders',
      Targets: [
        { Id: 'path', Arn: `${QUEUE_ARN}-path`, InputPath: '$.detail' },
        { Id: 'constant', Arn: `${QUEUE_ARN}-constant`, Input: '{"ping":true}' },
        {
          Id: 'transformed',
          Arn: FUNCTION_ARN,
          InputTransformer: {
            InputPathsMap: { order: '$.detail.orderId', cents: '$.detail.totalCents' },
            InputTemplate:
              '{"order": <order>, "cents": <cents>, "text": "order <order> by <aws.events.rule-name>", "rule": <aws.events.rule-arn>}',
          },
        },
      ],
    });
    const { Entries } = await call(service, 'PutEvents', {
      Entries: [entry({ orderId: 'o-7', totalCents: 990 })],
    });
    await service.whenIdle();
    const [{ EventId }] = Entries as [{ EventId: string }];
    expect(delivery.bodiesTo(QUEUE_ARN)).toEqual([
      expect.objectContaining({ id: EventId, detail: { orderId: 'o-7', totalCents: 990 } }),
    ]);
    expect(delivery.bodiesTo(`${QUEUE_ARN}-path`)).toEqual([{ orderId: 'o-7', totalCents: 990 }]);
    expect(delivery.to(`${QUEUE_ARN}-constant`).map((request) => request.body)).toEqual(['{"ping":true}']);
    expect(delivery.bodiesTo(FUNCTION_ARN)).toEqual([
      { order: 'o-7', cents: 990, text: 'order o-7 by orders', rule: ruleArn },
    ]);
  });

  it('sends FIFO queue targets their MessageGroupId, deduplicated by event id', async () => {
    const { service, delivery } = newService();
    const fifo = `${QUEUE_ARN}.fifo`;
    await ruleWithTarget(service, 'orders', pattern, {
      Id: 'f',
      Arn: fifo,
      SqsParameters: { MessageGroupId: 'orders' },
    });
    const { Entries } = await call(service, 'PutEvents', { Entries: [entry()] });
    await service.whenIdle();
    const [{ EventId }] = Entries as [{ EventId: string }];
    expect(delivery.to(fifo)).toEqual([
      expect.objectContaining({ messageGroupId: 'orders', messageDeduplicationId: EventId }),
    ]);
  });
});

describe('EventBridge emulator: retries and dead-letter queues', () => {
  it('retries a failing target and then delivers', async () => {
    const { service, delivery } = newService();
    await ruleWithTarget(service, 'orders', pattern);
    delivery.failNext(QUEUE_ARN, 2);
    await call(service, 'PutEvents', { Entries: [entry()] });
    await service.whenIdle();
    expect(delivery.attempts.map((request) => request.context.attempt)).toEqual([0, 1, 2]);
    expect(delivery.to(QUEUE_ARN)).toHaveLength(1);
    expect(service.metrics()).toMatchObject({
      failedAttempts: 2,
      retryInvocationAttempts: 2,
      successfulInvocations: 1,
    });
  });

  it('after MaximumRetryAttempts sends the original event to the DLQ with AWS attributes', async () => {
    const { service, delivery } = newService();
    const ruleArn = await ruleWithTarget(service, 'orders', pattern, {
      Id: 'billing',
      Arn: QUEUE_ARN,
      InputPath: '$.detail',
      DeadLetterConfig: { Arn: DLQ_ARN },
      RetryPolicy: { MaximumRetryAttempts: 2 },
    });
    delivery.failNext(QUEUE_ARN, 100);
    const { Entries } = await call(service, 'PutEvents', { Entries: [entry({ orderId: 'o-9' })] });
    await service.whenIdle();
    const [{ EventId }] = Entries as [{ EventId: string }];
    expect(delivery.attempts.filter((request) => request.arn === QUEUE_ARN)).toHaveLength(3);
    const [dead] = delivery.to(DLQ_ARN);
    expect(JSON.parse(dead?.body ?? '')).toMatchObject({ id: EventId, detail: { orderId: 'o-9' } });
    expect(dead?.messageAttributes).toEqual({
      RULE_ARN: ruleArn,
      TARGET_ARN: QUEUE_ARN,
      ERROR_CODE: 'SDK_CLIENT_ERROR',
      ERROR_MESSAGE: 'target unavailable',
      EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
      RETRY_ATTEMPTS: '2',
    });
    expect(dead?.context).toMatchObject({ deadLetter: true, targetId: 'billing', eventId: EventId });
    expect(service.metrics()).toMatchObject({
      failedInvocations: 1,
      invocationsSentToDlq: 1,
      droppedInvocations: 0,
    });
  });

  it('sends a failure that is not worth retrying to the DLQ at once, with its code', async () => {
    const { service, delivery } = newService();
    await ruleWithTarget(service, 'orders', pattern, {
      Id: 't',
      Arn: QUEUE_ARN,
      DeadLetterConfig: { Arn: DLQ_ARN },
    });
    delivery.failNext(
      QUEUE_ARN,
      1,
      () => new TargetDeliveryError('queue does not exist', { code: 'NO_RESOURCE', retryable: false }),
    );
    await call(service, 'PutEvents', { Entries: [entry()] });
    await service.whenIdle();
    expect(delivery.attempts.filter((request) => request.arn === QUEUE_ARN)).toHaveLength(1);
    expect(delivery.to(DLQ_ARN)[0]?.messageAttributes).toEqual({
      RULE_ARN: expect.any(String),
      TARGET_ARN: QUEUE_ARN,
      ERROR_CODE: 'NO_RESOURCE',
      ERROR_MESSAGE: 'queue does not exist',
      RETRY_ATTEMPTS: '0',
    });
  });

  it('stops retrying once the event is older than MaximumEventAgeInSeconds', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const { service, delivery } = newService({ now: () => clock });
    await ruleWithTarget(service, 'orders', pattern, {
      Id: 't',
      Arn: QUEUE_ARN,
      DeadLetterConfig: { Arn: DLQ_ARN },
      RetryPolicy: { MaximumEventAgeInSeconds: 60 },
    });
    delivery.failNext(QUEUE_ARN, 100);
    await call(service, 'PutEvents', { Entries: [entry()] });
    clock += 61_000;
    await service.whenIdle();
    expect(delivery.attempts.filter((request) => request.arn === QUEUE_ARN)).toHaveLength(1);
    expect(delivery.to(DLQ_ARN)[0]?.messageAttributes).toMatchObject({
      EXHAUSTED_RETRY_CONDITION: 'MaximumEventAgeInSeconds',
    });
  });

  it('drops, logs and counts what fails for good without a DLQ, and a DLQ that fails too', async () => {
    const { service, delivery, logs } = newService();
    await ruleWithTarget(service, 'orders', pattern, {
      Id: 't',
      Arn: QUEUE_ARN,
      RetryPolicy: { MaximumRetryAttempts: 0 },
    });
    await ruleWithTarget(service, 'audit', pattern, {
      Id: 't',
      Arn: FUNCTION_ARN,
      DeadLetterConfig: { Arn: DLQ_ARN },
      RetryPolicy: { MaximumRetryAttempts: 0 },
    });
    delivery.failNext(QUEUE_ARN, 100);
    delivery.failNext(FUNCTION_ARN, 100);
    delivery.failNext(DLQ_ARN, 100);
    await call(service, 'PutEvents', { Entries: [entry()] });
    await service.whenIdle();
    expect(delivery.delivered).toEqual([]);
    expect(service.metrics()).toMatchObject({
      failedInvocations: 2,
      droppedInvocations: 1,
      invocationsSentToDlq: 0,
      invocationsFailedToBeSentToDlq: 1,
    });
    const { rules } = service.metrics();
    expect(rules[`${ARN_PREFIX}:rule/orders`]).toMatchObject({
      RuleName: 'orders',
      EventBusName: 'default',
      Invocations: 1,
      FailedInvocations: 1,
      DroppedInvocations: 1,
      InvocationsFailedToBeSentToDlq: 0,
    });
    expect(rules[`${ARN_PREFIX}:rule/audit`]).toMatchObject({
      Invocations: 1,
      FailedInvocations: 1,
      InvocationsSentToDlq: 0,
      InvocationsFailedToBeSentToDlq: 1,
    });
    expect(logs).toHaveLength(2);
    expect(logs.find((line) => line.includes('rule/orders'))).toMatch(
      /^EventBridge lost event [\w-]+: rule .*rule\/orders target t \(.*orders-queue\) failed after 0 retries \(SDK_CLIENT_ERROR: target unavailable\) and the target has no dead-letter queue$/,
    );
    expect(logs.find((line) => line.includes('rule/audit'))).toMatch(
      /its dead-letter queue .*orders-target-dlq refused it too \(target unavailable\)$/,
    );
  });
});

describe('EventBridge emulator: bounded delivery', () => {
  it('refuses and counts deliveries beyond maxInFlightDeliveries', async () => {
    const { service, delivery } = newService({ maxInFlightDeliveries: 2 });
    await ruleWithTarget(service, 'orders', pattern);
    await call(service, 'PutEvents', { Entries: [entry(), entry(), entry()] });
    await service.whenIdle();
    expect(delivery.delivered).toHaveLength(2);
    expect(service.metrics()).toMatchObject({ invocations: 2, droppedOverCapacity: 1 });
  });

  it('abandons pending retries on close() and settles', async () => {
    const { service, delivery } = newService({ retryBaseDelayMs: 3_600_000, retryMaxDelayMs: 3_600_000 });
    await ruleWithTarget(service, 'orders', pattern);
    delivery.failNext(QUEUE_ARN, 100);
    await call(service, 'PutEvents', { Entries: [entry()] });
    await vi.waitFor(() => expect(delivery.attempts).toHaveLength(1));
    service.close();
    await service.whenIdle();
    expect(service.metrics()).toMatchObject({ cancelledInvocations: 1, successfulInvocations: 0 });
    await call(service, 'PutEvents', { Entries: [entry()] });
    expect(service.metrics().droppedOverCapacity).toBe(1);
  });
});
