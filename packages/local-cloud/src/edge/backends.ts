import { Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  AwsServiceError,
  type JsonProtocolService,
  LOCAL_ACCOUNT_ID,
  LOCAL_REGION,
} from '../support/aws-protocol.js';
import {
  clientWentAway,
  jsonContentType,
  sendAwsJson,
  sendError,
  sendJsonError,
} from '../support/http-io.js';
import { isRecord } from '../support/input/members.js';
import { canConnect } from '../support/ports.js';
import type { EdgeRoute } from './routing.js';

/** One request as the edge hands it to a backend. */
export interface EdgeExchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly route: EdgeRoute;
  readonly requestId: string;
  /** Reads the body once; later calls return the same buffer. Backends that stream must not call it. */
  body(): Promise<Buffer>;
  /** Whether the body has been read (its stream is then consumed). */
  readonly bodyRead: boolean;
}

/** Something behind the edge that serves requests: an upstream server or an in-process emulator. */
export interface EdgeBackend {
  readonly name: string;
  readonly kind: 'proxy' | 'in-process';
  /** X-Amz-Target prefixes it answers, e.g. `DynamoDB_20120810`. */
  readonly targetPrefixes: readonly string[];
  /** SigV4 signing names it answers, e.g. `dynamodb`. */
  readonly signingNames: readonly string[];
  /** Query-protocol actions it answers, to route unsigned query requests. */
  readonly queryActions?: ReadonlySet<string>;
  /** The upstream URL of a proxy, for the health report. */
  readonly upstream?: string;
  /** Serves one request; must always answer (the edge answers a 500 if it throws). */
  handle(exchange: EdgeExchange): Promise<void>;
  /** Whether it can serve now (a proxy checks that its upstream accepts connections). */
  healthy?(): Promise<boolean>;
  /** Releases what the backend holds for the edge (sockets); the upstream itself is stopped by its owner. */
  close?(): void;
}

/** The `x-amzn-query-error` header of errors from services that also speak the query protocol (e.g. SQS). */
const queryErrorHeader = (error: AwsServiceError): Record<string, string> => {
  const value: unknown = (error as AwsServiceError & { queryErrorHeader?: unknown }).queryErrorHeader;
  return typeof value === 'string' ? { 'x-amzn-query-error': value } : {};
};

/**
 * Serves a JSON-protocol request with an in-process service: parses the body (malformed → 400
 * `SerializationException`), calls the service, and writes its answer or its AWS-shaped error. Unexpected errors
 * become a 500 `InternalFailure`, never a crash. `transform` may rewrite a successful output.
 */
