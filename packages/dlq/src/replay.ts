import { randomUUID } from 'node:crypto';
import { ReceiveMessageCommand, type ReceiveMessageCommandOutput } from '@aws-sdk/client-sqs';
import { sleep } from './async.js';
import { isThrottling, translateQueueError } from './aws-errors.js';
import { type DestinationOptions, DestinationResolver } from './destinations.js';
import { findSourceQueues } from './discovery.js';
import { receiveAllAttributes } from './peek.js';
import { getQueueAttributes, resolveQueue } from './queues.js';
import { RateLimiter } from './rate.js';
import { ReplayRun } from './replay-run.js';
import { type ReplayMode, type ReplayReport, ReportBuilder, StopReasons } from './report.js';
import { compileSelection, type SelectionSpec } from './selection.js';
import type { ReplayClients } from './senders.js';
import type { EventCheck, QueueRef, ReplayTotals } from './types.js';
import { VisibilityKeeper } from './visibility.js';

/**
 * Progress of a running replay, reported after every batch.
 *
 * @example
 * ```ts
 * await replayDlq(clients, 'billing-dlq', { onProgress: ({ totals, held }) => console.log(totals.replayed, held) });
 * ```
 */
export interface ReplayProgress {
  readonly totals: ReplayTotals;
  /** Messages held invisible by this run (skipped or failed ones wait here until the end). */
  readonly held: number;
  /** Visible messages in the DLQ when the run started (approximate), capped by `max`. */
  readonly expected: number | undefined;
}

/**
 * Options of `replayDlq`. Every default is written down here.
 *
 * @example
 * ```ts
 * await replayDlq(clients, 'billing-dlq', {
 *   selection: { types: ['order.created'], since: '2h' },
 *   dryRun: true,
 *   ratePerSecond: 50,
 * });
 * ```
 */
export interface ReplayOptions {
  /** Which messages; default all. */
  readonly selection?: SelectionSpec;
  /** Report what would be replayed; send and delete nothing. Default false. */
  readonly dryRun?: boolean;
  /** Copy: send but do not delete from the DLQ. Default false. */
  readonly keep?: boolean;
  /**
   * Keep the failure reason a consumer attached (`breakwater.failure.*` attributes) on the replayed messages.
   * Default false: a replayed message starts fresh (a new non-retryable failure attaches a new reason).
   */
  readonly keepFailureReason?: boolean;
  /** Replay at most this many messages. Default unlimited. */
  readonly max?: number;
  /** Messages per second at most; default unlimited (still backs off on throttling). */
  readonly ratePerSecond?: number;
  /** Send every message to this queue (URL, ARN or name) instead of its source. */
  readonly to?: string;
  /** Re-put EventBridge events on their bus (PutEvents), which fans out to every matching rule again. */
  readonly viaBus?: boolean;
  /** Bus for `viaBus` when a message names no rule. */
  readonly busName?: string;
  /** Parallel workers, each moving batches of 10. Default 10. */
  readonly concurrency?: number;
  /** Visibility timeout of received messages, extended while the run holds them. Default 300 s. */
  readonly visibilityTimeoutSeconds?: number;
  /** Long-poll seconds of the receive that confirms the DLQ is empty; a worker then ends. Default 1. */
  readonly waitTimeSeconds?: number;
  /** Stop receiving when this many messages are held. Default 100,000 (standard), 18,000 (FIFO): SQS limits. */
  readonly maxHeld?: number;
  /** Send attempts per message on throttling and server faults. Default 5. */
  readonly maxAttempts?: number;
  /** Aborting stops the run cleanly: sends under way settle, held messages become visible, the report is built. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ReplayProgress) => void;
  /** Names the run in the report. Default a random UUID. */
  readonly runId?: string;
  /**
   * Checks each event envelope with the consumers' own contract: a message it refuses is reported as malformed and
   * left in the DLQ (it would fail again). Default: none (only the event's shape is read).
   */
  readonly checkEvent?: EventCheck;
  /**
   * X-Ray trace header given to messages that carry none (inside a Lambda function, pass the invocation's, so the
   * replay joins its trace). Default: none.
   */
  readonly traceHeader?: string;
}

const modeOf = (options: ReplayOptions): ReplayMode =>
  options.dryRun === true ? 'dry-run' : options.keep === true ? 'copy' : 'replay';

