import type { IncomingMessage } from 'node:http';

/**
 * The limits of an HTTP API in front of Lambda, as AWS documents them ("Quotas for configuring and running an HTTP
 * API in API Gateway", "Lambda quotas"): the request line and header values together at most 10240 bytes; a payload
 * of at most 10 MB; and Lambda's 6 MB for the invocation payload (request event and response) binds first.
 */
export const HTTP_API_LIMITS = {
  maxRequestLineAndHeaderBytes: 10_240,
  maxPayloadBytes: 10 * 1024 * 1024,
  /** Lambda's synchronous invocation payload quota (6 MB, as Lambda counts it). */
  maxLambdaPayloadBytes: 6 * 1024 * 1024,
} as const;

/** The size AWS counts against the header quota: the request line plus every header value. */
export const requestLineAndHeaderBytes = (request: IncomingMessage): number => {
  const line = Buffer.byteLength(
    `${request.method ?? 'GET'} ${request.url ?? '/'} HTTP/${request.httpVersion}`,
  );
  let values = 0;
  for (let index = 1; index < request.rawHeaders.length; index += 2) {
    values += Buffer.byteLength(request.rawHeaders[index] ?? '');
  }
  return line + values;
};

/** The size of an invocation payload as Lambda measures it: its JSON text in bytes. */
export const invocationPayloadBytes = (payload: unknown): number =>
  Buffer.byteLength(JSON.stringify(payload) ?? 'null');
