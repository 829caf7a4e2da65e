import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from '../support/http-io.js';
import { decodeQueryInput, queryErrorXml, queryParams, queryResponseXml } from '../support/query-protocol.js';
import { credentialScope } from '../support/sigv4-scope.js';
import { SqsErrors, SqsServiceError } from './errors.js';
import { isSqsAction } from './input.js';
import { SQS_QUERY_OPERATIONS, SQS_XML_NAMESPACE } from './query-shapes.js';
import { parseQueuePath } from './sqs-names.js';
import type { SqsRequestContext } from './store.js';

/**
 * SQS over HTTP, both protocols AWS SQS speaks:
 * - the JSON protocol of current SDKs and CLIs (`X-Amz-Target: AmazonSQS.<Action>`, awsJson 1.0); errors carry
 *   `__type` and the query-compatible `x-amzn-query-error: <code>;Sender` header that SDKs name errors after;
 * - the query protocol of older SDKs (form-encoded `Action=…`, by POST or GET, on `/` or on a queue's URL, which
 *   then stands for QueueUrl), answered in XML, or in the legacy JSON form when the client accepts only JSON.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-json-api-responses.html
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-making-api-requests-xml.html
 */

/** Runs one action: JSON-protocol members in, the action's output out; throws SqsServiceError. */
export type ActionRunner = (action: string, input: unknown, request: SqsRequestContext) => Promise<unknown>;

/** Options of one served request. */
export interface SqsHttpOptions {
  readonly requestId: string;
  /** The request's region when the caller knows it already (the edge does), else read from its signature. */
  readonly region?: string | undefined;
  readonly defaultRegion: string;
  /** `host:port` for queue URLs when the request has no Host header. */
  readonly defaultHost: string;
  /** Where unexpected failures are reported. */
  readonly log?: ((message: string) => void) | undefined;
}

const JSON_10 = 'application/x-amz-json-1.0';

/** A complete answer; nothing when the client has gone away (a late answer to a long poll). */
const write = (res: ServerResponse, status: number, body: string, headers: Record<string, string>): void => {
  if (res.headersSent || res.destroyed) return;
  send(res, status, body, headers);
};

/** JSON text of an output; blobs (binary message attributes) as base64, as the JSON protocol writes them. */
const jsonText = (value: unknown): string =>
  JSON.stringify(value, function (this: Record<string, unknown>, key, item: unknown) {
    const raw = this[key];
    return raw instanceof Uint8Array ? Buffer.from(raw).toString('base64') : item;
  });

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const contextOf = (
  req: IncomingMessage,
  protocol: 'json' | 'query',
  signal: AbortSignal,
  options: SqsHttpOptions,
): SqsRequestContext => ({
  region: options.region ?? credentialScope(req)?.region ?? options.defaultRegion,
  host: header(req, 'host') ?? options.defaultHost,
  protocol,
  traceHeader: header(req, 'x-amzn-trace-id'),
  signal,
});

/** An abort signal that fires when the client goes away before its answer (a long poll then takes nothing). */
const clientGone = (res: ServerResponse): AbortSignal => {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
};

