import { type Action, compilePatternMember, defined } from './action-context.js';
import { archiveArn, eventsResource } from './arns.js';
import { AwsErrors, busNotFound } from './aws-errors.js';
import {
  type Input,
  optionalInteger,
  optionalString,
  paginate,
  requiredString,
  toEpochSeconds,
} from './input.js';
import { ARCHIVE_STATES, type ArchiveRecord } from './model.js';

/** Archive names: `[\.\-_A-Za-z0-9]+`, up to 48 characters. */
export const ARCHIVE_NAME_RULE = { min: 1, max: 48, pattern: /^[.\-_A-Za-z0-9]+$/ } as const;

const summary = (archive: ArchiveRecord) => ({
  ArchiveName: archive.name,
  EventSourceArn: archive.eventSourceArn,
  State: 'ENABLED',
  RetentionDays: archive.retentionDays,
  SizeBytes: archive.sizeBytes,
  EventCount: archive.events.length,
  CreationTime: toEpochSeconds(archive.creationTime),
});

/** CreateArchive: keeps, from now on, the events of a bus that match its optional pattern. */
const createArchive: Action = ({ input, scope, store, now }) => {
  const name = requiredString(input, 'ArchiveName', ARCHIVE_NAME_RULE);
  const eventSourceArn = requiredString(input, 'EventSourceArn', { min: 1, max: 1600 });
  const description = optionalString(input, 'Description', { max: 512 });
  const patternText = optionalString(input, 'EventPattern');
  const retentionDays = optionalInteger(input, 'RetentionDays', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const resource = eventsResource(scope, eventSourceArn);
  const busName = resource?.startsWith('event-bus/') ? resource.slice('event-bus/'.length) : undefined;
  if (busName === undefined || store.findBus(busName) === undefined)
    throw busNotFound(busName ?? eventSourceArn);
  const eventPattern = patternText === undefined ? undefined : compilePatternMember(patternText);
  if (store.archives.has(name)) throw AwsErrors.alreadyExists(`Archive ${name} already exists.`);
  const archive: ArchiveRecord = {
    name,
    arn: archiveArn(scope, name),
    busName,
    eventSourceArn,
    ...(description === undefined ? {} : { description }),
    ...(eventPattern === undefined ? {} : { eventPattern }),
    retentionDays,
    creationTime: now,
    events: [],
    sizeBytes: 0,
    droppedEvents: 0,
  };
  store.archives.set(name, archive);
  return { ArchiveArn: archive.arn, State: 'ENABLED', CreationTime: toEpochSeconds(now) };
};

/** DescribeArchive. */
const describeArchive: Action = ({ input, store }) => {
  const archive = store.archive(requiredString(input, 'ArchiveName', ARCHIVE_NAME_RULE));
  return defined({
    ArchiveArn: archive.arn,
    ...summary(archive),
    Description: archive.description,
    EventPattern: archive.eventPattern?.text,
  });
};

/** A State filter must be one of AWS's enum values (a constraint error otherwise). */
export const enumFilter = (input: Input, values: readonly string[]): string | undefined => {
  const state = optionalString(input, 'State');
  if (state !== undefined && !values.includes(state)) {
    throw AwsErrors.constraint(
      `Value '${state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`,
    );
  }
  return state;
};

/** ListArchives and ListReplays take at most one of their three filters. */
export const singleFilter = (input: Input, action: string): void => {
  const given = ['NamePrefix', 'EventSourceArn', 'State'].filter(
    (name) => input[name] !== undefined && input[name] !== null,
  );
  if (given.length > 1) {
    throw AwsErrors.validation(
      `At most one filter is allowed for ${action}. Use either : State, EventSourceArn, or NamePrefix.`,
    );
  }
};

/** ListArchives: by NamePrefix, EventSourceArn (a bus that must exist) or State, paginated. */
const listArchives: Action = ({ input, scope, store }) => {
  singleFilter(input, 'ListArchives');
  const prefix = optionalString(input, 'NamePrefix', { max: 48 }) ?? '';
  const source = optionalString(input, 'EventSourceArn', { max: 1600 });
  const state = enumFilter(input, ARCHIVE_STATES);
  if (source !== undefined) {
    const resource = eventsResource(scope, source);
    const busName = resource?.startsWith('event-bus/') ? resource.slice('event-bus/'.length) : undefined;
    if (busName === undefined || store.findBus(busName) === undefined) throw busNotFound(busName ?? source);
  }
  const archives = [...store.archives.values()]
    .filter((archive) => archive.name.startsWith(prefix))
    .filter((archive) => source === undefined || archive.eventSourceArn === source)
    .filter(() => state === undefined || state === 'ENABLED')
    .sort((a, b) => a.name.localeCompare(b.name));
  const { page, nextToken } = paginate(input, archives);
  return defined({ Archives: page.map(summary), NextToken: nextToken });
};

/**
 * UpdateArchive: changes the description, pattern or retention of an archive (at least one of them; the pattern
 * applies to events archived from now on). Answers the archive's ARN, creation time and state.
 */
const updateArchive: Action = ({ input, store }) => {
  const name = requiredString(input, 'ArchiveName', ARCHIVE_NAME_RULE);
  const description = optionalString(input, 'Description', { max: 512 });
  const patternText = optionalString(input, 'EventPattern');
  const retentionDays = optionalInteger(input, 'RetentionDays', 0, Number.MAX_SAFE_INTEGER);
  if (description === undefined && patternText === undefined && retentionDays === undefined) {
    throw AwsErrors.validation(
      'At least one of EventPattern, RetentionDays or Description must be provided.',
    );
  }
  const eventPattern = patternText === undefined ? undefined : compilePatternMember(patternText);
  const archive = store.archive(name);
  if (description !== undefined) archive.description = description;
  if (eventPattern !== undefined) archive.eventPattern = eventPattern;
  if (retentionDays !== undefined) archive.retentionDays = retentionDays;
  return { ArchiveArn: archive.arn, State: 'ENABLED', CreationTime: toEpochSeconds(archive.creationTime) };
};

/** DeleteArchive: the archive and the events it kept. */
const deleteArchive: Action = ({ input, store }) => {
  const archive = store.archive(requiredString(input, 'ArchiveName', ARCHIVE_NAME_RULE));
  store.archives.delete(archive.name);
  return {};
};

/** The archive actions by name. */
export const archiveActions: Readonly<Record<string, Action>> = {
  CreateArchive: createArchive,
  DescribeArchive: describeArchive,
  ListArchives: listArchives,
  UpdateArchive: updateArchive,
  DeleteArchive: deleteArchive,
};
