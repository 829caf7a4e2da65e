import { type Action, type ActionContext, defined } from './action-context';
import { eventsResource, replayArn } from './arns';
import { AwsErrors } from './aws-errors';
import {
  NAME_RULE,
  optionalString,
  paginate,
  requiredObject,
  requiredString,
  requiredTimestamp,
  toEpochSeconds,
} from './input';
import type { ReplayRecord } from './model';
import { routeEvent } from './router';

const seconds = (millis: number | undefined): number | undefined =>
  millis === undefined ? undefined : toEpochSeconds(millis);

const summary = (replay: ReplayRecord) =>
  defined({
    ReplayName: replay.name,
    EventSourceArn: replay.eventSourceArn,
    State: replay.state,
    StateReason: replay.stateReason,
    EventStartTime: toEpochSeconds(replay.eventStartTime),
    EventEndTime: toEpochSeconds(replay.eventEndTime),
    EventLastReplayedTime: seconds(replay.eventLastReplayedTime),
    ReplayStartTime: toEpochSeconds(replay.replayStartTime),
    ReplayEndTime: seconds(replay.replayEndTime),
  });

const readFilterArns = (destination: Readonly<Record<string, unknown>>): string[] | undefined => {
  const filterArns = destination.FilterArns;
  if (filterArns === undefined || filterArns === null) return undefined;
  if (!Array.isArray(filterArns) || !filterArns.every((arn) => typeof arn === 'string')) {
    throw AwsErrors.validation(
      'Parameter Destination.FilterArns is not valid. Reason: it must be a list of rule ARNs.',
    );
  }
  return filterArns as string[];
};

/**
 * Re-puts the archived events whose time falls in [EventStartTime, EventEndTime], oldest first, onto the archive's
 * bus with `replay-name` set, to every rule or only to the FilterArns rules. Replayed events are not archived again.
 */
const runReplay = async (context: ActionContext, replay: ReplayRecord): Promise<void> => {
  await new Promise((resolve) => setImmediate(resolve));
  const archive = context.store.archives.get(replay.archiveName);
  if (archive === undefined) {
    replay.state = 'FAILED';
    replay.stateReason = `Archive ${replay.archiveName} was deleted.`;
    return;
  }
  replay.state = 'RUNNING';
  const only =
    replay.destination.FilterArns === undefined ? undefined : new Set(replay.destination.FilterArns);
  const selected = archive.events
    .filter(({ eventTime }) => eventTime >= replay.eventStartTime && eventTime <= replay.eventEndTime)
    .sort((a, b) => a.eventTime - b.eventTime);
  for (const { event, eventTime } of selected) {
    routeEvent(
      { ...context.routing, now: context.clock() },
      archive.busName,
      { ...event, 'replay-name': replay.name },
      only === undefined ? {} : { onlyRuleArns: only },
    );
    context.routing.metrics.replayedEvents += 1;
    replay.eventLastReplayedTime = eventTime;
  }
  replay.state = 'COMPLETED';
  replay.replayEndTime = context.clock();
};

/** StartReplay: only back onto the archive's own bus (as AWS); runs after the response. */
const startReplay: Action = (context) => {
  const { input, scope, store, now } = context;
  const name = requiredString(input, 'ReplayName', NAME_RULE);
  const description = optionalString(input, 'Description', { max: 512 });
  const eventSourceArn = requiredString(input, 'EventSourceArn', { min: 1, max: 1600 });
  const eventStartTime = requiredTimestamp(input, 'EventStartTime');
  const eventEndTime = requiredTimestamp(input, 'EventEndTime');
  const destination = requiredObject(input, 'Destination');
  const destinationArn = requiredString(destination, 'Arn', { min: 1, max: 1600 });
  const filterArns = readFilterArns(destination);
  const resource = eventsResource(scope, eventSourceArn);
  if (!resource?.startsWith('archive/')) {
    throw AwsErrors.validation(
      `Parameter EventSourceArn is not valid. Reason: ${eventSourceArn} is not an archive ARN.`,
    );
  }
  const archive = store.archive(resource.slice('archive/'.length));
  if (destinationArn !== store.bus(archive.busName).arn) {
    throw AwsErrors.validation(
      'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.',
    );
  }
  const busRules = new Set(store.rules(archive.busName).map((rule) => rule.arn));
  const unknownRule = filterArns?.find((arn) => !busRules.has(arn));
  if (unknownRule !== undefined) {
    throw AwsErrors.validation(
      `Parameter Destination.FilterArns is not valid. Reason: ${unknownRule} is not a rule of the bus.`,
    );
  }
  if (eventStartTime >= eventEndTime) {
    throw AwsErrors.validation(
      'Parameter EventStartTime is not valid. Reason: EventStartTime must be before EventEndTime.',
    );
  }
  if (store.replays.has(name)) throw AwsErrors.alreadyExists(`Replay ${name} already exists.`);
  const replay: ReplayRecord = {
    name,
    arn: replayArn(scope, name),
    ...(description === undefined ? {} : { description }),
    archiveName: archive.name,
    eventSourceArn,
    destination: { Arn: destinationArn, ...(filterArns === undefined ? {} : { FilterArns: filterArns }) },
    eventStartTime,
    eventEndTime,
    replayStartTime: now,
    state: 'STARTING',
  };
  store.replays.set(name, replay);
  context.startTask(() => runReplay(context, replay));
  return { ReplayArn: replay.arn, State: replay.state, ReplayStartTime: toEpochSeconds(now) };
};

/** DescribeReplay. */
const describeReplay: Action = ({ input, store }) => {
  const replay = store.replay(requiredString(input, 'ReplayName', NAME_RULE));
  return defined({
    ...summary(replay),
    ReplayArn: replay.arn,
    Description: replay.description,
    Destination: replay.destination,
  });
};

/** ListReplays: by NamePrefix, EventSourceArn and State, paginated. */
const listReplays: Action = ({ input, store }) => {
  const prefix = optionalString(input, 'NamePrefix', { max: 64 }) ?? '';
  const source = optionalString(input, 'EventSourceArn', { max: 1600 });
  const state = optionalString(input, 'State');
  const replays = [...store.replays.values()]
    .filter((replay) => replay.name.startsWith(prefix))
    .filter((replay) => source === undefined || replay.eventSourceArn === source)
    .filter((replay) => state === undefined || replay.state === state)
    .sort((a, b) => a.name.localeCompare(b.name));
  const { page, nextToken } = paginate(input, replays);
  return defined({ Replays: page.map(summary), NextToken: nextToken });
};

/** The replay actions by name. */
export const replayActions: Readonly<Record<string, Action>> = {
  StartReplay: startReplay,
  DescribeReplay: describeReplay,
  ListReplays: listReplays,
};
