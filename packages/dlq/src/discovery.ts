import { ListDeadLetterSourceQueuesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { mapWithConcurrency } from './async.js';
import { isUnsupported, translateQueueError } from './aws-errors.js';
import { peekMessages } from './peek.js';
import {
  getQueueAttributes,
  getQueueTags,
  listQueueUrls,
  queueRef,
  redriveTargetArn,
  resolveQueue,
  type ScannedQueue,
} from './queues.js';
import { type DlqKind, DlqKinds, type DlqSummary, DlqTags, type QueueRef } from './types.js';

/**
 * How `listDlqs` finds DLQs. With nothing set it lists every DLQ the credentials can see.
 *
 * @example
 * ```ts
 * const dlqs = await listDlqs(sqs, { pattern: 'billing-*' });
 * ```
 */
export interface DiscoveryOptions {
  /** Queues to report whatever their tags or policies say (URL, ARN or name). */
  readonly queues?: readonly string[];
  /** Only queues whose name matches this glob (`*` and `?`), e.g. `breakwater-*-dlq`. */
  readonly namePattern?: string;
  /** Passed to ListQueues as QueueNamePrefix, to scan fewer queues in a busy account. */
  readonly prefix?: string;
  /** Peek a few messages of each non-empty DLQ to tell its age and kind. Default true. */
  readonly peek?: boolean;
  /** Parallel SQS calls during the scan. Default 8. */
  readonly concurrency?: number;
}

/** Turns a glob (`*`, `?`) into an anchored regular expression. */
export const globToRegExp = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .split('')
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
      .join('')}$`,
  );

/** Reads attributes and tags of every queue; queues deleted during the scan are left out. */
export const scanQueues = async (
  sqs: SQSClient,
  prefix?: string,
  concurrency = 8,
): Promise<ScannedQueue[]> => {
  const urls = await listQueueUrls(sqs, prefix);
  const scanned = await mapWithConcurrency(urls, concurrency, async (url) => {
    try {
      const [attributes, tags] = await Promise.all([getQueueAttributes(sqs, url), getQueueTags(sqs, url)]);
      return { queue: queueRef(url, attributes.QueueArn ?? ''), attributes, tags };
    } catch (error) {
      if (error instanceof Error && error.name === 'QueueNotFoundError') return undefined;
      throw error;
    }
  });
  return scanned.filter((entry): entry is ScannedQueue => entry !== undefined);
};

/** Sources of each DLQ ARN, read from the redrive policies of the scanned queues. Pure. */
export const sourcesByDlqArn = (scanned: readonly ScannedQueue[]): Map<string, QueueRef[]> => {
  const sources = new Map<string, QueueRef[]>();
  for (const entry of scanned) {
    const target = redriveTargetArn(entry.attributes);
    if (target === undefined) continue;
    sources.set(target, [...(sources.get(target) ?? []), entry.queue]);
  }
  return sources;
};

/**
 * The source queues of one DLQ: ListDeadLetterSourceQueues where the endpoint has it, else a scan of every
 * queue's redrive policy (emulators without the action).
 *
 * @example
 * ```ts
 * const dlq = await resolveQueue(sqs, 'billing-dlq');
 * const sources = await findSourceQueues(sqs, dlq); // the queues whose redrive policy names it
 * ```
 */
export const findSourceQueues = async (sqs: SQSClient, dlq: QueueRef): Promise<QueueRef[]> => {
  try {
    const urls: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await sqs.send(
        new ListDeadLetterSourceQueuesCommand({
          QueueUrl: dlq.url,
          MaxResults: 1000,
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        }),
      );
      urls.push(...(out.queueUrls ?? []));
      nextToken = out.NextToken;
    } while (nextToken !== undefined);
    return await mapWithConcurrency(urls, 8, async (url) =>
      queueRef(url, (await getQueueAttributes(sqs, url, ['QueueArn'])).QueueArn ?? ''),
    );
  } catch (error) {
    if (!isUnsupported(error)) throw translateQueueError(error, dlq.url, 'sqs:ListDeadLetterSourceQueues');
  }
  return sourcesByDlqArn(await scanQueues(sqs)).get(dlq.arn) ?? [];
};

const numberAttribute = (attributes: Readonly<Record<string, string>>, name: string): number => {
  const value = Number(attributes[name] ?? '0');
  return Number.isFinite(value) ? value : 0;
};

/** Values of the `breakwater:dlq-kind` tag: the CDK app's and this tool's own names. */
const kindByTag: Readonly<Record<string, DlqKind>> = {
  redrive: DlqKinds.sqsRedrive,
  [DlqKinds.sqsRedrive]: DlqKinds.sqsRedrive,
  'rule-target': DlqKinds.eventBridgeTarget,
  [DlqKinds.eventBridgeTarget]: DlqKinds.eventBridgeTarget,
  'stream-on-failure': DlqKinds.streamOnFailure,
  subscription: DlqKinds.snsSubscription,
  [DlqKinds.snsSubscription]: DlqKinds.snsSubscription,
};

/** The kind a DLQ's tags and redrive sources imply, before looking at its messages. Pure. */
export const kindFromMetadata = (tags: Readonly<Record<string, string>>, sourceCount: number): DlqKind => {
  const tagged = tags[DlqTags.kind];
  const known = tagged === undefined || !Object.hasOwn(kindByTag, tagged) ? undefined : kindByTag[tagged];
  return known ?? (sourceCount > 0 ? DlqKinds.sqsRedrive : DlqKinds.unknown);
};

const summarize = async (
  sqs: SQSClient,
  entry: ScannedQueue,
  sources: readonly QueueRef[],
  peek: boolean,
  now: number,
): Promise<DlqSummary> => {
  const { attributes, tags } = entry;
  const depth = numberAttribute(attributes, 'ApproximateNumberOfMessages');
  let kind = kindFromMetadata(tags, sources.length);
  let oldestAgeSeconds: number | undefined;
  let oldestAgeSource: DlqSummary['oldestAgeSource'];
  const targets = new Set<string>();
  // Not an SQS attribute on AWS (it is a CloudWatch metric), but some endpoints report it; prefer it when present.
  if (attributes.ApproximateAgeOfOldestMessage !== undefined) {
    oldestAgeSeconds = numberAttribute(attributes, 'ApproximateAgeOfOldestMessage');
    oldestAgeSource = 'attribute';
  }
  if (peek && depth > 0) {
    const sample = await peekMessages(sqs, entry.queue, { max: 10, receives: 1 });
    const sentTimes = sample.map((message) => message.sentAt).filter((sent) => sent !== undefined);
    if (oldestAgeSource === undefined && sentTimes.length > 0) {
      oldestAgeSeconds = Math.max(0, Math.round((now - Math.min(...sentTimes)) / 1000));
      oldestAgeSource = 'peek';
    }
    for (const message of sample) if (message.targetArn !== undefined) targets.add(message.targetArn);
    if (
      kind === DlqKinds.unknown &&
      sample.some((m) => m.ruleArn !== undefined || m.targetArn !== undefined)
    ) {
      kind = DlqKinds.eventBridgeTarget;
    }
  }
  return {
    queue: entry.queue,
    kind,
    depth,
    inFlight: numberAttribute(attributes, 'ApproximateNumberOfMessagesNotVisible'),
    oldestAgeSeconds,
    oldestAgeSource,
    sources,
    targets: [...targets],
    tags,
  };
};

/**
 * Lists the DLQs: every queue named by a redrive policy, every queue tagged `breakwater:role=dlq`, and the queues
 * named explicitly; with depth, in-flight count, age of the oldest message, sources and kind.
 *
 * @example
 * ```ts
 * import { SQSClient } from '@aws-sdk/client-sqs';
 * import { listDlqs } from '@breakwater/dlq';
 *
 * for (const dlq of await listDlqs(new SQSClient({}))) console.log(dlq.queue.name, dlq.kind, dlq.depth);
 * ```
 */
export const listDlqs = async (sqs: SQSClient, options: DiscoveryOptions = {}): Promise<DlqSummary[]> => {
  const concurrency = options.concurrency ?? 8;
  const scanned = await scanQueues(sqs, options.prefix, concurrency);
  const sources = sourcesByDlqArn(scanned);
  const explicit = await mapWithConcurrency(options.queues ?? [], concurrency, (ref) =>
    resolveQueue(sqs, ref),
  );
  const explicitArns = new Set(explicit.map((queue) => queue.arn));
  const pattern = options.namePattern === undefined ? undefined : globToRegExp(options.namePattern);
  const dlqs = scanned.filter(
    (entry) =>
      (explicitArns.has(entry.queue.arn) ||
        sources.has(entry.queue.arn) ||
        entry.tags[DlqTags.role] === DlqTags.roleDlq) &&
      (pattern === undefined || pattern.test(entry.queue.name)),
  );
  // Explicit queues outside the prefix still get listed.
  for (const queue of explicit) {
    if (!dlqs.some((entry) => entry.queue.arn === queue.arn)) {
      dlqs.push({
        queue,
        attributes: await getQueueAttributes(sqs, queue.url),
        tags: await getQueueTags(sqs, queue.url),
      });
    }
  }
  const now = Date.now();
  const summaries = await mapWithConcurrency(dlqs, concurrency, (entry) =>
    summarize(sqs, entry, sources.get(entry.queue.arn) ?? [], options.peek ?? true, now),
  );
  return summaries.sort((a, b) => a.queue.name.localeCompare(b.queue.name));
};
