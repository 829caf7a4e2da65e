import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** The parts of an HTTP request that the payload needs. */
export interface HttpRequestParts {
  readonly method: string;
  /** Path and query as received, e.g. `/orders/1?x=1`. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly sourceIp: string;
}

/** Where the request landed: the matched route, the API and the stage. */
export interface HttpRouteContext {
  readonly routeKey: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly apiId: string;
  readonly stage: string;
  readonly accountId: string;
  readonly requestId: string;
  readonly domainName: string;
  /** `requestContext.authorizer`, for a route with an authorizer (see `localIamAuthorizer`). Default: none. */
  readonly authorizer?: unknown;
}

/** The HTTP response API Gateway sends for a function result. */
export interface HttpResponseParts {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, API Gateway's `requestContext.time`. */
const requestTime = (date: Date): string => {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())} +0000`;
};

/** Repeated query parameters are joined with commas, as in payload 2.0. */
const queryParameters = (search: URLSearchParams): Record<string, string> | undefined => {
  const result: Record<string, string> = {};
  for (const [key, value] of search) result[key] = key in result ? `${result[key]},${value}` : value;
  return Object.keys(result).length === 0 ? undefined : result;
};

/** Builds the payload format 2.0 event of API Gateway HTTP APIs. */
export const toHttpApiEvent = (
  request: HttpRequestParts,
  route: HttpRouteContext,
  now = new Date(),
): APIGatewayProxyEventV2 => {
  const queryStart = request.url.indexOf('?');
  const rawPath = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
  const rawQueryString = queryStart < 0 ? '' : request.url.slice(queryStart + 1);
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') {
      cookies = String(value).split(/;\s*/).filter(Boolean);
      continue;
    }
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const contentType = headers['content-type'] ?? '';
  const isText = request.body.length === 0 || TEXT_TYPES.test(contentType);
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies === undefined ? {} : { cookies }),
    headers,
    ...(rawQueryString === ''
      ? {}
      : { queryStringParameters: queryParameters(new URLSearchParams(rawQueryString)) }),
    ...(Object.keys(route.pathParameters).length === 0
      ? {}
      : { pathParameters: { ...route.pathParameters } }),
    requestContext: {
      accountId: route.accountId,
      apiId: route.apiId,
      domainName: route.domainName,
      domainPrefix: route.domainName.split('.')[0] ?? route.domainName,
      http: {
        method: request.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: route.requestId,
      routeKey: route.routeKey,
      stage: route.stage,
      time: requestTime(now),
      timeEpoch: now.getTime(),
      ...(route.authorizer === undefined ? {} : { authorizer: route.authorizer }),
    },
    ...(request.body.length === 0 ? {} : { body: request.body.toString(isText ? 'utf8' : 'base64') }),
    isBase64Encoded: !isText,
  };
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Maps a function result to the HTTP response, as payload 2.0 does: an object with `statusCode` is taken as the
 * response (`headers`, `cookies`, `body`, `isBase64Encoded`); anything else is a 200 JSON response whose body is the
 * result (a string result as is, anything else as JSON).
 */
export const fromHttpApiResult = (payload: unknown): HttpResponseParts => {
  if (isObject(payload) && typeof payload.statusCode === 'number') {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(isObject(payload.headers) ? payload.headers : {})) {
      headers[name.toLowerCase()] = String(value);
    }
    const body = typeof payload.body === 'string' ? payload.body : '';
    return {
      statusCode: payload.statusCode,
      headers,
      cookies: Array.isArray(payload.cookies) ? payload.cookies.map(String) : [],
      body: Buffer.from(body, payload.isBase64Encoded === true ? 'base64' : 'utf8'),
    };
  }
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    cookies: [],
    body: Buffer.from(body),
  };
};

/** API Gateway's own error responses. */
export const gatewayError = (
  statusCode: 404 | 413 | 431 | 500 | 503,
  message: string,
): HttpResponseParts => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  cookies: [],
  body: Buffer.from(JSON.stringify({ message })),
});
