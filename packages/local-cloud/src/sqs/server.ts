import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, readBody } from '../support/http-io.js';
import { createSqsEngine, type SqsEngine, type SqsEngineOptions } from './engine.js';

/** The largest request body the engine's own endpoint reads: SQS's 1 MiB payload, plus encoding overhead. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The SQS engine on its own loopback endpoint (the edge serves it too, in process). */
export interface SqsServer {
  readonly endpoint: string;
  readonly port: number;
  readonly engine: SqsEngine;
  stop(): Promise<void>;
}

/** Options of {@link startSqsServer}: the engine's, and where to listen (default a free loopback port). */
export interface SqsServerOptions extends SqsEngineOptions {
  readonly port?: number;
  readonly host?: string;
  /** An engine already created (the edge's); default a new one. */
  readonly engine?: SqsEngine;
}

/** Starts an SQS endpoint: any SDK or CLI pointed at it speaks to the engine directly. */
export const startSqsServer = async ({
  port = 0,
  host = '127.0.0.1',
  engine: given,
  ...engineOptions
}: SqsServerOptions = {}): Promise<SqsServer> => {
  const engine = given ?? createSqsEngine(engineOptions);
  const server = createServer((req, res) => {
    readBody(req, MAX_BODY_BYTES).then(
      (body) => engine.serve(req, res, body, { defaultHost: `${host}:${actualPort}` }),
      () => {
        if (!res.headersSent) res.writeHead(413).end();
      },
    );
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
    port: actualPort,
    engine,
    stop: async () => {
      if (given === undefined) await engine.stop();
      await closeServer(server);
    },
  };
};
