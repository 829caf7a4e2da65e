/**
 * Queue names, ARNs and URLs as the local SQS engine hands them out and reads them back. Queue URLs point at the
 * host the client called (the edge, usually): the SQS SDK sends each call to the origin of its QueueUrl when its
 * endpoint comes from `AWS_ENDPOINT_URL`, so a URL naming an internal port would bypass the edge. URLs are path
 * style, `http://<host>/<account>/<name>` in the engine's default region and
 * `http://<host>/queue/<region>/<account>/<name>` in any other, so one endpoint serves every region.
 */

/** A queue ARN's parts. */
export interface QueueArnParts {
  readonly region: string;
  readonly accountId: string;
  readonly name: string;
}

const QUEUE_ARN = /^arn:aws[a-z-]*:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/;

/** Parses `arn:aws:sqs:<region>:<account>:<name>`; undefined when it is not a queue ARN. */
export const parseQueueArn = (arn: string): QueueArnParts | undefined => {
  const match = QUEUE_ARN.exec(arn);
  if (match === null) return undefined;
  const [, region = '', accountId = '', name = ''] = match;
  return { region, accountId, name };
};

export const queueArn = (region: string, accountId: string, name: string): string =>
  `arn:aws:sqs:${region}:${accountId}:${name}`;

/** Queue names: 1–80 alphanumerics, hyphens and underscores, the `.fifo` suffix included. */
export const isValidQueueName = (name: string, fifo: boolean): boolean => {
  const base = fifo ? name.slice(0, -'.fifo'.length) : name;
  return /^[A-Za-z0-9_-]+$/.test(base) && name.length <= 80 && (!fifo || name.endsWith('.fifo'));
};

/** The URL of a queue, on the host the client used. */
export const queueUrl = (
  host: string,
  { region, accountId, name }: QueueArnParts,
  defaultRegion: string,
): string =>
  region === defaultRegion
    ? `http://${host}/${accountId}/${name}`
    : `http://${host}/queue/${region}/${accountId}/${name}`;

/** What a QueueUrl parameter names: a region when the URL says one, an account when it has one, and a name. */
export interface QueueLocation {
  readonly region: string | undefined;
  readonly accountId: string | undefined;
  readonly name: string;
  /** A URL (no region in it means the default region) rather than a bare name (the caller's region). */
  readonly url: boolean;
}

const QUEUE_PATH = /^\/(?:queue\/([a-z0-9-]+)\/)?(\d{12})\/([^/]+)\/?$/;
const REGION_IN_HOST = /^(?:sqs\.([a-z0-9-]+)\.|([a-z0-9-]+)\.queue\.)/;

/** The path of a queue URL (`/<account>/<name>` or `/queue/<region>/<account>/<name>`), if it is one. */
export const parseQueuePath = (path: string): QueueLocation | undefined => {
  const match = QUEUE_PATH.exec(path);
  if (match === null) return undefined;
  const [, region, accountId, name = ''] = match;
  return { region, accountId, name, url: true };
};

/**
 * Reads a QueueUrl parameter. SQS also takes a bare queue name there (in the caller's region); a URL without a
 * region in its path or host names the default region, as the URLs we hand out do.
 */
export const parseQueueUrl = (value: string): QueueLocation | undefined => {
  if (!value.includes('/')) return { region: undefined, accountId: undefined, name: value, url: false };
  const match = /^[a-z]+:\/\/([^/]*)(\/.*)$/i.exec(value);
  if (match === null) return undefined;
  const [, host = '', path = ''] = match;
  const location = parseQueuePath(path);
  if (location === undefined) return undefined;
  const fromHost = REGION_IN_HOST.exec(host);
  return { ...location, region: location.region ?? fromHost?.[1] ?? fromHost?.[2] };
};
