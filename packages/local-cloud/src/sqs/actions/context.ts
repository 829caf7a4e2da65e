import type {
  CancelMessageMoveTaskResult,
  ChangeMessageVisibilityBatchResult,
  CreateQueueResult,
  DeleteMessageBatchResult,
  GetQueueAttributesResult,
  GetQueueUrlResult,
  ListDeadLetterSourceQueuesResult,
  ListMessageMoveTasksResult,
  ListQueuesResult,
  ListQueueTagsResult,
  ReceiveMessageResult,
  SendMessageBatchResult,
  SendMessageResult,
  StartMessageMoveTaskResult,
} from '@aws-sdk/client-sqs';
import type { SqsAction, SqsInputs } from '../input.js';
import type { MoveTasks } from '../move-tasks.js';
import type { SqsRequestContext, SqsStore } from '../store.js';

/** An action without output answers an empty structure. */
type Empty = Record<string, never>;

/** Every SQS action and the SDK output type its answer satisfies. */
export interface SqsOutputs {
  AddPermission: Empty;
  CancelMessageMoveTask: CancelMessageMoveTaskResult;
  ChangeMessageVisibility: Empty;
  ChangeMessageVisibilityBatch: ChangeMessageVisibilityBatchResult;
  CreateQueue: CreateQueueResult;
  DeleteMessage: Empty;
  DeleteMessageBatch: DeleteMessageBatchResult;
  DeleteQueue: Empty;
  GetQueueAttributes: GetQueueAttributesResult;
  GetQueueUrl: GetQueueUrlResult;
  ListDeadLetterSourceQueues: ListDeadLetterSourceQueuesResult;
  ListMessageMoveTasks: ListMessageMoveTasksResult;
  ListQueues: ListQueuesResult;
  ListQueueTags: ListQueueTagsResult;
  PurgeQueue: Empty;
  ReceiveMessage: ReceiveMessageResult;
  RemovePermission: Empty;
  SendMessage: SendMessageResult;
  SendMessageBatch: SendMessageBatchResult;
  SetQueueAttributes: Empty;
  StartMessageMoveTask: StartMessageMoveTaskResult;
  TagQueue: Empty;
  UntagQueue: Empty;
}

/** What an action runs with. */
export interface ActionContext {
  readonly store: SqsStore;
  readonly moveTasks: MoveTasks;
  readonly request: SqsRequestContext;
  /** The request's time (epoch ms), one value for the whole action. */
  readonly now: number;
  /** SenderId of the messages this request sends. */
  readonly senderId: string;
}

/** One action: input as the SDK types it, answer as the SDK types it. */
export type ActionHandler<A extends SqsAction> = (
  input: SqsInputs[A],
  context: ActionContext,
) => SqsOutputs[A] | Promise<SqsOutputs[A]>;

export const EMPTY: Empty = {};
