import { expect } from 'vitest';
import {
  createEventBridgeService,
  type EventBridgeService,
  type EventBridgeServiceOptions,
  type TargetDelivery,
  type TargetDeliveryRequest,
} from '../../../../packages/local-cloud/src/eventbridge';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../../../../packages/local-cloud/src/support/aws-protocol';

/** A TargetDelivery of our own that records every attempt and can be told to fail the next N sends to an ARN. */
export class RecordingDelivery implements TargetDelivery {
  public readonly attempts: TargetDeliveryRequest[] = [];
  public readonly delivered: TargetDeliveryRequest[] = [];
  private readonly failures = new Map<string, { remaining: number; error: () => Error }>();

  /** Makes the next `times` sends to `arn` throw `error()` (a plain Error by default). */
  public failNext(
    arn: string,
    times: number,
    error: () => Error = () => new Error('target unavailable'),
  ): void {
    this.failures.set(arn, { remaining: times, error });
  }

  public async deliver(request: TargetDeliveryRequest): Promise<void> {
    this.attempts.push(request);
    const failure = this.failures.get(request.arn);
    if (failure !== undefined && failure.remaining > 0) {
      failure.remaining -= 1;
      throw failure.error();
    }
    this.delivered.push(request);
  }

  /** Successful sends to one ARN. */
  public to(arn: string): TargetDeliveryRequest[] {
    return this.delivered.filter((request) => request.arn === arn);
  }

  /** Bodies of the successful sends to one ARN, parsed as JSON. */
  public bodiesTo(arn: string): unknown[] {
    return this.to(arn).map((request) => JSON.parse(request.body) as unknown);
  }
}

/** The emulator with a recording delivery and retry delays scaled down to milliseconds. */
export const newService = (
  options: Partial<EventBridgeServiceOptions> = {},
): { service: EventBridgeService; delivery: RecordingDelivery; logs: string[] } => {
  const delivery = new RecordingDelivery();
  const logs: string[] = [];
  const service = createEventBridgeService({
    delivery,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 4,
    replayStartDelayMs: 0,
    log: (line) => logs.push(line),
    ...options,
  });
  return { service, delivery, logs };
};

type Body = Record<string, unknown>;

/** Calls an action as the edge would, in the local region and account; resolves to the response body. */
export const call = async (service: EventBridgeService, action: string, input: Body = {}): Promise<Body> => {
  const response = await service.handle({ action, input, region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID });
  expect(response.status).toBe(200);
  return response.body as Body;
};

/** Asserts that an action fails with the AWS error `type` (and a message matching `message`, if given). */
export const expectAwsError = async (
  service: EventBridgeService,
  action: string,
  input: Body,
  type: string,
  message?: RegExp,
): Promise<void> => {
  await expect(call(service, action, input)).rejects.toMatchObject({
    name: 'AwsServiceError',
    type,
    ...(message === undefined ? {} : { message: expect.stringMatching(message) }),
  });
};

export const ARN_PREFIX = `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}`;
export const QUEUE_ARN = `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:orders-queue`;
export const DLQ_ARN = `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:orders-target-dlq`;
export const FUNCTION_ARN = `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:billing`;

/** One PutEvents entry of the project's shape (Source, DetailType, Detail as JSON). */
export const entry = (detail: Body = { orderId: 'o-1', totalCents: 1200 }, overrides: Body = {}): Body => ({
  Source: 'breakwater.orders',
  DetailType: 'order.created',
  Detail: JSON.stringify(detail),
  ...overrides,
});

/** Creates a rule on the default bus with one target; returns the rule ARN. */
export const ruleWithTarget = async (
  service: EventBridgeService,
  name: string,
  pattern: Body,
  target: Body = { Id: 't1', Arn: QUEUE_ARN },
): Promise<string> => {
  const { RuleArn } = await call(service, 'PutRule', { Name: name, EventPattern: JSON.stringify(pattern) });
  const result = await call(service, 'PutTargets', { Rule: name, Targets: [target] });
  expect(result).toEqual({ FailedEntryCount: 0, FailedEntries: [] });
  return RuleArn as string;
};
