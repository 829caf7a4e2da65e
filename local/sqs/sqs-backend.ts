import type { OutgoingHttpHeaders } from 'node:http';
import type { EdgeBackend, EdgeExchange } from '../edge/backends';
import { serveJsonService } from '../edge/backends';
import { send, sendXmlError } from '../edge/http-io';
import { AwsServiceError, LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../support/aws-protocol';
import { isRecord } from '../support/json-input';
import { decodeQueryInput, queryParams, queryResponseXml } from '../support/query-protocol';
import type { FauxqsReply, FauxqsServer } from './fauxqs-server';
import { SQS_QUERY_OPERATIONS, SQS_XML_NAMESPACE } from './query-shapes';
import type { SqsExtension } from './sqs-extension';
import { QUEUE_URL_ACTIONS, rewriteQueueUrls, SqsServiceError } from './sqs-names';

/**
 * The edge's SQS backend. JSON-protocol requests for the extension's actions are answered by the extension;
 * requests whose answers carry queue URLs are answered by fauxqs and rewritten to point at the edge; everything
 * else (the hot path: send, receive, delete) is dispatched into fauxqs in process, unparsed and unbuffered.
 * Query-protocol requests (older AWS CLIs) are translated to the JSON protocol and their answers back to XML.
 */

const JSON_10 = 'application/x-amz-json-1.0';

const hostOf = (exchange: EdgeExchange, fallback: string): string => exchange.req.headers.host ?? fallback;

const forwardReply = (exchange: EdgeExchange, reply: FauxqsReply, body: string = reply.body): void => {
  const headers: OutgoingHttpHeaders = {};
  for (const name of ['content-type', 'x-amzn-query-error', 'x-amzn-requestid']) {
    const value = reply.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  send(exchange.res, reply.status, body, headers);
};

const parseJson = (text: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
};

/** Options of {@link sqsBackend}. */
export interface SqsBackendOptions {
  readonly fauxqs: FauxqsServer;
  readonly extension: SqsExtension;
  /** `host:port` of the edge, for queue URLs when a request has no Host header. */
  readonly edgeHost: string;
  readonly log?: (message: string) => void;
}

/** Creates the SQS backend of the edge (target prefix `AmazonSQS`, signing name `sqs`). */
export const sqsBackend = ({ fauxqs, extension, edgeHost, log }: SqsBackendOptions): EdgeBackend => {
  const callFauxqs = (exchange: EdgeExchange, action: string, body: string | Buffer) =>
    fauxqs.call({
      headers: {
        'content-type': JSON_10,
        'x-amz-target': `AmazonSQS.${action}`,
        host: hostOf(exchange, edgeHost),
        ...(exchange.req.headers.authorization === undefined
          ? {}
          : { authorization: exchange.req.headers.authorization }),
      },
      body,
    });

  const serveJson = async (exchange: EdgeExchange): Promise<void> => {
    const action = exchange.route.action ?? '';
    if (extension.actions.has(action)) {
      const host = hostOf(exchange, edgeHost);
      await serveJsonService(exchange, extension, {
        log,
        transform: (output) => (isRecord(output) ? rewriteQueueUrls(output, host) : output),
      });
      return;
    }
    if (!QUEUE_URL_ACTIONS.has(action) && !exchange.bodyRead) {
      fauxqs.dispatch(exchange.req, exchange.res);
      return;
    }
    const reply = await callFauxqs(exchange, action, await exchange.body());
    const output = reply.status < 300 && QUEUE_URL_ACTIONS.has(action) ? parseJson(reply.body) : undefined;
    forwardReply(
      exchange,
      reply,
      output === undefined
        ? reply.body
        : JSON.stringify(rewriteQueueUrls(output, hostOf(exchange, edgeHost))),
    );
  };

  /** Runs one action for a query-protocol request and returns its JSON output, or throws an SqsServiceError. */
  const runAction = async (exchange: EdgeExchange, action: string, input: Record<string, unknown>) => {
    if (extension.actions.has(action)) {
      const { body } = await extension.handle({
        action,
        input,
        region: exchange.route.region ?? LOCAL_REGION,
        accountId: LOCAL_ACCOUNT_ID,
      });
      return isRecord(body) ? body : {};
    }
    const reply = await callFauxqs(exchange, action, JSON.stringify(input));
    const output = parseJson(reply.body) ?? {};
    if (reply.status >= 300) {
      const header = reply.headers['x-amzn-query-error'];
      const [queryCode, fault] = (typeof header === 'string' ? header : '').split(';');
      const type = typeof output.__type === 'string' ? output.__type : 'InternalFailure';
      const code = type.slice(type.indexOf('#') + 1);
      const message = typeof output.message === 'string' ? output.message : 'The request failed';
      throw new SqsServiceError(code, message, {
        status: reply.status,
        queryCode: queryCode || code,
        senderFault: fault !== 'Receiver',
      });
    }
    return output;
  };

  const serveQuery = async (exchange: EdgeExchange): Promise<void> => {
    const { req, res, requestId } = exchange;
    const params = queryParams(req.url, (await exchange.body()).toString('utf8'));
    const action = params.get('Action') ?? '';
    const operation = Object.hasOwn(SQS_QUERY_OPERATIONS, action) ? SQS_QUERY_OPERATIONS[action] : undefined;
    try {
      if (operation === undefined)
        throw new SqsServiceError(
          'InvalidAction',
          `The action ${action || '(none)'} is not valid for this endpoint.`,
        );
      const input = decodeQueryInput(operation.input, params);
      // Old clients address the queue by the request path instead of a QueueUrl parameter.
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (input.QueueUrl === undefined && /^\/\d{12}\/[^/]+$/.test(path))
        input.QueueUrl = `http://${hostOf(exchange, edgeHost)}${path}`;
      const output = await runAction(exchange, action, input);
      const value = QUEUE_URL_ACTIONS.has(action)
        ? rewriteQueueUrls(output, hostOf(exchange, edgeHost))
        : output;
      const xml = queryResponseXml({
        action,
        xmlNamespace: SQS_XML_NAMESPACE,
        requestId,
        output: operation.output,
        value,
      });
      send(res, 200, xml, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
    } catch (error) {
      if (!(error instanceof AwsServiceError)) throw error;
      const sqsError = error instanceof SqsServiceError ? error : undefined;
      sendXmlError(res, error.status, {
        code: sqsError?.queryCode ?? error.type,
        message: error.message,
        requestId,
        xmlNamespace: SQS_XML_NAMESPACE,
        senderFault: sqsError?.senderFault ?? error.status < 500,
      });
    }
  };

  return {
    name: 'sqs',
    kind: 'in-process',
    targetPrefixes: ['AmazonSQS'],
    signingNames: ['sqs'],
    queryActions: new Set(Object.keys(SQS_QUERY_OPERATIONS)),
    upstream: fauxqs.endpoint,
    handle: (exchange) => (exchange.route.protocol === 'json' ? serveJson(exchange) : serveQuery(exchange)),
  };
};

/** fauxqs also answers SNS and STS's GetCallerIdentity: routed to it as they come. */
export const fauxqsPassThroughBackend = (fauxqs: FauxqsServer): EdgeBackend => ({
  name: 'sns',
  kind: 'in-process',
  targetPrefixes: [],
  signingNames: ['sns', 'sts'],
  queryActions: new Set([
    'Publish',
    'PublishBatch',
    'CreateTopic',
    'Subscribe',
    'ListTopics',
    'GetCallerIdentity',
  ]),
  upstream: fauxqs.endpoint,
  handle: async (exchange) => {
    if (!exchange.bodyRead) {
      fauxqs.dispatch(exchange.req, exchange.res);
      return;
    }
    const reply = await fauxqs.call({ headers: exchange.req.headers, body: await exchange.body() });
    forwardReply(exchange, reply);
  },
});
