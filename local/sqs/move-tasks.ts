import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/**
 * Message move tasks (SQS dead-letter queue redrive) with AWS's semantics: a task moves the messages that were in
 * the source queue when it started, through the SQS API, at most `MaxNumberOfMessagesPerSecond` per second when
 * given; moved messages keep their body and message attributes and get new message ids (they are sent anew).
 */

/** Task states, as ListMessageMoveTasks reports them. */
export const MoveTaskStatus = {
  running: 'RUNNING',
  completed: 'COMPLETED',
  cancelling: 'CANCELLING',
  cancelled: 'CANCELLED',
  failed: 'FAILED',
} as const;
export type MoveTaskStatus = (typeof MoveTaskStatus)[keyof typeof MoveTaskStatus];

/** One task, as the registry keeps it. */
export interface MoveTask {
  readonly taskId: string;
  readonly taskHandle: string;
  readonly sourceArn: string;
  readonly sourceUrl: string;
  readonly destinationArn: string | undefined;
  readonly maxNumberOfMessagesPerSecond: number | undefined;
  readonly startedTimestamp: number;
  readonly approximateNumberOfMessagesToMove: number;
  status: MoveTaskStatus;
  moved: number;
  failureReason: string | undefined;
}

/** Where each message of a task goes: a queue URL, from the message (its original source) or fixed. */
export type DestinationResolver = (message: Message) => Promise<string>;

const BATCH = 10;
/** Long enough to send and delete a batch; short enough that a crash leaves the messages visible again soon. */
const IN_FLIGHT_SECONDS = 30;

/** Encodes a task handle the way AWS does: opaque, but carrying the task id and source ARN. */
export const encodeTaskHandle = (taskId: string, sourceArn: string): string =>
  Buffer.from(JSON.stringify({ taskId, sourceArn }), 'utf8').toString('base64');

/** Decodes a task handle; undefined when it is not one of ours. */
export const decodeTaskHandle = (handle: string): { taskId: string; sourceArn: string } | undefined => {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(handle, 'base64').toString('utf8'));
    if (typeof decoded !== 'object' || decoded === null) return undefined;
    const { taskId, sourceArn } = decoded as Record<string, unknown>;
    return typeof taskId === 'string' && typeof sourceArn === 'string' ? { taskId, sourceArn } : undefined;
  } catch {
    return undefined;
  }
};

/** Hands out at most `perSecond` messages per one-second window. */
class RateWindow {
  private windowStart = 0;
  private used = 0;

  public constructor(private readonly perSecond: number) {}

  /** Waits for budget and returns how many messages (≤ wanted) may be moved now. */
  public async take(wanted: number, signal: AbortSignal): Promise<number> {
    let now = Date.now();
    if (now - this.windowStart >= 1_000) {
      this.windowStart = now;
      this.used = 0;
    }
    if (this.used >= this.perSecond) {
      await sleep(this.windowStart + 1_000 - now, undefined, { signal });
      now = Date.now();
      this.windowStart = now;
      this.used = 0;
    }
    const granted = Math.min(wanted, this.perSecond - this.used);
    this.used += granted;
    return granted;
  }
}

const failureReasonOf = (error: unknown): string => {
  const name = error instanceof Error ? error.name : 'InternalError';
  return name === 'QueueDoesNotExist' ? 'AWS.SimpleQueueService.NonExistentQueue' : name;
};

/** The entry that re-sends a message: same body and attributes, a new message id; FIFO fields carried over. */
const resendEntry = (message: Message, id: string): SendMessageBatchRequestEntry => {
  const groupId = message.Attributes?.MessageGroupId;
  return {
    Id: id,
    MessageBody: message.Body ?? '',
    MessageAttributes: message.MessageAttributes,
    ...(groupId === undefined ? {} : { MessageGroupId: groupId, MessageDeduplicationId: randomUUID() }),
  };
};

/** Runs one task to its end (completed, cancelled or failed); never throws. */
export const runMoveTask = async (
  task: MoveTask,
  { sqs, destinationOf, signal }: { sqs: SQSClient; destinationOf: DestinationResolver; signal: AbortSignal },
): Promise<void> => {
  const rate =
    task.maxNumberOfMessagesPerSecond === undefined
      ? undefined
      : new RateWindow(task.maxNumberOfMessagesPerSecond);
  let held: Message[] = [];
  try {
    while (task.status === MoveTaskStatus.running && task.moved < task.approximateNumberOfMessagesToMove) {
      const wanted = Math.min(BATCH, task.approximateNumberOfMessagesToMove - task.moved);
      const allowed = rate === undefined ? wanted : await rate.take(wanted, signal);
      const received = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: task.sourceUrl,
          MaxNumberOfMessages: allowed,
          VisibilityTimeout: IN_FLIGHT_SECONDS,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
      );
      held = received.Messages ?? [];
      if (held.length === 0) break;
      await moveBatch(task, held, sqs, destinationOf);
      held = [];
    }
    task.status =
      task.status === MoveTaskStatus.running ? MoveTaskStatus.completed : MoveTaskStatus.cancelled;
  } catch (error) {
    if (signal.aborted && task.status === MoveTaskStatus.cancelling) {
      task.status = MoveTaskStatus.cancelled;
      return;
    }
    task.status = MoveTaskStatus.failed;
    task.failureReason = failureReasonOf(error);
    await releaseMessages(task.sourceUrl, held, sqs);
  }
};

const moveBatch = async (
  task: MoveTask,
  messages: readonly Message[],
  sqs: SQSClient,
  destinationOf: DestinationResolver,
): Promise<void> => {
  const byDestination = new Map<string, { message: Message; id: string }[]>();
  for (const [index, message] of messages.entries()) {
    const url = await destinationOf(message);
    const group = byDestination.get(url) ?? [];
    group.push({ message, id: String(index) });
    byDestination.set(url, group);
  }
  for (const [url, group] of byDestination) {
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: group.map(({ message, id }) => resendEntry(message, id)),
      }),
    );
    const succeeded = new Set((sent.Successful ?? []).map((entry) => entry.Id));
    const done = group.filter(({ id }) => succeeded.has(id));
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: task.sourceUrl,
          Entries: done.map(({ message, id }) => ({ Id: id, ReceiptHandle: message.ReceiptHandle })),
        }),
      );
      task.moved += done.length;
    }
    const firstFailure = sent.Failed?.[0];
    if (firstFailure !== undefined) {
      throw Object.assign(new Error(firstFailure.Message ?? 'a message could not be moved'), {
        name: firstFailure.Code ?? 'InternalError',
      });
    }
  }
};

/** Makes messages a failed task still holds visible again at once, so nothing waits out the in-flight time. */
const releaseMessages = async (
  sourceUrl: string,
  messages: readonly Message[],
  sqs: SQSClient,
): Promise<void> => {
  if (messages.length === 0) return;
  try {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: sourceUrl,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: 0,
        })),
      }),
    );
  } catch {
    // Best effort: the messages become visible again after IN_FLIGHT_SECONDS anyway.
  }
};
