import type { ListMessageMoveTasksResultEntry } from '@aws-sdk/client-sqs';
import { SqsErrors } from '../errors.js';
import { MoveTaskStatus, TASKS_KEPT } from '../move-tasks.js';
import { checkRange } from '../rules.js';
import type { ActionHandler } from './context.js';

/**
 * ListMessageMoveTasks: the most recent tasks of a source (MaxResults, default 1, at most 10); the task handle
 * only of a running task, optional members only when they were given.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListMessageMoveTasks.html
 */
export const listMessageMoveTasks: ActionHandler<'ListMessageMoveTasks'> = (input, { store, moveTasks }) => {
  const sourceArn = input.SourceArn;
  if (sourceArn === undefined || sourceArn === '') throw SqsErrors.missingParameter('SourceArn');
  const max = checkRange(input.MaxResults, 'MaxResults', 1, TASKS_KEPT, 'Must be between 1 and 10.') ?? 1;
  if (store.byArn(sourceArn) === undefined) throw SqsErrors.resourceNotFoundFor('SourceArn');
  const results = moveTasks
    .tasksOf(sourceArn)
    .slice(0, max)
    .map(
      (task): ListMessageMoveTasksResultEntry => ({
        ...(task.status === MoveTaskStatus.running ? { TaskHandle: task.taskHandle } : {}),
        Status: task.status,
        SourceArn: task.sourceArn,
        ...(task.destinationArn === undefined ? {} : { DestinationArn: task.destinationArn }),
        ...(task.maxNumberOfMessagesPerSecond === undefined
          ? {}
          : { MaxNumberOfMessagesPerSecond: task.maxNumberOfMessagesPerSecond }),
        ApproximateNumberOfMessagesMoved: task.moved,
        ApproximateNumberOfMessagesToMove: task.approximateNumberOfMessagesToMove,
        ...(task.failureReason === undefined ? {} : { FailureReason: task.failureReason }),
        StartedTimestamp: task.startedTimestamp,
      }),
    );
  return { Results: results };
};
