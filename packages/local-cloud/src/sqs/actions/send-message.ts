import type { ActionHandler } from './context.js';
import { sendOne } from './sending.js';

/**
 * SendMessage. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 */
export const sendMessage: ActionHandler<'SendMessage'> = (input, context) => {
  const { QueueUrl, ...message } = input;
  const queue = context.store.resolve(QueueUrl, context.request);
  return sendOne(queue, message, context, 'single');
};
