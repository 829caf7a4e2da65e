import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the server received, body as text. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** How the server answers one request: status, JSON body, headers, and an optional delay before answering. */
export interface CannedResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
  readonly delayMs?: number;
  /** Destroy the socket instead of answering. */
  readonly hangUp?: boolean;
}

/** A real HTTP server on a free loopback port, answering what the test scripts. */
export interface LocalHttpServer {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  respondWith(responder: (request: ReceivedRequest) => CannedResponse): void;
  close(): Promise<void>;
}

/** Starts a `LocalHttpServer` on port 0 (the OS picks a free one). */
export const startLocalHttpServer = async (): Promise<LocalHttpServer> => {
  const requests: ReceivedRequest[] = [];
  let responder: (request: ReceivedRequest) => CannedResponse = () => ({ status: 500 });
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(received);
      const canned = responder(received);
      const answer = () => {
        if (canned.hangUp === true) {
          res.socket?.destroy();
          return;
        }
        const body = canned.rawBody ?? (canned.body === undefined ? '' : JSON.stringify(canned.body));
        res.writeHead(canned.status, { 'content-type': 'application/json', ...canned.headers });
        res.end(body);
      };
      if (canned.delayMs === undefined) {
        answer();
      } else {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer();
        }, canned.delayMs);
        timers.add(timer);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respondWith: (next) => {
      responder = next;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
