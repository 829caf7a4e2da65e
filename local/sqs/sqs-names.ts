import { AwsServiceError } from '../support/aws-protocol';

/**
 * Queue names, ARNs and URLs as the local cloud hands them out, and the AWS-shaped SQS errors of our extension.
 * Queue URLs given to clients always point at the edge (`http://<host the client used>/<account>/<name>`): the
 * SQS SDK sends each call to the origin of its QueueUrl when the endpoint comes from `AWS_ENDPOINT_URL`, so a URL
 * naming fauxqs's internal port or an unresolvable host would bypass or break the edge.
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

/** The last path segment of a queue URL: its name. */
export const queueNameFromUrl = (queueUrl: string): string => {
  const path = queueUrl.replace(/^[a-z]+:\/\/[^/]*/i, '').replace(/\/+$/, '');
  return path.slice(path.lastIndexOf('/') + 1);
};

/** The same queue URL, on the given `host[:port]` (the Host header the client sent to the edge). */
export const publicQueueUrl = (queueUrl: string, host: string): string => {
  const path = queueUrl.replace(/^[a-z]+:\/\/[^/]*/i, '');
  return `http://${host}${path.startsWith('/') ? path : `/${path}`}`;
};

/** Rewrites the queue URLs of an SQS output (`QueueUrl`, `QueueUrls`, `queueUrls`) to point at `host`. */
export const rewriteQueueUrls = (output: Record<string, unknown>, host: string): Record<string, unknown> => {
  const result = { ...output };
  if (typeof result.QueueUrl === 'string') result.QueueUrl = publicQueueUrl(result.QueueUrl, host);
  for (const key of ['QueueUrls', 'queueUrls'] as const) {
    const urls = result[key];
    if (Array.isArray(urls)) {
      result[key] = urls.map((url) => (typeof url === 'string' ? publicQueueUrl(url, host) : url));
    }
  }
  return result;
};

/** The SQS actions whose output carries queue URLs. */
export const QUEUE_URL_ACTIONS: ReadonlySet<string> = new Set([
  'CreateQueue',
  'GetQueueUrl',
  'ListQueues',
  'ListDeadLetterSourceQueues',
]);

/**
 * An SQS error as AWS sends it in the JSON protocol (`__type: com.amazonaws.sqs#<code>`), carrying the query
 * protocol's code too (`x-amzn-query-error`), which SDKs use for compatibility and which query clients receive.
 */
export class SqsServiceError extends AwsServiceError {
  public readonly queryCode: string;
  public readonly senderFault: boolean;

  public constructor(
    code: string,
    message: string,
    {
      status = 400,
      queryCode = code,
      senderFault = true,
    }: { status?: number; queryCode?: string; senderFault?: boolean } = {},
  ) {
    super(`com.amazonaws.sqs#${code}`, message, status);
    this.name = 'SqsServiceError';
    this.queryCode = queryCode;
    this.senderFault = senderFault;
  }

  /** The value of the `x-amzn-query-error` header. */
  public get queryErrorHeader(): string {
    return `${this.queryCode};${this.senderFault ? 'Sender' : 'Receiver'}`;
  }
}

/** Errors of the SQS API that the extension answers, with AWS's codes, statuses and messages. */
export const SqsErrors = {
  invalidParameter: (message: string) => new SqsServiceError('InvalidParameterValue', message),
  missingParameter: (name: string) =>
    new SqsServiceError('MissingParameter', `The request must contain the parameter ${name}.`),
  resourceNotFound: (message: string) =>
    new SqsServiceError('ResourceNotFoundException', message, { status: 404 }),
  queueDoesNotExist: () =>
    new SqsServiceError('QueueDoesNotExist', 'The specified queue does not exist.', {
      queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
    }),
} as const;
