import {
  CancelMessageMoveTaskCommand,
  ListMessageMoveTasksCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { sleep } from './async.js';
import { errorMessage, isUnsupported, translateQueueError } from './aws-errors.js';
import { UnsupportedOperationError, UsageError } from './errors.js';
import { resolveQueue } from './queues.js';

/** SQS caps a move task at 500 messages per second. */
export const MAX_NATIVE_RATE = 500;

/**
 * Options of `nativeRedrive`.
 *
 * @example
 * ```ts
 * await nativeRedrive(sqs, 'billing-dlq', { ratePerSecond: 50 });
 * ```
 */
export interface NativeRedriveOptions {
  /** Destination queue (URL, ARN or name); default: each message's source queue. */
  readonly to?: string;
  /** 1..500 msgs/s; default: SQS decides (it ramps up to 500). */
  readonly ratePerSecond?: number;
  /** How often to read progress. Default 2,000 ms. */
  readonly pollIntervalMs?: number;
  /** Aborting cancels the task (messages already moved stay moved). */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: NativeRedriveProgress) => void;
}

/**
 * A move task's state as ListMessageMoveTasks reports it.
 *
 * @example
 * ```ts
 * await nativeRedrive(sqs, 'billing-dlq', { onProgress: ({ status, moved }) => console.log(status, moved) });
 * ```
 */
export interface NativeRedriveProgress {
  readonly taskHandle: string;
  /** RUNNING, COMPLETED, CANCELLING, CANCELLED or FAILED. */
  readonly status: string;
  readonly moved: number;
  readonly toMove: number | undefined;
  readonly failureReason: string | undefined;
}

const finalStatuses = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);

/**
 * Moves every message of a DLQ back with SQS's own StartMessageMoveTask and polls ListMessageMoveTasks until the
 * task ends. No selection, no dry run, no report per message, at most 500 msgs/s, and only from a DLQ whose
 * sources are SQS queues: it is the fast path for "everything back, now". Moved messages get new message ids.
 * Throws `UnsupportedOperationError` when the endpoint has no move tasks (emulators) and `UsageError` when SQS
 * refuses the task (a task already running, a queue that is not a DLQ).
 *
 * @example
 * ```ts
 * import { SQSClient } from '@aws-sdk/client-sqs';
 * import { nativeRedrive } from '@breakwater/dlq';
 *
 * // SQS's own move task (StartMessageMoveTask): no selection, back to the source queues.
 * const final = await nativeRedrive(new SQSClient({}), 'billing-dlq', { ratePerSecond: 100 });
 * console.log(final.status, final.moved);
 * ```
 */
export const nativeRedrive = async (
  sqs: SQSClient,
  queue: string,
  options: NativeRedriveOptions = {},
): Promise<NativeRedriveProgress> => {
  const rate = options.ratePerSecond;
  if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > MAX_NATIVE_RATE)) {
    throw new UsageError(
      `--rate with --native must be an integer from 1 to ${MAX_NATIVE_RATE} (an SQS limit)`,
    );
  }
  const dlq = await resolveQueue(sqs, queue);
  const destination = options.to === undefined ? undefined : await resolveQueue(sqs, options.to);
  let taskHandle: string;
  try {
    const out = await sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: dlq.arn,
        ...(destination === undefined ? {} : { DestinationArn: destination.arn }),
        ...(rate === undefined ? {} : { MaxNumberOfMessagesPerSecond: rate }),
      }),
    );
    taskHandle = out.TaskHandle ?? '';
  } catch (error) {
    if (isUnsupported(error)) {
      const detail = `${errorMessage(error)}; replay without --native instead`;
      throw new UnsupportedOperationError('sqs:StartMessageMoveTask', detail, { cause: error });
    }
    const translated = translateQueueError(error, dlq.url, 'sqs:StartMessageMoveTask');
    if (translated !== error) throw translated;
    throw new UsageError(`SQS refused the move task: ${errorMessage(error)}`, { cause: error });
  }
  const onAbort = (): void => {
    sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: taskHandle })).catch(() => undefined);
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let unseen = 0;
  try {
    for (;;) {
      await sleep(options.pollIntervalMs ?? 2_000);
      const out = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn, MaxResults: 10 }));
      const task = (out.Results ?? []).find((entry) => entry.TaskHandle === taskHandle) ?? out.Results?.[0];
      const progress: NativeRedriveProgress = {
        taskHandle,
        status: task?.Status ?? 'UNKNOWN',
        moved: task?.ApproximateNumberOfMessagesMoved ?? 0,
        toMove: task?.ApproximateNumberOfMessagesToMove,
        failureReason: task?.FailureReason,
      };
      options.onProgress?.(progress);
      // A task just started may not be listed yet; three polls without it mean it is gone.
      unseen = task === undefined ? unseen + 1 : 0;
      if (finalStatuses.has(progress.status) || unseen >= 3) return progress;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
};
