import { once } from 'node:events';
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import { AwsServiceError, awsErrorBody } from './aws-protocol.js';
import { queryErrorXml } from './query-protocol.js';

/**
 * The one HTTP helper of the local cloud: reading requests, writing plain JSON and AWS-shaped answers, listening
 * and closing, for the edge, the services behind it and the small admin endpoints beside it.
 */

/** The largest body the edge buffers (proxied bodies stream and are bounded by their upstream). */
export const MAX_BUFFERED_BODY_BYTES = 16 * 1024 * 1024;

/**
 * The request body was larger than the server accepts. It is an AWS-shaped 413 too, so the edge answers it as AWS
 * would, and the admin endpoints answer it in their own JSON.
 */
export class BodyTooLargeError extends AwsServiceError {
  public constructor(public readonly limitBytes: number) {
    super('RequestEntityTooLargeException', `Request body exceeds ${limitBytes} bytes`, 413);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads a whole request body as bytes; past `limit` bytes it rejects with {@link BodyTooLargeError} and drains the
 * rest without keeping it, so that a runaway client cannot grow the local cloud's memory and the 413 still reaches it.
 */
export const readBody = (req: IncomingMessage, limit = MAX_BUFFERED_BODY_BYTES): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () =>
      resolve(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks)),
    );
    req.once('error', reject);
  });

/** Reads a whole request body as UTF-8 text, within `limit` bytes (see {@link readBody}). */
export const readText = async (req: IncomingMessage, limit: number): Promise<string> =>
  (await readBody(req, limit)).toString('utf8');

/** Parses JSON text, returning `{ ok: false }` instead of throwing so callers can answer 400 themselves. */
export const parseJson = (text: string): { ok: true; value: unknown } | { ok: false; message: string } => {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
};

/** The value of a header that may arrive once or repeated; repeated values keep the first. */
export const headerValue = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

/** Whether a failure only means that the client went away (nobody to answer, nothing to report). */
export const clientWentAway = (error: unknown, req: IncomingMessage): boolean =>
  (error as NodeJS.ErrnoException | undefined)?.code === 'ECONNRESET' || req.socket.destroyed;

/** The content type of a JSON-protocol answer: the request's own version (1.0 or 1.1), else 1.1. */
export const jsonContentType = (req: IncomingMessage): string => {
  const requested = req.headers['content-type'];
  return requested?.startsWith('application/x-amz-json-')
    ? (requested.split(';')[0] ?? requested)
    : 'application/x-amz-json-1.1';
};

/** Writes a complete answer. */
export const send = (
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: OutgoingHttpHeaders,
): void => {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (res.destroyed) return;
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

/**
 * Writes a plain JSON answer (the admin endpoints: faults, clocks, the gateway's and Redis's knobs); nothing when the
 * response is already finished (the client may have gone away).
 */
export const sendJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void => {
  if (res.headersSent || res.destroyed) return;
  send(res, status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
};

/** Writes an AWS JSON answer with the request id header AWS SDKs read. */
export const sendAwsJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  {
    contentType,
    requestId,
    headers = {},
  }: { contentType: string; requestId: string; headers?: OutgoingHttpHeaders },
): void => {
  send(res, status, JSON.stringify(body ?? {}), {
    ...headers,
    'content-type': contentType,
    'x-amzn-requestid': requestId,
  });
};

/** Writes an AWS JSON error (`{"__type", "message"}`) with its status. */
export const sendJsonError = (
  res: ServerResponse,
  error: AwsServiceError,
  {
    contentType,
    requestId,
    headers = {},
  }: { contentType: string; requestId: string; headers?: OutgoingHttpHeaders },
): void => {
  sendAwsJson(res, error.status, awsErrorBody(error), {
    contentType,
    requestId,
    headers: { ...headers, 'x-amzn-errortype': error.type },
  });
};

/** Writes an AWS query-protocol (XML) error. */
export const sendXmlError = (
  res: ServerResponse,
  status: number,
  {
    code,
    message,
    requestId,
    xmlNamespace = '',
    senderFault = true,
  }: {
    code: string;
    message: string;
    requestId: string;
    xmlNamespace?: string;
    senderFault?: boolean;
  },
): void => {
  send(res, status, queryErrorXml({ xmlNamespace, requestId, code, message, senderFault }), {
    'content-type': 'text/xml',
    'x-amzn-requestid': requestId,
  });
};

/** Writes the right kind of error for the request: XML for query-protocol requests, AWS JSON otherwise. */
export const sendError = (
  req: IncomingMessage,
  res: ServerResponse,
  error: AwsServiceError,
  { requestId, queryProtocol }: { requestId: string; queryProtocol: boolean },
): void => {
  if (queryProtocol) {
    sendXmlError(res, error.status, {
      code: error.type,
      message: error.message,
      requestId,
      senderFault: error.status < 500,
    });
  } else {
    sendJsonError(res, error, { contentType: jsonContentType(req), requestId });
  }
};

/**
 * Starts listening on `host` (default loopback; `0.0.0.0` for every interface) on `port` (0 = any free port) and
 * returns the port actually bound.
 */
export const listenOnLoopback = async (server: Server, port = 0, host = '127.0.0.1'): Promise<number> => {
  server.listen(port, host);
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => Promise.reject(error)),
  ]);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  return address.port;
};

/** Stops accepting connections and drops the open ones (keep-alive or hanging), then waits for the close. */
export const closeServer = async (server: Server): Promise<void> => {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
  server.closeAllConnections();
  await closed;
};