/**
 * Replays messages of a DLQ to where they came from (see `planDestination`), with the guarantees of `ReplayRun`,
 * and returns the report. Throws before touching any message when the DLQ or `to` does not exist
 * (`QueueNotFoundError`), may not be read (`PermissionDeniedError`), or the selection is invalid (`UsageError`).
 * Errors during the run end it early and are returned in `report.error`, with everything done so far.
 *
 * Running it again after an interruption continues where it stopped: replayed messages are gone from the DLQ, and
 * a crash between sends and their deletes re-sends at most the batches then in flight (concurrency × 10 messages),
 * which consumers ignore (idempotent on the domain event id).
 *
 * @example
 * ```ts
 * import { createClients, replayDlq } from '@breakwater/dlq';
 *
 * const report = await replayDlq(createClients(), 'billing-dlq', { selection: { where: ['detail.data.currency=EUR'] } });
 * console.log(report.totals); // { replayed, skipped, failed, ... }
 * ```
 */
export const replayDlq = async (
  clients: ReplayClients,
  queue: string | QueueRef,
  options: ReplayOptions = {},
): Promise<ReplayReport> => {
  const startedAt = new Date();
  const selectionSpec = options.selection ?? {};
  const selection = compileSelection(selectionSpec, startedAt.getTime());
  const dlq = typeof queue === 'string' ? await resolveQueue(clients.sqs, queue) : queue;
  const destinationOptions: DestinationOptions = {
    ...(options.to === undefined ? {} : { to: await resolveQueue(clients.sqs, options.to) }),
    ...(options.viaBus === undefined ? {} : { viaBus: options.viaBus }),
    ...(options.busName === undefined ? {} : { busName: options.busName }),
  };
  const depth = Number((await getQueueAttributes(clients.sqs, dlq.url)).ApproximateNumberOfMessages ?? 0);
  const max = options.max ?? Number.POSITIVE_INFINITY;
  const visibility = options.visibilityTimeoutSeconds ?? 300;
  const report = new ReportBuilder();
  const keeper = new VisibilityKeeper(clients.sqs, dlq.url, visibility);
  const limiter = new RateLimiter(
    options.ratePerSecond === undefined ? {} : { ratePerSecond: options.ratePerSecond },
  );
  const resolver = new DestinationResolver(clients.sqs, destinationOptions, () =>
    findSourceQueues(clients.sqs, dlq),
  );
  const run = new ReplayRun(
    {
      dlq,
      selection,
      dryRun: options.dryRun === true,
      keep: options.keep === true,
      max,
      maxAttempts: options.maxAttempts ?? 5,
      keepFailureReason: options.keepFailureReason === true,
      checkEvent: options.checkEvent,
      traceHeader: options.traceHeader,
    },
    { clients, resolver, limiter, keeper, report },
  );
  const maxHeld = options.maxHeld ?? (dlq.fifo ? 18_000 : 100_000);
  const onAbort = (): void => run.halt(StopReasons.interrupted);
  if (options.signal?.aborted === true) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const progress = (): void =>
    options.onProgress?.({ totals: report.totals, held: keeper.size, expected: Math.min(depth, max) });

  const worker = async (): Promise<void> => {
    // Short polls while messages come; one long poll to confirm the queue is empty (a short poll on a standard
    // queue samples only some servers, so an empty answer alone proves nothing).
    let confirming = false;
    while (!run.signal.aborted) {
      if (keeper.size >= maxHeld) {
        run.halt(StopReasons.heldLimit);
        break;
      }
      let received: ReceiveMessageCommandOutput;
      try {
        // Not aborted on purpose: messages SQS hands out to an abandoned receive would stay hidden a whole timeout.
        received = await clients.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: dlq.url,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: visibility,
            WaitTimeSeconds: confirming ? (options.waitTimeSeconds ?? 1) : 0,
            ...receiveAllAttributes(),
          }),
        );
      } catch (error) {
        if (isThrottling(error)) {
          await sleep(limiter.throttled(), run.signal);
          continue;
        }
        run.halt(StopReasons.error, translateQueueError(error, dlq.url, 'sqs:ReceiveMessage'));
        break;
      }
      const messages = received.Messages ?? [];
      if (messages.length === 0) {
        if (confirming) break;
        confirming = true;
        continue;
      }
      confirming = false;
      await run.processBatch(messages);
      progress();
    }
  };

  keeper.start();
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 10) }, worker));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await keeper.releaseAll();
  }
  progress();
  const error = run.error;
  return report.build(
    {
      runId: options.runId ?? randomUUID(),
      queue: { url: dlq.url, arn: dlq.arn, name: dlq.name },
      mode: modeOf(options),
      selection: selectionSpec,
      startedAt: startedAt.toISOString(),
      stoppedBecause: run.stopReason,
      interrupted: run.stopReason === StopReasons.interrupted,
      ...(error === undefined
        ? {}
        : {
            error: {
              name: error instanceof Error ? error.name : 'Error',
              message: error instanceof Error ? error.message : String(error),
            },
          }),
    },
    new Date(),
  );
};
