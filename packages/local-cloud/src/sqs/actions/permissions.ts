import { SqsErrors } from '../errors.js';
import type { SqsQueue } from '../queue.js';

/**
 * The queue policy AddPermission writes and RemovePermission edits: one statement per label, as AWS generates it
 * (`Version` 2008-10-17, `Id` `<queue ARN>/SQSDefaultPolicy`, principals `arn:aws:iam::<account>:root`, actions
 * `SQS:<Action>`, each a string when single and a list otherwise).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_AddPermission.html
 */

export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action?: unknown;
  Resource?: unknown;
}

interface PolicyDocument {
  Version: string;
  Id: string;
  Statement: PolicyStatement[];
}

/** The actions a permission may grant (AWS refuses others, batch variants included in their action). */
export const PERMISSION_ACTIONS: ReadonlySet<string> = new Set([
  '*',
  'ChangeMessageVisibility',
  'DeleteMessage',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListDeadLetterSourceQueues',
  'PurgeQueue',
  'ReceiveMessage',
  'SendMessage',
  'ListQueueTags',
]);

/** The queue's policy document, or a new empty one. */
export const readPolicy = (queue: SqsQueue): PolicyDocument => {
  const text = queue.attributes.Policy;
  if (text !== undefined) {
    try {
      const parsed = JSON.parse(text) as Partial<PolicyDocument>;
      const statements = parsed.Statement;
      return {
        Version: parsed.Version ?? '2008-10-17',
        Id: parsed.Id ?? `${queue.arn}/SQSDefaultPolicy`,
        Statement: Array.isArray(statements) ? statements : statements === undefined ? [] : [statements],
      };
    } catch {
      // an unreadable policy is replaced
    }
  }
  return { Version: '2008-10-17', Id: `${queue.arn}/SQSDefaultPolicy`, Statement: [] };
};

/** Stores a policy document; with no statement left the queue has no policy. */
export const writePolicy = (queue: SqsQueue, policy: PolicyDocument): void => {
  if (policy.Statement.length === 0) {
    const { Policy: _removed, ...rest } = queue.attributes;
    queue.attributes = rest;
  } else {
    queue.attributes = { ...queue.attributes, Policy: JSON.stringify(policy) };
  }
};

export const labelError = (label: string, reason: string) => SqsErrors.invalidValue('Label', label, reason);

const one = <T>(values: T[]): T | T[] => (values.length === 1 ? (values[0] as T) : values);

export const statementFor = (
  queue: SqsQueue,
  label: string,
  accounts: readonly string[],
  actions: readonly string[],
): PolicyStatement => ({
  Sid: label,
  Effect: 'Allow',
  Principal: { AWS: one(accounts.map((account) => `arn:aws:iam::${account}:root`)) },
  Action: one(actions.map((action) => `SQS:${action}`)),
  Resource: queue.arn,
});