export const serveJsonService = async (
  exchange: EdgeExchange,
  service: JsonProtocolService,
  { transform, log }: { transform?: (output: unknown) => unknown; log?: (message: string) => void } = {},
): Promise<void> => {
  const { req, res, route, requestId } = exchange;
  const contentType = jsonContentType(req);
  try {
    const raw = (await exchange.body()).toString('utf8');
    let input: unknown;
    try {
      input = raw.trim() === '' ? {} : JSON.parse(raw);
    } catch {
      throw new AwsServiceError(
        'SerializationException',
        'Start of structure or map found where not expected: the body is not valid JSON',
      );
    }
    if (!isRecord(input))
      throw new AwsServiceError('SerializationException', 'The request body must be a JSON object');
    if (route.action === undefined || route.action === '') {
      throw new AwsServiceError('UnknownOperationException', 'The X-Amz-Target header names no action');
    }
    const { status, body } = await service.handle({
      action: route.action,
      input,
      region: route.region ?? LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
    });
    sendAwsJson(res, status, transform === undefined ? body : transform(body), { contentType, requestId });
  } catch (error) {
    if (error instanceof AwsServiceError) {
      sendJsonError(res, error, { contentType, requestId, headers: queryErrorHeader(error) });
      return;
    }
    if (clientWentAway(error, req)) return;
    log?.(
      `${service.targetPrefix}.${route.action ?? '?'} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    sendJsonError(
      res,
      new AwsServiceError('InternalFailure', 'The local emulator failed to process the request', 500),
      {
        contentType,
        requestId,
      },
    );
  }
};

/** Wraps an in-process JSON-protocol service as an edge backend. */
export const jsonServiceBackend = (
  service: JsonProtocolService,
  log?: (message: string) => void,
): EdgeBackend => ({
  name: service.signingName,
  kind: 'in-process',
  targetPrefixes: [service.targetPrefix],
  signingNames: [service.signingName],
  handle: (exchange) => serveJsonService(exchange, service, { log }),
});

/** Options of {@link inProcessBackend}. */
export interface InProcessBackendOptions {
  readonly name: string;
  readonly targetPrefixes?: readonly string[];
  readonly signingNames?: readonly string[];
  readonly queryActions?: ReadonlySet<string>;
  /** Serves one request (reading the body with `exchange.body()` or streaming it); must always answer. */
  readonly serve: (exchange: EdgeExchange) => Promise<void>;
}

/** A backend served in this process by a service that speaks HTTP itself (SQS, with both of its protocols). */
export const inProcessBackend = ({
  name,
  targetPrefixes = [],
  signingNames = [],
  queryActions,
  serve,
}: InProcessBackendOptions): EdgeBackend => ({
  name,
  kind: 'in-process',
  targetPrefixes,
  signingNames,
  ...(queryActions === undefined ? {} : { queryActions }),
  handle: serve,
});

/** Headers that belong to one connection and must not be forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);

const forwardable = (raw: readonly string[]): string[] => {
  const kept: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (!HOP_BY_HOP.has(name.toLowerCase())) kept.push(name, raw[i + 1] ?? '');
  }
  return kept;
};

/** Options of {@link proxyBackend}. */
export interface ProxyBackendOptions {
  readonly name: string;
  /** The upstream's base URL, e.g. `http://127.0.0.1:8000` (plain HTTP: the upstreams are local). */
  readonly upstream: string;
  readonly targetPrefixes?: readonly string[];
  readonly signingNames?: readonly string[];
  /** Sockets kept open to the upstream; default 256 (long polls hold one each). */
  readonly maxSockets?: number;
}

/**
 * A backend that forwards requests to an upstream server as they come: headers and body are streamed, never
 * buffered or parsed, over keep-alive connections. Upstream down → 503 `ServiceUnavailable`; an upstream that
 * breaks mid-answer → 502 `BadGateway` (or a cut connection when the answer had already begun).
 */
export const proxyBackend = ({
  name,
  upstream,
  targetPrefixes = [],
  signingNames = [],
  maxSockets = 256,
}: ProxyBackendOptions): EdgeBackend => {
  const target = new URL(upstream);
  const port = Number(target.port || 80);
  const hostname = target.hostname.replace(/^\[|\]$/g, '');
  const agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: 64, scheduling: 'lifo' });
  return {
    name,
    kind: 'proxy',
    upstream,
    targetPrefixes,
    signingNames,
    healthy: () => canConnect(port, hostname),
    close: () => agent.destroy(),
    handle: (exchange) =>
      new Promise<void>((resolve) => {
        const { req, res, requestId } = exchange;
        // The raw header list, as it came minus hop-by-hop headers: Node writes it as is, with no re-validation.
        const headers = forwardable(req.rawHeaders);
        const upstreamReq = httpRequest({
          hostname,
          port,
          method: req.method,
          path: req.url,
          headers,
          agent,
        });
        const fail = (status: number, type: string, message: string) => {
          if (res.headersSent) res.destroy();
          else
            sendError(req, res, new AwsServiceError(type, message, status), {
              requestId,
              queryProtocol: exchange.route.protocol === 'query',
            });
          resolve();
        };
        upstreamReq.on('error', (error: NodeJS.ErrnoException) => {
          const refused =
            error.code === 'ECONNREFUSED' || error.code === 'ENOTFOUND' || error.code === 'EHOSTUNREACH';
          if (refused)
            fail(503, 'ServiceUnavailable', `${name} is not running (${upstream} refused the connection)`);
          else fail(502, 'BadGateway', `${name} at ${upstream} failed: ${error.message}`);
        });
        upstreamReq.once('response', (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 502, forwardable(upstreamRes.rawHeaders));
          upstreamRes.pipe(res);
          upstreamRes.once('end', resolve);
          upstreamRes.on('error', () => fail(502, 'BadGateway', `${name} broke off its answer`));
        });
        // A client that goes away takes its upstream request with it.
        res.once('close', () => {
          if (!res.writableFinished) upstreamReq.destroy();
          resolve();
        });
        if (exchange.bodyRead) {
          exchange.body().then(
            (body) => upstreamReq.end(body),
            () => upstreamReq.destroy(),
          );
        } else {
          req.pipe(upstreamReq);
        }
      }),
  };
};
