import { AwsServiceError } from '../support/aws-protocol.js';
import { type Action, type ActionContext, defined } from './action-context.js';
import { enumFilter, singleFilter } from './archive-actions.js';
import { eventsResource, replayArn } from './arns.js';
import { AwsErrors } from './aws-errors.js';
import {
  NAME_RULE,
  optionalString,
  paginate,
  requiredObject,
  requiredString,
  requiredTimestamp,
  toEpochSeconds,
} from './input.js';
import { type EventBridgeEvent, REPLAY_STATES, type ReplayRecord } from './model.js';
import { routeEvent } from './router.js';

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

/** AWS runs at most this many replays (STARTING or RUNNING) at once per account and region. */
export const MAX_ACTIVE_REPLAYS = 10;

const isActive = (replay: ReplayRecord): boolean => replay.state === 'STARTING' || replay.state === 'RUNNING';

/** Read through a function: CancelReplay changes the state while the replay runs. */
const isCancelling = (replay: ReplayRecord): boolean => replay.state === 'CANCELLING';

/** An archived event as a replay re-puts it: `replay-name` set, in the position AWS writes it (before resources). */
const replayed = (event: EventBridgeEvent, replayName: string): EventBridgeEvent => {
  const { resources, detail, ...head } = event;
  return { ...head, 'replay-name': replayName, resources, detail };
};

/**
 * Re-puts the archived events whose time falls in [EventStartTime, EventEndTime], oldest first, onto the archive's
 * bus with `replay-name` set, to every rule or only to the FilterArns rules. Replayed events are not archived again.
 * A replay cancelled meanwhile stops between events and ends CANCELLED.
 */
const runReplay = async (context: ActionContext, replay: ReplayRecord): Promise<void> => {
  const started = await context.sleep(context.replayStartDelayMs);
  if (isCancelling(replay) || !started) {
    replay.state = 'CANCELLED';
    return;
  }
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
    if (isCancelling(replay)) break;
    routeEvent(
      { ...context.routing, now: context.clock() },
      archive.busName,
      replayed(event, replay.name),
      only === undefined ? {} : { onlyRuleArns: only },
    );
    context.routing.metrics.replayedEvents += 1;
    replay.eventLastReplayedTime = eventTime;
  }
  replay.state = isCancelling(replay) ? 'CANCELLED' : 'COMPLETED';
  replay.replayEndTime = context.clock();
};

/**
 * StartReplay: only back onto the archive's own bus (as AWS); runs after the response, in the background, staying
 * STARTING for `replayStartDelayMs`. Errors as AWS answers them: an unknown archive is a ValidationException on
 * EventSourceArn, an unknown destination bus a ResourceNotFoundException, an eleventh active replay
 * LimitExceededException.
 */
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
  const archiveName = resource.slice('archive/'.length);
  const archive = store.archives.get(archiveName);
  if (archive === undefined) {
    throw AwsErrors.validation(
      `Parameter EventSourceArn is not valid. Reason: Archive ${archiveName} does not exist.`,
    );
  }
  const destinationBus = eventsResource(scope, destinationArn);
  if (!destinationBus?.startsWith('event-bus/')) {
    throw AwsErrors.validation(
      'Parameter Destination.Arn is not valid. Reason: Must contain an event bus ARN.',
    );
  }
  store.bus(destinationArn);
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
      'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.',
    );
  }
  if (store.replays.has(name)) throw AwsErrors.alreadyExists(`Replay ${name} already exists.`);
  if ([...store.replays.values()].filter(isActive).length >= MAX_ACTIVE_REPLAYS) {
    throw AwsErrors.limitExceeded('The requested resource exceeds the maximum number allowed.');
  }
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

/** CancelReplay: a STARTING or RUNNING replay becomes CANCELLING, then CANCELLED; any other state is refused. */
const cancelReplay: Action = ({ input, store }) => {
  const replay = store.replay(requiredString(input, 'ReplayName', NAME_RULE));
  if (!isActive(replay)) {
    throw new AwsServiceError(
      'IllegalStatusException',
      `Replay ${replay.name} is not in a valid state for this operation.`,
    );
  }
  replay.state = 'CANCELLING';
  return { ReplayArn: replay.arn, State: replay.state };
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

/** ListReplays: by NamePrefix, EventSourceArn or State, paginated. */
const listReplays: Action = ({ input, store }) => {
  singleFilter(input, 'ListReplays');
  const prefix = optionalString(input, 'NamePrefix', { max: 64 }) ?? '';
  const source = optionalString(input, 'EventSourceArn', { max: 1600 });
  const state = enumFilter(input, REPLAY_STATES);
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
  CancelReplay: cancelReplay,
  DescribeReplay: describeReplay,
  ListReplays: listReplays,
};
