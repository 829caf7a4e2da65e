import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StoredMessage } from './message.js';
import type { SqsStore } from './store.js';

/**
 * Message move tasks (dead-letter queue redrive) with AWS's semantics: a task moves the messages that were
 * visible in the source queue when it started, at most `MaxNumberOfMessagesPerSecond` per second when given;
 * each goes to the destination, or without one back to the queue it was dead-lettered from (its
 * DeadLetterQueueSourceArn), as a new message (new id, receive count 0) with the same body and attributes.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
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
  readonly destinationArn: string | undefined;
  readonly maxNumberOfMessagesPerSecond: number | undefined;
  readonly startedTimestamp: number;
  readonly approximateNumberOfMessagesToMove: number;
  status: MoveTaskStatus;
  moved: number;
  failureReason: string | undefined;
}

/** Encodes a task handle the way AWS does: opaque, but carrying the task id and source ARN. */
export const encodeTaskHandle = (taskId: string, sourceArn: string): string =>
  Buffer.from(JSON.stringify({ taskId, sourceArn }), 'utf8').toString('base64');

/** Decodes a task handle; undefined when it is not one. */
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

/** ListMessageMoveTasks reports at most the 10 most recent tasks of a source. */
export const TASKS_KEPT = 10;
const BATCH = 10;
const NON_EXISTENT_QUEUE = 'AWS.SimpleQueueService.NonExistentQueue';

/** The message a move sends anew: same body and attributes, a new id, its FIFO group kept. */
const resent = (message: StoredMessage, now: number): StoredMessage => ({
  ...message,
  messageId: randomUUID(),
  sentTimestamp: now,
  firstReceiveTimestamp: undefined,
  lastReceiveTimestamp: undefined,
  receiveCount: 0,
  deduplicationId: message.groupId === undefined ? undefined : randomUUID(),
  deadLetterSourceArn: undefined,
  state: 'visible',
  visibleAt: now,
  receipt: 0,
  availableOrder: 0,
});

/** The running and recent tasks of every source queue. */
export class MoveTasks {
  private readonly bySource = new Map<string, MoveTask[]>();
  private readonly running = new Map<string, { task: MoveTask; done: Promise<void> }>();
  private readonly stopping = new AbortController();

  public constructor(private readonly store: SqsStore) {}

  public isRunning(sourceArn: string): boolean {
    return this.running.has(sourceArn);
  }

  /** The tasks of a source, most recent first. */
  public tasksOf(sourceArn: string): readonly MoveTask[] {
    return this.bySource.get(sourceArn) ?? [];
  }

  public find(sourceArn: string, taskId: string): MoveTask | undefined {
    return this.tasksOf(sourceArn).find((task) => task.taskId === taskId);
  }

  /** Registers and starts a task (the caller has checked that none runs for its source). */
  public start(input: {
    sourceArn: string;
    destinationArn: string | undefined;
    maxNumberOfMessagesPerSecond: number | undefined;
    toMove: number;
    now: number;
  }): MoveTask {
    const taskId = randomUUID();
    const task: MoveTask = {
      taskId,
      taskHandle: encodeTaskHandle(taskId, input.sourceArn),
      sourceArn: input.sourceArn,
      destinationArn: input.destinationArn,
      maxNumberOfMessagesPerSecond: input.maxNumberOfMessagesPerSecond,
      startedTimestamp: input.now,
      approximateNumberOfMessagesToMove: input.toMove,
      status: MoveTaskStatus.running,
      moved: 0,
      failureReason: undefined,
    };
    this.bySource.set(input.sourceArn, [task, ...this.tasksOf(input.sourceArn)].slice(0, TASKS_KEPT));
    const done = this.run(task).finally(() => this.running.delete(task.sourceArn));
    this.running.set(task.sourceArn, { task, done });
    return task;
  }

  public cancel(task: MoveTask): void {
    task.status = MoveTaskStatus.cancelling;
  }

  private async run(task: MoveTask): Promise<void> {
    const rate = task.maxNumberOfMessagesPerSecond;
    let windowStart = Date.now();
    let usedInWindow = 0;
    try {
      while (task.status === MoveTaskStatus.running && task.moved < task.approximateNumberOfMessagesToMove) {
        await sleep(0, undefined, { signal: this.stopping.signal });
        let allowed = Math.min(BATCH, task.approximateNumberOfMessagesToMove - task.moved);
        if (rate !== undefined) {
          if (Date.now() - windowStart >= 1000) {
            windowStart = Date.now();
            usedInWindow = 0;
          }
          if (usedInWindow >= rate) {
            await sleep(windowStart + 1000 - Date.now(), undefined, { signal: this.stopping.signal });
            continue;
          }
          allowed = Math.min(allowed, rate - usedInWindow);
        }
        if (task.status !== MoveTaskStatus.running) break;
        const now = Date.now();
        const source = this.store.byArn(task.sourceArn);
        if (source === undefined) throw new Error(NON_EXISTENT_QUEUE);
        const batch = source.visibleMessages(now).slice(0, allowed);
        if (batch.length === 0) break;
        for (const message of batch) {
          const destinationArn =
            task.destinationArn ??
            message.deadLetterSourceArn ??
            this.store.sourcesOf(task.sourceArn)[0]?.arn;
          const destination = destinationArn === undefined ? undefined : this.store.byArn(destinationArn);
          if (destination === undefined) throw new Error(NON_EXISTENT_QUEUE);
          destination.enqueue(resent(message, now), 0, now);
          source.remove(message);
          task.moved++;
          usedInWindow++;
        }
      }
      task.status =
        task.status === MoveTaskStatus.running ? MoveTaskStatus.completed : MoveTaskStatus.cancelled;
    } catch (error) {
      if (this.stopping.signal.aborted) {
        task.status = MoveTaskStatus.cancelled;
        return;
      }
      task.status = MoveTaskStatus.failed;
      task.failureReason = error instanceof Error ? error.message : String(error);
    }
  }

  /** Cancels every running task and waits for it to stop. */
  public async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all([...this.running.values()].map(({ done }) => done));
  }
}
