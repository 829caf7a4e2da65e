import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { AwsServiceError, awsErrorBody } from '../support/aws-protocol';
import { queryErrorXml } from '../support/query-protocol';

/** Reading requests and writing AWS-shaped answers, for the edge and the backends behind it. */

/** The largest body the edge buffers (proxied bodies stream and are bounded by their upstream). */
export const MAX_BUFFERED_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Reads a whole request body as bytes; past `limit` bytes it throws a 413 AWS-shaped error and drains the rest, so
 * the 413 still reaches the client (support/json-http's text reader destroys the stream instead).
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
        reject(
          new AwsServiceError('RequestEntityTooLargeException', `Request body exceeds ${limit} bytes`, 413),
        );
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () =>
      resolve(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks)),
    );
    req.once('error', reject);
  });

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
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

/** Writes a JSON answer with the request id header AWS SDKs read. */
export const sendJson = (
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
  sendJson(res, error.status, awsErrorBody(error), {
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
