import type { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it, vi } from 'vitest';
import { createTargetDelivery } from '../../../../packages/local-cloud/src/cloud/target-delivery';
import { TargetDeliveryError } from '../../../../packages/local-cloud/src/eventbridge';
import { FaultStore } from '../../../../packages/local-cloud/src/faults/fault-store';
import type { LambdaRunner } from '../../../../packages/local-cloud/src/lambda';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:breakwater-dev-outbox-sweeper';
const request = {
  arn: FUNCTION_ARN,
  body: '{"detail-type":"Scheduled Event"}',
  context: {
    ruleArn: 'arn:aws:events:us-east-1:000000000000:rule/breakwater-dev-outbox-sweeper-schedule',
    targetId: 'Target0',
    targetArn: FUNCTION_ARN,
    eventId: 'e1',
    attempt: 1,
    deadLetter: false,
  },
};

const deliveryWith = async (rule?: Record<string, unknown>) => {
  const faults = new FaultStore({ log: () => {} });
  if (rule !== undefined) await faults.add({ service: 'lambda', kind: 'error', ...rule });
  const invokeAsync = vi.fn();
  const delivery = createTargetDelivery({
    sqs: {} as SQSClient,
    sqsEndpoint: 'http://127.0.0.1:1',
    runner: () => ({ invokeAsync }) as unknown as LambdaRunner,
    faults,
  });
  return { delivery, invokeAsync, faults };
};

const failureOf = async (promise: Promise<void>): Promise<TargetDeliveryError> => {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TargetDeliveryError);
  return error as TargetDeliveryError;
};

describe('function targets under Lambda error faults', () => {
  it('invokes the function when no fault matches it', async () => {
    const { delivery, invokeAsync } = await deliveryWith({ action: '*-billing-*' });
    await delivery.deliver(request);
    expect(invokeAsync).toHaveBeenCalledWith(FUNCTION_ARN, { 'detail-type': 'Scheduled Event' });
  });

  it('a throttled invoke (the default) is retryable, its dead letter says THROTTLING', async () => {
    const { delivery, invokeAsync, faults } = await deliveryWith({ action: '*-outbox-sweeper' });
    const failure = await failureOf(delivery.deliver(request));
    expect(failure).toMatchObject({ code: 'THROTTLING', retryable: true });
    expect(failure.message).toContain('TooManyRequestsException');
    expect(invokeAsync).not.toHaveBeenCalled();
    expect(faults.list()[0]?.hits).toBe(1);
  });

  it('a 5xx is retried as INTERNAL_ERROR; a 4xx other than 429 goes to the DLQ at once', async () => {
    const internal = await deliveryWith({ code: 'ServiceException' });
    expect(await failureOf(internal.delivery.deliver(request))).toMatchObject({
      code: 'INTERNAL_ERROR',
      retryable: true,
    });
    const missing = await deliveryWith({ code: 'ResourceNotFoundException' });
    expect(await failureOf(missing.delivery.deliver(request))).toMatchObject({
      code: 'NO_RESOURCE',
      retryable: false,
    });
    const denied = await deliveryWith({ code: 'AccessDeniedException', status: 403 });
    expect(await failureOf(denied.delivery.deliver(request))).toMatchObject({
      code: 'NO_PERMISSIONS',
      retryable: false,
    });
  });
});