const unexpected = (error: unknown, action: string, options: SqsHttpOptions): SqsServiceError => {
  options.log?.(
    `AmazonSQS.${action} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return new SqsServiceError('InternalFailure', 'The local SQS engine failed to process the request', {
    status: 500,
    senderFault: false,
    code: 'InternalFailure',
  });
};

const serveJson = async (
  run: ActionRunner,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  options: SqsHttpOptions,
): Promise<void> => {
  const target = header(req, 'x-amz-target') ?? '';
  const action = target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : '';
  const requested = header(req, 'content-type') ?? '';
  const contentType = requested.startsWith('application/x-amz-json-')
    ? (requested.split(';')[0] ?? JSON_10)
    : JSON_10;
  const headers = { 'content-type': contentType, 'x-amzn-requestid': options.requestId };
  try {
    if (!isSqsAction(action)) throw SqsErrors.unknownOperation(action || target);
    const text = body.toString('utf8');
    let input: unknown = {};
    if (text.trim() !== '') {
      try {
        input = JSON.parse(text);
      } catch {
        throw SqsErrors.serialization(
          'Start of structure or map found where not expected: the body is not valid JSON',
        );
      }
    }
    const output = await run(action, input, contextOf(req, 'json', clientGone(res), options));
    write(res, 200, jsonText(output ?? {}), headers);
  } catch (caught) {
    const error = caught instanceof SqsServiceError ? caught : unexpected(caught, action, options);
    write(res, error.status, JSON.stringify({ __type: error.type, message: error.message }), {
      ...headers,
      'x-amzn-query-error': error.queryErrorHeader,
    });
  }
};

/** Actions that address no queue, so a queue's URL is not their endpoint. */
const NOT_ON_QUEUE_URL = new Set(['CreateQueue', 'ListQueues']);

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** The legacy JSON form of a query answer, for clients that accept only JSON. */
const queryJson = (action: string, requestId: string, output: Record<string, unknown>): string =>
  jsonText({
    [`${action}Response`]: {
      [`${action}Result`]: Object.fromEntries(
        Object.entries(output).map(([key, value]) => [lowerFirst(key), value]),
      ),
      ResponseMetadata: { RequestId: requestId },
    },
  });

const serveQuery = async (
  run: ActionRunner,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  options: SqsHttpOptions,
): Promise<void> => {
  const { requestId } = options;
  const params = queryParams(req.url, body.toString('utf8'));
  const action = params.get('Action') ?? '';
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const queuePath = parseQueuePath(path);
  const wantsJson = (header(req, 'accept') ?? '').includes('application/json') && req.method === 'GET';
  if (action === '') {
    write(res, 404, '<UnknownOperationException/>', {
      'content-type': 'text/xml',
      'x-amzn-requestid': requestId,
    });
    return;
  }
  const context = contextOf(req, 'query', clientGone(res), options);
  try {
    const operation = Object.hasOwn(SQS_QUERY_OPERATIONS, action) ? SQS_QUERY_OPERATIONS[action] : undefined;
    if (
      operation === undefined ||
      !isSqsAction(action) ||
      (queuePath !== undefined && NOT_ON_QUEUE_URL.has(action))
    ) {
      throw SqsErrors.invalidAction(action);
    }
    const input = decodeQueryInput(operation.input, params);
    if (input.QueueUrl === undefined && queuePath !== undefined)
      input.QueueUrl = `http://${context.host}${path}`;
    const output = ((await run(action, input, context)) ?? {}) as Record<string, unknown>;
    if (wantsJson) {
      write(res, 200, queryJson(action, requestId, output), {
        'content-type': 'application/json',
        'x-amzn-requestid': requestId,
      });
      return;
    }
    const xml = queryResponseXml({
      action,
      xmlNamespace: SQS_XML_NAMESPACE,
      requestId,
      ...(operation.output === undefined ? {} : { output: operation.output }),
      value: output,
    });
    write(res, 200, xml, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  } catch (caught) {
    const error = caught instanceof SqsServiceError ? caught : unexpected(caught, action, options);
    if (wantsJson) {
      const errorBody = {
        Error: {
          Type: error.senderFault ? 'Sender' : 'Receiver',
          Code: error.code,
          Message: error.queryMessage,
        },
        RequestId: requestId,
      };
      write(res, error.status, JSON.stringify(errorBody), {
        'content-type': 'application/json',
        'x-amzn-requestid': requestId,
      });
      return;
    }
    const xml = queryErrorXml({
      xmlNamespace: SQS_XML_NAMESPACE,
      requestId,
      code: error.code,
      message: error.queryMessage,
      senderFault: error.senderFault,
    });
    write(res, error.status, xml, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  }
};

/** Serves one SQS request whose body has been read, in whichever protocol it speaks. */
export const serveSqsHttp = (
  run: ActionRunner,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  options: SqsHttpOptions,
): Promise<void> =>
  header(req, 'x-amz-target') === undefined
    ? serveQuery(run, req, res, body, options)
    : serveJson(run, req, res, body, options);
