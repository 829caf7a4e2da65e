import { SqsErrors } from '../errors.js';
import type { ActionHandler } from './context.js';
import { EMPTY } from './context.js';
import { labelError, readPolicy, writePolicy } from './permissions.js';

/**
 * RemovePermission: removes the statement labelled `Label`; an unknown label is refused.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_RemovePermission.html
 */
export const removePermission: ActionHandler<'RemovePermission'> = (input, { store, request }) => {
  const queue = store.resolve(input.QueueUrl, request);
  const label = input.Label;
  if (label === undefined || label === '') throw SqsErrors.missingParameter('Label');
  const policy = readPolicy(queue);
  const kept = policy.Statement.filter((statement) => statement.Sid !== label);
  if (kept.length === policy.Statement.length) throw labelError(label, "can't find label.");
  writePolicy(queue, { ...policy, Statement: kept });
  return EMPTY;
};
