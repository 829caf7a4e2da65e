import { randomUUID } from 'node:crypto';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  QueueDoesNotExist,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  AwsServiceError,
  type JsonProtocolService,
  type JsonServiceRequest,
  type JsonServiceResponse,
} from '../support/aws-protocol';
import { decodeTaskHandle, encodeTaskHandle, type MoveTask, MoveTaskStatus, runMoveTask } from './move-tasks';
import { parseQueueArn, SqsErrors } from './sqs-names';

/**
 * The SQS actions fauxqs lacks, answered in our layer with AWS's semantics and performed through fauxqs's own SQS
 * API: StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask and ListDeadLetterSourceQueues.
 * The edge consults it first for SQS actions (`actions`) and sends everything else to fauxqs.
 */
export interface SqsExtension extends JsonProtocolService {
  /** The actions this extension answers. */
  readonly actions: ReadonlySet<string>;
  /** Cancels the running tasks and waits until they have stopped. */
  stop(): Promise<void>;
}

/** Tasks kept per source queue: ListMessageMoveTasks reports at most the 10 most recent. */
const TASKS_KEPT = 10;
/** AWS's cap on MaxNumberOfMessagesPerSecond. */
const MAX_RATE = 500;

type Input = Readonly<Record<string, unknown>>;

function stringParam(input: Input, name: string, required: true): string;
function stringParam(input: Input, name: string, required?: false): string | undefined;
function stringParam(input: Input, name: string, required = false): string | undefined {
  const value = input[name];
  if (value === undefined || value === null || value === '') {
    if (required) throw SqsErrors.missingParameter(name);
    return undefined;
  }
  if (typeof value !== 'string') throw SqsErrors.invalidParameter(`Value for parameter ${name} is invalid.`);
  return value;
}

const intParam = (input: Input, name: string, min: number, max: number): number | undefined => {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw SqsErrors.invalidParameter(
      `Value ${String(value)} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}.`,
    );
  }
  return value;
};

const notFoundFor = (parameter: string) =>
  SqsErrors.resourceNotFound(`The resource that you specified for the ${parameter} parameter doesn't exist.`);

