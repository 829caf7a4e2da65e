import { type Action, compilePatternMember, defined } from './action-context';
import { archiveArn, eventsResource } from './arns';
import { AwsErrors, busNotFound } from './aws-errors';
import { optionalInteger, optionalString, paginate, requiredString, toEpochSeconds } from './input';
import type { ArchiveRecord } from './model';

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

/** ListArchives: by NamePrefix, EventSourceArn and State, paginated. */
const listArchives: Action = ({ input, store }) => {
  const prefix = optionalString(input, 'NamePrefix', { max: 48 }) ?? '';
  const source = optionalString(input, 'EventSourceArn', { max: 1600 });
  const state = optionalString(input, 'State');
  const archives = [...store.archives.values()]
    .filter((archive) => archive.name.startsWith(prefix))
    .filter((archive) => source === undefined || archive.eventSourceArn === source)
    .filter(() => state === undefined || state === 'ENABLED')
    .sort((a, b) => a.name.localeCompare(b.name));
  const { page, nextToken } = paginate(input, archives);
  return defined({ Archives: page.map(summary), NextToken: nextToken });
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
  DeleteArchive: deleteArchive,
};
