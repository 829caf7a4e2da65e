import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  type QueueAttributeName,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { translateQueueError } from './aws-errors.js';
import type { QueueRef } from './types.js';

/** The parts of an SQS queue ARN `arn:aws:sqs:<region>:<account>:<name>`. */
export interface QueueArnParts {
  readonly region: string;
  readonly accountId: string;
  readonly name: string;
}

/** Parses an SQS queue ARN; undefined for anything else. */
export const parseQueueArn = (arn: string): QueueArnParts | undefined => {
  const match = /^arn:[^:]+:sqs:([^:]*):([^:]*):([^:/]+)$/.exec(arn);
  if (match === null) return undefined;
  return { region: match[1] ?? '', accountId: match[2] ?? '', name: match[3] ?? '' };
};

/** The queue name is the last path segment of its URL. */
export const queueNameFromUrl = (url: string): string => {
  const segments = new URL(url).pathname.split('/').filter((segment) => segment !== '');
  return decodeURIComponent(segments.at(-1) ?? '');
};

const isUrl = (text: string): boolean => /^https?:\/\//i.test(text);

/** Builds a queue reference from the URL and ARN SQS reported. */
export const queueRef = (url: string, arn: string): QueueRef => {
  const name = queueNameFromUrl(url);
  return { url, arn, name, fifo: name.endsWith('.fifo') };
};

/** Reads queue attributes (all by default); translates a missing queue or a denied permission. */
export const getQueueAttributes = async (
  sqs: SQSClient,
  url: string,
  names: readonly QueueAttributeName[] = ['All'],
): Promise<Record<string, string>> => {
  try {
    const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [...names] }));
    return out.Attributes ?? {};
  } catch (error) {
    throw translateQueueError(error, url, 'sqs:GetQueueAttributes');
  }
};

/** Reads queue tags; an empty object when the endpoint keeps none. */
export const getQueueTags = async (sqs: SQSClient, url: string): Promise<Record<string, string>> => {
  try {
    const out = await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }));
    return out.Tags ?? {};
  } catch (error) {
    throw translateQueueError(error, url, 'sqs:ListQueueTags');
  }
};

/**
 * Resolves what an operator types (a queue URL, an SQS ARN, or a name) to a checked `QueueRef`. Throws
 * `QueueNotFoundError` when the queue does not exist and `PermissionDeniedError` when it may not be read.
 * ARNs must be in the client's region (SQS URLs are regional).
 *
 * @example
 * ```ts
 * const queue = await resolveQueue(sqs, 'arn:aws:sqs:eu-west-1:123456789012:billing-dlq'); // a URL, ARN or name
 * console.log(queue.url, queue.fifo);
 * ```
 */
export const resolveQueue = async (sqs: SQSClient, reference: string): Promise<QueueRef> => {
  const trimmed = reference.trim();
  let url: string;
  if (isUrl(trimmed)) {
    url = trimmed;
  } else {
    const arn = parseQueueArn(trimmed);
    const name = arn?.name ?? trimmed;
    try {
      const out = await sqs.send(
        new GetQueueUrlCommand({
          QueueName: name,
          ...(arn !== undefined && arn.accountId !== '' ? { QueueOwnerAWSAccountId: arn.accountId } : {}),
        }),
      );
      url = out.QueueUrl ?? '';
    } catch (error) {
      throw translateQueueError(error, trimmed, 'sqs:GetQueueUrl');
    }
  }
  const attributes = await getQueueAttributes(sqs, url, ['QueueArn']);
  return queueRef(url, attributes.QueueArn ?? '');
};

/** Lists every queue URL (all pages), optionally only those whose name starts with `prefix`. */
export const listQueueUrls = async (sqs: SQSClient, prefix?: string): Promise<string[]> => {
  const urls: string[] = [];
  let nextToken: string | undefined;
  do {
    try {
      const out = await sqs.send(
        new ListQueuesCommand({
          MaxResults: 1000,
          ...(prefix === undefined ? {} : { QueueNamePrefix: prefix }),
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        }),
      );
      urls.push(...(out.QueueUrls ?? []));
      nextToken = out.NextToken;
    } catch (error) {
      throw translateQueueError(error, '(all queues)', 'sqs:ListQueues');
    }
  } while (nextToken !== undefined);
  return urls;
};

/** The DLQ ARN a queue's RedrivePolicy names, or undefined when it has none (or it is unreadable). */
export const redriveTargetArn = (attributes: Readonly<Record<string, string>>): string | undefined => {
  const policy = attributes.RedrivePolicy;
  if (policy === undefined || policy === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(policy);
    const target = (parsed as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
    return typeof target === 'string' ? target : undefined;
  } catch {
    return undefined;
  }
};

/** A queue with its attributes and tags, read once during a scan. */
export interface ScannedQueue {
  readonly queue: QueueRef;
  readonly attributes: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
}