/** Creates the extension over an SQS client pointed at fauxqs (not at the edge: no loop through ourselves). */
export const createSqsExtension = ({ sqs }: { sqs: SQSClient }): SqsExtension => {
  const tasksBySource = new Map<string, MoveTask[]>();
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();

  const queueUrlOf = async (arn: string): Promise<string | undefined> => {
    const parts = parseQueueArn(arn);
    if (parts === undefined) return undefined;
    try {
      return (await sqs.send(new GetQueueUrlCommand({ QueueName: parts.name }))).QueueUrl;
    } catch (error) {
      if (error instanceof QueueDoesNotExist) return undefined;
      throw error;
    }
  };

  /** Every queue whose redrive policy names `dlqArn` as its dead-letter queue, sorted by URL. */
  const deadLetterSources = async (dlqArn: string): Promise<{ url: string; arn: string }[]> => {
    const urls: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sqs.send(new ListQueuesCommand({ MaxResults: 1000, NextToken: nextToken }));
      urls.push(...(page.QueueUrls ?? []));
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
    const described = await Promise.all(
      urls.map(async (url) => {
        try {
          const { Attributes = {} } = await sqs.send(
            new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'RedrivePolicy'] }),
          );
          const policy: unknown = JSON.parse(Attributes.RedrivePolicy ?? '{}');
          const target =
            typeof policy === 'object' && policy !== null ? (policy as Input).deadLetterTargetArn : undefined;
          return target === dlqArn ? { url, arn: Attributes.QueueArn ?? '' } : undefined;
        } catch {
          return undefined; // deleted meanwhile, or a malformed policy: not a source
        }
      }),
    );
    return described.filter((entry) => entry !== undefined).sort((a, b) => a.url.localeCompare(b.url));
  };

  const startMessageMoveTask = async (input: Input): Promise<Input> => {
    const sourceArn = stringParam(input, 'SourceArn', true);
    const destinationArn = stringParam(input, 'DestinationArn');
    const rate = intParam(input, 'MaxNumberOfMessagesPerSecond', 1, MAX_RATE);
    const sourceUrl = await queueUrlOf(sourceArn);
    if (sourceUrl === undefined) throw notFoundFor('SourceArn');
    const destinationUrl = destinationArn === undefined ? undefined : await queueUrlOf(destinationArn);
    if (destinationArn !== undefined && destinationUrl === undefined) throw notFoundFor('DestinationArn');
    const sources = await deadLetterSources(sourceArn);
    if (sources.length === 0)
      throw SqsErrors.invalidParameter('Source queue must be configured as a Dead Letter Queue.');
    // Without a DestinationArn each message returns to its original source queue. fauxqs does not record it, so
    // the one queue that uses this DLQ is the origin; with several, the caller must name the destination.
    const [onlySource] = sources;
    if (destinationUrl === undefined && (sources.length > 1 || onlySource === undefined)) {
      throw SqsErrors.invalidParameter(
        `Value for parameter DestinationArn is invalid. Reason: ${sources.length} queues use this dead-letter queue and the local cloud does not record each message's source queue; name the destination.`,
      );
    }
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: sourceUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    // Checked and registered with no await in between, so two concurrent starts cannot both pass.
    if (running.has(sourceArn)) {
      throw SqsErrors.invalidParameter(
        'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
      );
    }
    const taskId = randomUUID();
    const task: MoveTask = {
      taskId,
      taskHandle: encodeTaskHandle(taskId, sourceArn),
      sourceArn,
      sourceUrl,
      destinationArn,
      maxNumberOfMessagesPerSecond: rate,
      startedTimestamp: Date.now(),
      approximateNumberOfMessagesToMove: Number(Attributes.ApproximateNumberOfMessages ?? '0'),
      status: MoveTaskStatus.running,
      moved: 0,
      failureReason: undefined,
    };
    tasksBySource.set(sourceArn, [task, ...(tasksBySource.get(sourceArn) ?? [])].slice(0, TASKS_KEPT));
    const originUrls = new Map(sources.map((source) => [source.arn, source.url]));
    const fixedUrl = destinationUrl ?? onlySource?.url ?? '';
    const controller = new AbortController();
    const done = runMoveTask(task, {
      sqs,
      signal: controller.signal,
      // A message that names its origin (AWS's DeadLetterQueueSourceArn) goes back there.
      destinationOf: async (message) => {
        const origin = message.Attributes?.DeadLetterQueueSourceArn;
        if (destinationUrl !== undefined || origin === undefined) return fixedUrl;
        return originUrls.get(origin) ?? (await queueUrlOf(origin)) ?? fixedUrl;
      },
    }).finally(() => running.delete(sourceArn));
    running.set(sourceArn, { controller, done });
    return { TaskHandle: task.taskHandle };
  };

  const findTask = async (input: Input): Promise<MoveTask> => {
    const decoded = decodeTaskHandle(stringParam(input, 'TaskHandle', true));
    if (decoded === undefined) throw SqsErrors.invalidParameter('Value for parameter TaskHandle is invalid.');
    if ((await queueUrlOf(decoded.sourceArn)) === undefined) throw notFoundFor('SourceArn');
    const task = tasksBySource
      .get(decoded.sourceArn)
      ?.find((candidate) => candidate.taskId === decoded.taskId);
    if (task === undefined) throw SqsErrors.resourceNotFound('Task does not exist.');
    return task;
  };

  const cancelMessageMoveTask = async (input: Input): Promise<Input> => {
    const task = await findTask(input);
    if (task.status !== MoveTaskStatus.running) {
      throw SqsErrors.invalidParameter(`Only a RUNNING task can be cancelled; this task is ${task.status}.`);
    }
    task.status = MoveTaskStatus.cancelling;
    running.get(task.sourceArn)?.controller.abort();
    return { ApproximateNumberOfMessagesMoved: task.moved };
  };

  const listMessageMoveTasks = async (input: Input): Promise<Input> => {
    const sourceArn = stringParam(input, 'SourceArn', true);
    const maxResults = intParam(input, 'MaxResults', 1, TASKS_KEPT) ?? 1;
    if ((await queueUrlOf(sourceArn)) === undefined) throw notFoundFor('SourceArn');
    const tasks = (tasksBySource.get(sourceArn) ?? []).slice(0, maxResults);
    return {
      Results: tasks.map((task) => ({
        // AWS shows the handle of running tasks only, and optional fields only when they were given.
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
      })),
    };
  };

  const listDeadLetterSourceQueues = async (input: Input): Promise<Input> => {
    const queueUrl = stringParam(input, 'QueueUrl', true);
    const maxResults = intParam(input, 'MaxResults', 1, 1000);
    const nextToken = stringParam(input, 'NextToken');
    let dlqArn: string | undefined;
    try {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
      );
      dlqArn = Attributes.QueueArn;
    } catch (error) {
      if (error instanceof QueueDoesNotExist) throw SqsErrors.queueDoesNotExist();
      throw error;
    }
    const urls = (await deadLetterSources(dlqArn ?? '')).map((source) => source.url);
    // Pages are keyed on the last URL handed out, so they stay stable while queues come and go.
    const after = nextToken === undefined ? undefined : Buffer.from(nextToken, 'base64').toString('utf8');
    const remaining = after === undefined ? urls : urls.filter((url) => url > after);
    const page = maxResults === undefined ? remaining : remaining.slice(0, maxResults);
    const last = page.at(-1);
    const more = maxResults !== undefined && remaining.length > page.length && last !== undefined;
    return { queueUrls: page, ...(more ? { NextToken: Buffer.from(last, 'utf8').toString('base64') } : {}) };
  };

  const handlers: Record<string, (input: Input) => Promise<Input>> = {
    StartMessageMoveTask: startMessageMoveTask,
    CancelMessageMoveTask: cancelMessageMoveTask,
    ListMessageMoveTasks: listMessageMoveTasks,
    ListDeadLetterSourceQueues: listDeadLetterSourceQueues,
  };

  return {
    signingName: 'sqs',
    targetPrefix: 'AmazonSQS',
    actions: new Set(Object.keys(handlers)),
    handle: async ({ action, input }: JsonServiceRequest): Promise<JsonServiceResponse> => {
      // Own keys only: `constructor` or `toString` must not reach Object.prototype.
      const handler = Object.hasOwn(handlers, action) ? handlers[action] : undefined;
      if (handler === undefined)
        throw new AwsServiceError('UnknownOperationException', `Unknown action ${action}`);
      return { status: 200, body: await handler(input) };
    },
    stop: async () => {
      for (const [sourceArn, { controller }] of running) {
        for (const task of tasksBySource.get(sourceArn) ?? []) {
          if (task.status === MoveTaskStatus.running) task.status = MoveTaskStatus.cancelling;
        }
        controller.abort();
      }
      await Promise.all([...running.values()].map(({ done }) => done));
    },
  };
};
