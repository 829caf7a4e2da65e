import { once } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** The request body was larger than the server accepts; answer 413. */
export class BodyTooLargeError extends Error {
  public constructor(public readonly limitBytes: number) {
    super(`request body exceeds ${limitBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads a request body as UTF-8 text, rejecting with `BodyTooLargeError` past `limitBytes` so that a runaway
 * client cannot grow the local cloud's memory without bound.
 */
export const readBody = async (request: IncomingMessage, limitBytes: number): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk instanceof Buffer ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limitBytes) throw new BodyTooLargeError(limitBytes);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};

/** Writes a JSON answer unless the response is already finished (the client may have gone away). */
export const sendJson = (
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void => {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
};

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

/**
 * Starts listening on `host` (default loopback; `0.0.0.0` for every interface, e.g. for LocalStack's Lambda
 * containers) on `port` (0 = any free port) and returns the port actually bound.
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
