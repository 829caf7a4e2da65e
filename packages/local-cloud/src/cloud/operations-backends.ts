import type { LocalCloudWatch } from '../cloudwatch/index.js';
import { CLOUDWATCH_QUERY_OPERATIONS } from '../cloudwatch/query-shapes.js';
import { type EdgeBackend, type EdgeExchange, inProcessBackend, serveJsonService } from '../edge/backends.js';
import type { LocalSns } from '../sns/index.js';
import { AwsServiceError } from '../support/aws-protocol.js';
import { clientWentAway, send, sendXmlError } from '../support/http-io.js';
import { decodeQueryInput, queryParams, queryResponseXml } from '../support/query-protocol.js';

const CLOUDWATCH_NAMESPACE = 'http://monitoring.amazonaws.com/doc/2010-08-01/';

/** Dates become ISO 8601 text, as the query protocol writes timestamps. */
const toQueryProtocol = (value: unknown): unknown => {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toQueryProtocol);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toQueryProtocol(inner)]));
  return value;
};

/** The query code of an error (`x-amzn-query-error`'s first part when the service sets one). */
const queryCode = (error: AwsServiceError): string => {
  const header = (error as AwsServiceError & { queryErrorHeader?: unknown }).queryErrorHeader;
  return typeof header === 'string' ? (header.split(';')[0] ?? error.type) : error.type;
};

const serveQuery = async (
  exchange: EdgeExchange,
  xmlNamespace: string,
  run: (
    action: string,
    params: Map<string, string>,
  ) => Promise<string | { output?: unknown; value: Record<string, unknown> }>,
  log?: (message: string) => void,
): Promise<void> => {
  const { req, res, requestId } = exchange;
  const params = queryParams(req.url, (await exchange.body()).toString('utf8'));
  const action = params.get('Action') ?? '';
  try {
    const result = await run(action, params);
    const body =
      typeof result === 'string'
        ? `<?xml version="1.0"?><${action}Response xmlns="${xmlNamespace}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
        : queryResponseXml({
            action,
            xmlNamespace,
            requestId,
            ...(result.output === undefined ? {} : { output: result.output as never }),
            value: result.value,
          });
    send(res, 200, body, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  } catch (error) {
    if (clientWentAway(error, req)) return;
    const failure =
      error instanceof AwsServiceError
        ? error
        : new AwsServiceError('InternalFailure', 'The local emulator failed to process the request', 500);
    if (!(error instanceof AwsServiceError))
      log?.(`${action} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    sendXmlError(res, failure.status, {
      code: queryCode(failure),
      message: failure.message,
      requestId,
      xmlNamespace,
      senderFault: failure.status < 500,
    });
  }
};

/**
 * CloudWatch on the edge: the JSON 1.0 protocol (`X-Amz-Target: GraniteServiceVersion20100801.<Action>`, what the
 * AWS SDK v3 and recent AWS CLIs send) and the query protocol (`Action=<Action>`, what AWS CLI v2 before 2.25 and
 * older SDKs send), both over the one local CloudWatch.
 */
export const cloudWatchBackend = (
  cloudWatch: LocalCloudWatch,
  log?: (message: string) => void,
): EdgeBackend =>
  inProcessBackend({
    name: 'cloudwatch',
    targetPrefixes: [cloudWatch.targetPrefix],
    signingNames: [cloudWatch.signingName],
    queryActions: new Set(Object.keys(CLOUDWATCH_QUERY_OPERATIONS)),
    serve: async (exchange) => {
      if (exchange.route.protocol === 'json')
        return serveJsonService(exchange, cloudWatch, log === undefined ? {} : { log });
      return serveQuery(
        exchange,
        CLOUDWATCH_NAMESPACE,
        async (action, params) => {
          const shapes = CLOUDWATCH_QUERY_OPERATIONS[action];
          if (shapes === undefined) return cloudWatch.run(action, {}) as never;
          const output = cloudWatch.run(action, decodeQueryInput(shapes.input, params));
          return {
            ...(shapes.output === undefined ? {} : { output: shapes.output }),
            value: toQueryProtocol(output) as Record<string, unknown>,
          };
        },
        log,
      );
    },
  });

/** SNS on the edge (query protocol, the only one SNS speaks). */
export const snsBackend = (sns: LocalSns, log?: (message: string) => void): EdgeBackend =>
  inProcessBackend({
    name: 'sns',
    signingNames: [sns.signingName],
    queryActions: sns.actions,
    serve: (exchange) =>
      serveQuery(exchange, sns.xmlNamespace, (action, params) => sns.run(action, params), log),
  });
