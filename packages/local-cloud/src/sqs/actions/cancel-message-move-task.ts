import { SqsErrors } from '../errors.js';
import { decodeTaskHandle, MoveTaskStatus } from '../move-tasks.js';
import type { ActionHandler } from './context.js';

/**
 * CancelMessageMoveTask: only a running task; answers how many messages it had moved.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CancelMessageMoveTask.html
 */
export const cancelMessageMoveTask: ActionHandler<'CancelMessageMoveTask'> = (
  input,
  { store, moveTasks },
) => {
  const handle = input.TaskHandle;
  if (handle === undefined || handle === '') throw SqsErrors.missingParameter('TaskHandle');
  const decoded = decodeTaskHandle(handle);
  if (decoded === undefined)
    throw SqsErrors.invalidParameterValue('Value for parameter TaskHandle is invalid.');
  if (store.byArn(decoded.sourceArn) === undefined) throw SqsErrors.resourceNotFoundFor('SourceArn');
  const task = moveTasks.find(decoded.sourceArn, decoded.taskId);
  if (task === undefined) throw SqsErrors.resourceNotFound('Task does not exist.');
  if (task.status !== MoveTaskStatus.running) {
    throw SqsErrors.invalidParameterValue(
      `Only a RUNNING task can be cancelled; this task is ${task.status}.`,
    );
  }
  moveTasks.cancel(task);
  return { ApproximateNumberOfMessagesMoved: task.moved };
};
