import { SqsErrors } from '../errors.js';
import type { ActionHandler } from './context.js';

/**
 * GetQueueUrl: by name, in the caller's region, optionally of an owner account (only ours exists here).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueUrl.html
 */
export const getQueueUrl: ActionHandler<'GetQueueUrl'> = (input, { store, request }) => {
  const name = input.QueueName;
  if (name === undefined || name === '') throw SqsErrors.missingParameter('QueueName');
  const owner = input.QueueOwnerAWSAccountId;
  const queue =
    owner === undefined || owner === store.accountId
      ? store.byArn(store.arnOf(request.region, name))
      : undefined;
  if (queue === undefined) throw SqsErrors.queueDoesNotExist();
  return { QueueUrl: store.urlOf(queue, request.host) };
};
