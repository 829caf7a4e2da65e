import { type Action, defined } from './action-context.js';
import { eventBusArn } from './arns.js';
import { AwsErrors } from './aws-errors.js';
import {
  BUS_NAME_RULE,
  BUS_REFERENCE_RULE,
  optionalString,
  paginate,
  requiredString,
  toEpochSeconds,
} from './input.js';
import { DEFAULT_BUS_NAME, type EventBusRecord } from './model.js';
import { policyDocument } from './permission-actions.js';
import { readTags } from './tag-actions.js';

const describeBus = (bus: EventBusRecord) =>
  defined({
    Name: bus.name,
    Arn: bus.arn,
    Description: bus.description,
    Policy: policyDocument(bus),
    CreationTime: toEpochSeconds(bus.creationTime),
    LastModifiedTime: toEpochSeconds(bus.lastModifiedTime),
  });

/** CreateEventBus: a custom bus (partner buses are not emulated). */
const createEventBus: Action = ({ input, scope, store, now }) => {
  const name = requiredString(input, 'Name', BUS_NAME_RULE);
  const description = optionalString(input, 'Description', { max: 512 });
  if (optionalString(input, 'EventSourceName') !== undefined) {
    throw AwsErrors.validation('Partner event sources are not supported by the local cloud.');
  }
  if (store.findBus(name) !== undefined) throw AwsErrors.alreadyExists(`Event bus ${name} already exists.`);
  const bus: EventBusRecord = {
    name,
    arn: eventBusArn(scope, name),
    ...(description === undefined ? {} : { description }),
    creationTime: now,
    lastModifiedTime: now,
    tags: new Map(readTags(input)),
    policy: new Map(),
  };
  store.addBus(bus);
  return defined({ EventBusArn: bus.arn, Description: description });
};

/** DescribeEventBus: by name or ARN; the default bus when no name is given. */
const describeEventBus: Action = ({ input, store }) =>
  describeBus(store.bus(optionalString(input, 'Name', BUS_REFERENCE_RULE)));

/** ListEventBuses: by NamePrefix, paginated. */
const listEventBuses: Action = ({ input, store }) => {
  const prefix = optionalString(input, 'NamePrefix', BUS_NAME_RULE) ?? '';
  const { page, nextToken } = paginate(
    input,
    store.listBuses().filter((bus) => bus.name.startsWith(prefix)),
  );
  return defined({ EventBuses: page.map(describeBus), NextToken: nextToken });
};

/** DeleteEventBus: never the default bus; its rules and their targets go with it; absent buses are fine. */
const deleteEventBus: Action = ({ input, store }) => {
  const name = requiredString(input, 'Name', BUS_NAME_RULE);
  if (name === DEFAULT_BUS_NAME) throw AwsErrors.validation('Cannot delete event bus default.');
  store.deleteBus(name);
  return {};
};

/** The event bus actions by name. */
export const busActions: Readonly<Record<string, Action>> = {
  CreateEventBus: createEventBus,
  DescribeEventBus: describeEventBus,
  ListEventBuses: listEventBuses,
  DeleteEventBus: deleteEventBus,
};
