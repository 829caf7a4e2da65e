import { SqsErrors } from '../errors.js';
import { isSqsAction } from '../input.js';
import type { ActionHandler } from './context.js';
import { EMPTY } from './context.js';
import { labelError, PERMISSION_ACTIONS, readPolicy, statementFor, writePolicy } from './permissions.js';

const LABEL = /^[A-Za-z0-9_-]{1,80}$/;
const ACCOUNT = /^\d{12}$/;
/** AWS allows at most seven actions in a statement. */
const MAX_ACTIONS = 7;

/**
 * AddPermission: a policy statement labelled `Label` granting the accounts the actions; a label used already is
 * refused. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_AddPermission.html
 */
export const addPermission: ActionHandler<'AddPermission'> = (input, { store, request }) => {
  const queue = store.resolve(input.QueueUrl, request);
  const label = input.Label;
  if (label === undefined || label === '') throw SqsErrors.missingParameter('Label');
  const accounts = input.AWSAccountIds ?? [];
  const actions = input.Actions ?? [];
  if (actions.length === 0) throw SqsErrors.missingParameter('Actions');
  if (accounts.length === 0) {
    throw SqsErrors.invalidParameterValue(
      'Value [] for parameter PrincipalId is invalid. Reason: Unable to verify.',
    );
  }
  if (!LABEL.test(label)) {
    throw labelError(
      label,
      'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    );
  }
  for (const account of accounts) {
    if (!ACCOUNT.test(account)) throw SqsErrors.invalidValue('AWSAccountId', account, 'Invalid account id.');
  }
  if (actions.length > MAX_ACTIONS)
    throw SqsErrors.overLimit(`${actions.length} Actions were found, maximum allowed is ${MAX_ACTIONS}.`);
  for (const action of actions) {
    if (PERMISSION_ACTIONS.has(action)) continue;
    // An SQS action that only the owner may call, or no SQS action at all.
    throw SqsErrors.invalidValue(
      'ActionName',
      `SQS:${action}`,
      isSqsAction(action)
        ? 'Only the queue owner is allowed to invoke this action.'
        : 'Please refer to the appropriate WSDL for a list of valid actions. ',
    );
  }
  const policy = readPolicy(queue);
  if (policy.Statement.some((statement) => statement.Sid === label))
    throw labelError(label, 'Already exists.');
  policy.Statement.push(statementFor(queue, label, accounts, actions));
  writePolicy(queue, policy);
  return EMPTY;
};
