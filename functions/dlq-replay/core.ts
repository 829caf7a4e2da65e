import { type ReplayClients, type ReplayReport, replayDlq } from '@breakwater/dlq';
import { checkEventEnvelope, formatIssues } from '../../shared/contracts';
import * as z from '../../shared/contracts/zod';
import { ContractError } from '../../shared/errors';
import { currentTraceHeader } from '../../shared/middleware/tracing';
import type { DlqReplayConfig } from './config';

const nonEmpty = () => z.string().check(z.minLength(1));
const list = z.optional(z.array(nonEmpty()));

/**
 * What the function is invoked with (by hand, or by a rule's constant input):
 * `{"queue": "billing-dlq", "selection": {"types": ["order.created"]}, "max": 100, "dryRun": true}`.
 */
export const dlqReplayRequestSchema = z.strictObject({
  queue: nonEmpty(),
  selection: z.optional(
    z.strictObject({
      types: list,
      since: z.optional(z.string()),
      until: z.optional(z.string()),
      errorCodes: list,
      where: list,
      ids: list,
    }),
  ),
  max: z.optional(z.int().check(z.positive())),
  dryRun: z.optional(z.boolean()),
  keep: z.optional(z.boolean()),
  keepFailureReason: z.optional(z.boolean()),
  to: z.optional(nonEmpty()),
  viaBus: z.optional(z.boolean()),
  busName: z.optional(nonEmpty()),
  ratePerSecond: z.optional(z.number().check(z.positive())),
});

/** A checked invocation event. */
export type DlqReplayRequest = z.infer<typeof dlqReplayRequestSchema>;

/** Reads the invocation event; throws `ContractError` naming what is wrong. */
export const parseRequest = (input: unknown): DlqReplayRequest => {
  const parsed = dlqReplayRequestSchema.safeParse(input);
  if (!parsed.success) throw new ContractError('invalid DLQ replay request', formatIssues(parsed.error));
  return parsed.data;
};

/** The report as the function returns it: per-message outcomes capped so the response stays small. */
export type DlqReplayResponse = ReplayReport & {
  /** Outcomes left out of `messages` (the totals count them all). */
  readonly messagesOmitted: number;
};

/** Most per-message outcomes a response carries (a Lambda response is limited to 6 MB). */
export const MAX_REPORTED_MESSAGES = 1_000;

/**
 * Runs one bounded replay: at most `config.maxMessages` (or fewer if asked), and it stops `safetyMarginMs` before
 * the invocation's time runs out, so that held messages are released and the report returned. A stopped run is
 * continued by invoking again: replayed messages are gone from the DLQ.
 */
export const runDlqReplay = async (
  clients: ReplayClients,
  request: DlqReplayRequest,
  config: DlqReplayConfig,
  remainingTimeMs: number,
): Promise<DlqReplayResponse> => {
  const budgetMs = Math.max(1_000, remainingTimeMs - config.safetyMarginMs);
  const { queue, max, ...rest } = request;
  const report = await replayDlq(clients, queue, {
    ...rest,
    max: Math.min(max ?? config.maxMessages, config.maxMessages),
    concurrency: config.concurrency,
    signal: AbortSignal.timeout(budgetMs),
    // The consumers' contract (a malformed event stays in the DLQ); messages that lost their trace join this one.
    checkEvent: checkEventEnvelope,
    traceHeader: currentTraceHeader(),
  });
  return {
    ...report,
    messages: report.messages.slice(0, MAX_REPORTED_MESSAGES),
    messagesOmitted: Math.max(0, report.messages.length - MAX_REPORTED_MESSAGES),
  };
};
