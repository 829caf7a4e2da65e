import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  DlqTags,
  parseQueueArn,
  QueueNotFoundError,
  resolveQueue,
  type ScannedQueue,
  scanQueues,
} from '@breakwater/dlq';
import { AmbiguousNameError, didYouMean, matchName, type NamedResource, queueCatalog } from './names';

/** The tag naming the consumer or function whose queue or failures a queue holds. */
export const SOURCE_TAG = 'breakwater:source';

/** A queue that is not there, with the friendly names that come closest. */
export class UnknownQueueError extends QueueNotFoundError {
  public constructor(reference: string, hint: string, options?: ErrorOptions) {
    super(reference, options);
    this.message = `queue not found: ${reference}${hint}`;
  }
}

const isUrl = (text: string): boolean => /^https?:\/\//i.test(text);

/**
 * Among the queues tagged `breakwater:source=<reference>`, the one a DLQ tool means: a DLQ rather than the live
 * queue, a redrive DLQ rather than a rule target's. Undefined when none is tagged so; ambiguous when the tags leave
 * several. Pure.
 */
export const pickBySource = (
  scanned: readonly ScannedQueue[],
  reference: string,
): ScannedQueue | undefined => {
  const tagged = scanned.filter((entry) => entry.tags[SOURCE_TAG] === reference);
  const dlqs = tagged.filter((entry) => entry.tags[DlqTags.role] === DlqTags.roleDlq);
  const redrive = dlqs.filter((entry) => entry.tags[DlqTags.kind] === 'redrive');
  for (const candidates of [redrive, dlqs, tagged]) {
    if (candidates.length === 1) return candidates[0];
    if (candidates.length > 1) {
      throw new AmbiguousNameError(
        'queue',
        reference,
        candidates.map((entry) => entry.queue.name),
      );
    }
  }
  return undefined;
};

/**
 * Turns what an operator types into a queue URL, ARN or physical name the SQS calls take: a URL or an ARN as is; a
 * name SQS knows as is (no further call); else a stack-output name (`BillingDlq`, `billing-dlq`, `billing`), else
 * the `breakwater:source` tag (`outbox-publisher`). A miss is a `QueueNotFoundError` saying the closest names.
 */
export const resolveQueueName = async (
  sqs: SQSClient,
  reference: string,
  outputs: () => Promise<Readonly<Record<string, string>>>,
): Promise<string> => {
  const trimmed = reference.trim();
  if (isUrl(trimmed) || parseQueueArn(trimmed) !== undefined) return trimmed;
  try {
    return (await resolveQueue(sqs, trimmed)).url;
  } catch (error) {
    if (!(error instanceof QueueNotFoundError)) throw error;
  }
  const catalog: NamedResource[] = queueCatalog(await outputs());
  const named = matchName(catalog, trimmed);
  if (named.length > 1)
    throw new AmbiguousNameError(
      'queue',
      trimmed,
      named.map((entry) => entry.label),
    );
  if (named[0] !== undefined) return named[0].id;
  const scanned = await scanQueues(sqs);
  const bySource = pickBySource(scanned, trimmed);
  if (bySource !== undefined) return bySource.queue.url;
  const sources = scanned.map((entry) => entry.tags[SOURCE_TAG]).filter((tag) => tag !== undefined);
  throw new UnknownQueueError(
    trimmed,
    didYouMean([...catalog.map((entry) => entry.label), ...sources], trimmed),
  );
};
