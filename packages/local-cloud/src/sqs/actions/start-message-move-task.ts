import { SqsErrors } from '../errors.js';
import { checkRange } from '../rules.js';
import type { ActionHandler } from './context.js';

/**
 * StartMessageMoveTask: from a dead-letter queue (a queue some queue's redrive policy names) to DestinationArn,
 * or without one back to each message's own source queue; at most 500 messages a second when limited; one
 * running task per source.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
 */
export const startMessageMoveTask: ActionHandler<'StartMessageMoveTask'> = (
  input,
  { store, moveTasks, now },
) => {
  const sourceArn = input.SourceArn;
  if (sourceArn === undefined || sourceArn === '') throw SqsErrors.missingParameter('SourceArn');
  const source = store.byArn(sourceArn);
  if (source === undefined) throw SqsErrors.resourceNotFoundFor('SourceArn');
  const destinationArn = input.DestinationArn === '' ? undefined : input.DestinationArn;
  if (destinationArn !== undefined && store.byArn(destinationArn) === undefined) {
    throw SqsErrors.resourceNotFoundFor('DestinationArn');
  }
  const rate = checkRange(
    input.MaxNumberOfMessagesPerSecond,
    'MaxNumberOfMessagesPerSecond',
    1,
    500,
    'Must be between 1 and 500.',
  );
  if (store.sourcesOf(sourceArn).length === 0) {
    throw SqsErrors.invalidParameterValue('Source queue must be configured as a Dead Letter Queue.');
  }
  if (moveTasks.isRunning(sourceArn)) {
    throw SqsErrors.invalidParameterValue(
      'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
    );
  }
  const task = moveTasks.start({
    sourceArn,
    destinationArn,
    maxNumberOfMessagesPerSecond: rate,
    toMove: source.approximateCounts(now).visible,
    now,
  });
  return { TaskHandle: task.taskHandle };
};
