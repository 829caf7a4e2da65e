import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyTooLargeError, readBody } from '../support/http-io.js';
import { localIamAuthorizer } from './http-api-identity.js';
import { HTTP_API_LIMITS, invocationPayloadBytes, requestLineAndHeaderBytes } from './http-api-limits.js';
import {
  fromHttpApiResult,
  gatewayError,
  type HttpResponseParts,
  toHttpApiEvent,
} from './http-api-payload.js';
import { compileRoutes, matchRoute } from './http-api-routes.js';
import type {
  HttpApiDefinition,
  HttpRouteDefinition,
  InvocationResult,
  LogSink,
  RunnerObserver,
} from './types.js';

/** What the HTTP front needs from the runner. */
export interface HttpApiFrontOptions {
  readonly api: HttpApiDefinition;
  readonly invoke: (functionName: string, event: unknown) => Promise<InvocationResult>;
  readonly log: LogSink;
  readonly accountId: string;
  /** Default `127.0.0.1`. */
  readonly host?: string | undefined;
  /** Hears each answered request (AWS/ApiGateway metrics). */
  readonly observer?: RunnerObserver;
}

/** A running HTTP API front. */
export interface HttpApiFront {
  readonly url: string;
  stop(): Promise<void>;
}

/** Splits `/stage/rest` for named stages; `$default` serves at the root. */
const locateStage = (api: HttpApiDefinition, path: string): { stage: string; path: string } | undefined => {
  for (const stage of api.stages) {
    if (stage === '$default') continue;
    if (path === `/${stage}` || path.startsWith(`/${stage}/`))
      return { stage, path: path.slice(stage.length + 1) || '/' };
  }
  return api.stages.includes('$default') || api.stages.length === 0 ? { stage: '$default', path } : undefined;
};

const raceTimeout = async <T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Serves one HTTP API on its local port, speaking API Gateway's payload format 2.0 to the integrated functions:
 * unknown routes (a path, or a method no route of the path declares) answer 404 `{"message":"Not Found"}`, function
 * errors and timeouts 500 `{"message":"Internal Server Error"}`, and an integration slower than its timeout
 * (≤ 30 s) 503. `AWS_IAM` routes get the caller identity API Gateway would report, from the request's SigV4 access
 * key (see `localIamAuthorizer`; signatures are not checked). API Gateway's and Lambda's limits hold (see
 * `HTTP_API_LIMITS`): a request line and headers over 10240 bytes answer 431, a payload over 10 MB or an invocation
 * event over Lambda's 6 MB answer 413 `{"message":"Request Entity Too Large"}`, and a function response over 6 MB
 * fails as Lambda fails it (500).
 */
export const startHttpApiFront = async (options: HttpApiFrontOptions): Promise<HttpApiFront> => {
  const { api, log, accountId } = options;
  const host = options.host ?? '127.0.0.1';
  const routes = compileRoutes(api.routes);
  const source = `http:${api.name}`;

  const handle = async (
    request: IncomingMessage,
  ): Promise<{ response: HttpResponseParts; requestId: string }> => {
    const requestId = `${randomBytes(12).toString('base64url')}=`;
    if (requestLineAndHeaderBytes(request) > HTTP_API_LIMITS.maxRequestLineAndHeaderBytes) {
      return { requestId, response: gatewayError(431, 'Request Header Fields Too Large') };
    }
    const url = request.url ?? '/';
    const rawPath = url.split('?')[0] ?? '/';
    const located = locateStage(api, rawPath);
    const match =
      located === undefined ? undefined : matchRoute(routes, request.method ?? 'GET', located.path);
    if (located === undefined || match === undefined)
      return { requestId, response: gatewayError(404, 'Not Found') };
    const route: HttpRouteDefinition = match.route;
    if (route.payloadFormatVersion !== '2.0') {
      log(
        source,
        `${route.routeKey}: payload format ${route.payloadFormatVersion} is not emulated (only 2.0)`,
      );
      return { requestId, response: gatewayError(500, 'Internal Server Error') };
    }
    let body: Buffer;
    try {
      body = await readBody(request, HTTP_API_LIMITS.maxPayloadBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return { requestId, response: gatewayError(413, 'Request Entity Too Large') };
      }
      throw error;
    }
    const event = toHttpApiEvent(
      {
        method: request.method ?? 'GET',
        url,
        headers: request.headers,
        body,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
      },
      {
        routeKey: route.routeKey,
        pathParameters: match.pathParameters,
        apiId: api.apiId,
        stage: located.stage,
        accountId,
        requestId,
        domainName: request.headers.host ?? `${host}:${api.port}`,
        ...(route.authorizationType === 'AWS_IAM'
          ? { authorizer: localIamAuthorizer(request.headers, url, accountId) }
          : {}),
      },
    );
    if (invocationPayloadBytes(event) > HTTP_API_LIMITS.maxLambdaPayloadBytes) {
      return { requestId, response: gatewayError(413, 'Request Entity Too Large') };
    }
    const result = await raceTimeout(options.invoke(route.functionName, event), route.integrationTimeoutMs);
    if (result === 'timeout') return { requestId, response: gatewayError(503, 'Service Unavailable') };
    if (!result.ok) {
      log(source, `${route.routeKey} → ${route.functionName} failed: ${result.error.errorMessage}`);
      return { requestId, response: gatewayError(500, 'Internal Server Error') };
    }
    if (invocationPayloadBytes(result.payload) > HTTP_API_LIMITS.maxLambdaPayloadBytes) {
      log(source, `${route.routeKey} → ${route.functionName}: response payload over Lambda's 6 MB`);
      return { requestId, response: gatewayError(500, 'Internal Server Error') };
    }
    return { requestId, response: fromHttpApiResult(result.payload) };
  };

  const respond = (
    res: ServerResponse,
    { response, requestId }: { response: HttpResponseParts; requestId: string },
  ) => {
    res.statusCode = response.statusCode;
    for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
    if (response.cookies.length > 0) res.setHeader('set-cookie', [...response.cookies]);
    res.setHeader('apigw-requestid', requestId);
    res.setHeader('content-length', response.body.length);
    // A refused request may still be sending its body: close the connection rather than read it.
    if (response.statusCode === 413 || response.statusCode === 431) res.setHeader('connection', 'close');
    res.end(response.body);
  };

  // Node's own header limit (16 KB) would answer before API Gateway's 10240-byte quota could: lift it.
  const server = createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    const started = performance.now();
    handle(req)
      .then((answer) => {
        respond(res, answer);
        options.observer?.apiRequest?.({
          apiId: api.apiId,
          stage: locateStage(api, (req.url ?? '/').split('?')[0] ?? '/')?.stage ?? '$default',
          status: answer.response.statusCode,
          latencyMs: performance.now() - started,
        });
      })
      .catch((error: unknown) => {
        log(source, `request failed: ${String(error)}`);
        respond(res, { requestId: 'local', response: gatewayError(500, 'Internal Server Error') });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(api.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
