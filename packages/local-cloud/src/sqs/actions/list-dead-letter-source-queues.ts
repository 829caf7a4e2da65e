import { checkRange } from '../rules.js';
import type { ActionHandler } from './context.js';
import { decodeToken, encodeToken } from './list-queues.js';

/**
 * ListDeadLetterSourceQueues: the queues whose redrive policy names this queue, all of them; with MaxResults a
 * page and a NextToken while more remain.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListDeadLetterSourceQueues.html
 */
export const listDeadLetterSourceQueues: ActionHandler<'ListDeadLetterSourceQueues'> = (
  input,
  { store, request },
) => {
  const queue = store.resolve(input.QueueUrl, request);
  const max = checkRange(
    input.MaxResults,
    'MaxResults',
    1,
    1000,
    'MaxResults must be an integer between 1 and 1000.',
  );
  const after = decodeToken(input.NextToken);
  const sources = store.sourcesOf(queue.arn).filter((source) => after === undefined || source.name > after);
  const page = max === undefined ? sources : sources.slice(0, max);
  const last = page.at(-1);
  const more = max !== undefined && sources.length > page.length && last !== undefined;
  return {
    queueUrls: page.map((source) => store.urlOf(source, request.host)),
    ...(more ? { NextToken: encodeToken(store.urlOf(last, request.host)) } : {}),
  };
};
