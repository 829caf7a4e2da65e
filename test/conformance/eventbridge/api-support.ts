import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  DeleteArchiveCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  type PutEventsRequestEntry,
  PutRuleCommand,
  PutTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import type { ConformanceTarget } from '../support/target';

/** Shared by the EventBridge API tables: AWS page roots, and resources that clean up after themselves. */
export const API = 'https://docs.aws.amazon.com/eventbridge/latest/APIReference';
export const SCHEDULES =
  'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html';
export const QUEUE = (t: ConformanceTarget) => `arn:aws:sqs:${t.region}:123456789012:bw-conf-never-delivered`;

/** The error a call fails with (or undefined): its SDK name and message. */
export const failure = async (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (error: unknown) => error as { name: string; message: string },
  );

export const entry = (fields: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  Source: 'com.example.orders',
  DetailType: 'Order Placed',
  Detail: '{"orderId":"o-1"}',
  ...fields,
});

export const bus = async (t: ConformanceTarget, prefix: string): Promise<{ name: string; arn: string }> => {
  const name = t.uniqueName(prefix);
  const { EventBusArn } = await t.eventBridge.send(new CreateEventBusCommand({ Name: name }));
  t.onStop(() => t.eventBridge.send(new DeleteEventBusCommand({ Name: name })));
  return { name, arn: EventBusArn ?? '' };
};

export const rule = async (t: ConformanceTarget, eventBusName?: string): Promise<string> => {
  const name = t.uniqueName('rule');
  await t.eventBridge.send(
    new PutRuleCommand({
      Name: name,
      EventBusName: eventBusName,
      EventPattern: '{"source":["com.example.none"]}',
    }),
  );
  t.onStop(() =>
    t.eventBridge.send(new DeleteRuleCommand({ Name: name, EventBusName: eventBusName, Force: true })),
  );
  return name;
};

export const putTargets = (t: ConformanceTarget, ruleName: string, targets: Target[]) =>
  t.eventBridge.send(new PutTargetsCommand({ Rule: ruleName, Targets: targets }));

export const archive = async (
  t: ConformanceTarget,
  eventSourceArn: string,
): Promise<{ name: string; arn: string }> => {
  const name = t.uniqueName('arch').slice(0, 48);
  const { ArchiveArn } = await t.eventBridge.send(
    new CreateArchiveCommand({ ArchiveName: name, EventSourceArn: eventSourceArn, RetentionDays: 1 }),
  );
  t.onStop(() => t.eventBridge.send(new DeleteArchiveCommand({ ArchiveName: name })));
  return { name, arn: ArchiveArn ?? '' };
};
