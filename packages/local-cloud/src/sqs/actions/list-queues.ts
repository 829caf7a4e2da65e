import { SqsErrors } from '../errors.js';
import type { ActionHandler } from './context.js';

/** ListQueues answers at most 1,000 URLs, fewer when MaxResults asks. */
const MAX_RESULTS = 1000;

/**
 * ListQueues: the caller's region, optionally by name prefix; with MaxResults a NextToken while more remain.
 * AWS omits QueueUrls when none match.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html
 */
export const listQueues: ActionHandler<'ListQueues'> = (input, { store, request }) => {
  const max = input.MaxResults;
  if (max !== undefined && (max < 1 || max > MAX_RESULTS)) {
    throw SqsErrors.invalidValue('MaxResults', max, 'MaxResults must be an integer between 1 and 1000.');
  }
  const prefix = input.QueueNamePrefix ?? '';
  const after = decodeToken(input.NextToken);
  const names = store
    .list(request.region)
    .filter((queue) => queue.name.startsWith(prefix) && (after === undefined || queue.name > after));
  const page = names.slice(0, max ?? MAX_RESULTS);
  const last = page.at(-1);
  const more = max !== undefined && names.length > page.length && last !== undefined;
  return {
    ...(page.length === 0 ? {} : { QueueUrls: page.map((queue) => store.urlOf(queue, request.host)) }),
    ...(more ? { NextToken: encodeToken(store.urlOf(last, request.host)) } : {}),
  };
};

/** Tokens are opaque to clients; like AWS's they are the last queue URL handed out, base64-encoded. */
export const encodeToken = (url: string): string => Buffer.from(url, 'utf8').toString('base64');

/** The queue name a token continues after. */
export const decodeToken = (token: string | undefined): string | undefined => {
  if (token === undefined || token === '') return undefined;
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const name = decoded.slice(decoded.lastIndexOf('/') + 1);
  if (name === '' || Buffer.from(decoded, 'utf8').toString('base64') !== token) {
    throw SqsErrors.invalidParameterValue('Invalid NextToken value.');
  }
  return name;
};
