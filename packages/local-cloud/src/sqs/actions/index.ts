import type { SqsAction } from '../input';
import { addPermission } from './add-permission';
import { cancelMessageMoveTask } from './cancel-message-move-task';
import { changeMessageVisibility } from './change-message-visibility';
import { changeMessageVisibilityBatch } from './change-message-visibility-batch';
import type { ActionHandler } from './context';
import { createQueue } from './create-queue';
import { deleteMessage } from './delete-message';
import { deleteMessageBatch } from './delete-message-batch';
import { deleteQueue } from './delete-queue';
import { getQueueAttributes } from './get-queue-attributes';
import { getQueueUrl } from './get-queue-url';
import { listDeadLetterSourceQueues } from './list-dead-letter-source-queues';
import { listMessageMoveTasks } from './list-message-move-tasks';
import { listQueueTags } from './list-queue-tags';
import { listQueues } from './list-queues';
import { purgeQueue } from './purge-queue';
import { receiveMessage } from './receive-message';
import { removePermission } from './remove-permission';
import { sendMessage } from './send-message';
import { sendMessageBatch } from './send-message-batch';
import { setQueueAttributes } from './set-queue-attributes';
import { startMessageMoveTask } from './start-message-move-task';
import { tagQueue } from './tag-queue';
import { untagQueue } from './untag-queue';

export type { ActionContext, SqsOutputs } from './context';

/** Every SQS action of the API (2012-11-05), one file each. */
export const SQS_ACTIONS: { readonly [A in SqsAction]: ActionHandler<A> } = {
  AddPermission: addPermission,
  CancelMessageMoveTask: cancelMessageMoveTask,
  ChangeMessageVisibility: changeMessageVisibility,
  ChangeMessageVisibilityBatch: changeMessageVisibilityBatch,
  CreateQueue: createQueue,
  DeleteMessage: deleteMessage,
  DeleteMessageBatch: deleteMessageBatch,
  DeleteQueue: deleteQueue,
  GetQueueAttributes: getQueueAttributes,
  GetQueueUrl: getQueueUrl,
  ListDeadLetterSourceQueues: listDeadLetterSourceQueues,
  ListMessageMoveTasks: listMessageMoveTasks,
  ListQueues: listQueues,
  ListQueueTags: listQueueTags,
  PurgeQueue: purgeQueue,
  ReceiveMessage: receiveMessage,
  RemovePermission: removePermission,
  SendMessage: sendMessage,
  SendMessageBatch: sendMessageBatch,
  SetQueueAttributes: setQueueAttributes,
  StartMessageMoveTask: startMessageMoveTask,
  TagQueue: tagQueue,
  UntagQueue: untagQueue,
};
