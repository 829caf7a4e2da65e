import { DEFAULT_BUS_NAME } from './model.js';

/** Where the emulated resources live: the partition of state that one region of one account owns. */
export interface Scope {
  readonly region: string;
  readonly accountId: string;
}

const prefix = ({ region, accountId }: Scope): string => `arn:aws:events:${region}:${accountId}`;

/** `arn:aws:events:<region>:<account>:event-bus/<name>` */
export const eventBusArn = (scope: Scope, name: string): string => `${prefix(scope)}:event-bus/${name}`;

/** `.../rule/<name>` on the default bus, `.../rule/<bus>/<name>` on any other, as AWS names them. */
export const ruleArn = (scope: Scope, busName: string, name: string): string =>
  busName === DEFAULT_BUS_NAME ? `${prefix(scope)}:rule/${name}` : `${prefix(scope)}:rule/${busName}/${name}`;

/** `arn:aws:events:<region>:<account>:archive/<name>` */
export const archiveArn = (scope: Scope, name: string): string => `${prefix(scope)}:archive/${name}`;

/** `arn:aws:events:<region>:<account>:replay/<name>` */
export const replayArn = (scope: Scope, name: string): string => `${prefix(scope)}:replay/${name}`;

/** The resource part (after `<account>:`) of an events ARN of this scope, or undefined for anything else. */
export const eventsResource = (scope: Scope, arn: string): string | undefined => {
  const own = `${prefix(scope)}:`;
  return arn.startsWith(own) ? arn.slice(own.length) : undefined;
};

/**
 * The bus name an `EventBusName` parameter designates: a plain name, or the ARN of a bus of this scope. An ARN of
 * another region or account yields undefined (the emulator holds no such bus).
 */
export const busNameOf = (scope: Scope, nameOrArn: string | undefined): string | undefined => {
  if (nameOrArn === undefined) return DEFAULT_BUS_NAME;
  if (!nameOrArn.startsWith('arn:')) return nameOrArn;
  const resource = eventsResource(scope, nameOrArn);
  return resource?.startsWith('event-bus/') ? resource.slice('event-bus/'.length) : undefined;
};

/** The parts of an SQS queue ARN (`arn:aws:sqs:<region>:<account>:<name>`), or undefined. */
export const parseSqsArn = (arn: string): { region: string; accountId: string; name: string } | undefined => {
  const match = /^arn:aws[\w-]*:sqs:([\w-]+):(\d{12}):([\w-]+(?:\.fifo)?)$/.exec(arn);
  if (match === null) return undefined;
  const [, region = '', accountId = '', name = ''] = match;
  return { region, accountId, name };
};

const EVENT_BUS_ARN = /^arn:aws[\w-]*:events:([\w-]+):(\d{12}):event-bus\/([/.\-_A-Za-z0-9]+)$/;

/** Whether an ARN names an event bus (a rule target that is another bus). */
export const isEventBusArn = (arn: string): boolean => EVENT_BUS_ARN.test(arn);

/** The parts of an event bus ARN, or undefined. */
export const parseEventBusArn = (arn: string): (Scope & { name: string }) | undefined => {
  const match = EVENT_BUS_ARN.exec(arn);
  if (match === null) return undefined;
  const [, region = '', accountId = '', name = ''] = match;
  return { region, accountId, name };
};
