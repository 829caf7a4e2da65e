import type {
  IncomingHttpHeaders,
  IncomingMessage,
  OutgoingHttpHeaders,
  Server,
  ServerResponse,
} from 'node:http';
import { buildApp } from 'fauxqs';
import { LOCAL_REGION } from '../../packages/local-cloud/src/support/aws-protocol';

/** The answer of an in-process call to fauxqs. */
export interface FauxqsReply {
  readonly status: number;
  readonly headers: OutgoingHttpHeaders;
  readonly body: string;
}

/** fauxqs (SQS, plus the SNS and STS parts it has) running in this process. */
export interface FauxqsServer {
  /** Its own loopback endpoint, for clients that talk to it directly (the move tasks, benchmarks). */
  readonly endpoint: string;
  readonly port: number;
  /** Serves a raw HTTP request in-process: the edge hands requests over without a second network hop. */
  dispatch(req: IncomingMessage, res: ServerResponse): void;
  /** Serves a request whose body has already been read, in-process, and returns the buffered answer. */
  call(request: {
    readonly headers: IncomingHttpHeaders;
    readonly body: string | Buffer;
  }): Promise<FauxqsReply>;
  stop(): Promise<void>;
}

/** What the local cloud uses of fauxqs's Fastify app (its published typings do not resolve, so we state it). */
interface FauxqsApp {
  readonly server: Server;
  listen(options: { port: number; host: string }): Promise<string>;
  routing(req: IncomingMessage, res: ServerResponse): void;
  inject(options: {
    method: 'POST';
    url: string;
    headers: IncomingHttpHeaders;
    payload: string | Buffer;
  }): Promise<{ statusCode: number; headers: OutgoingHttpHeaders; payload: string }>;
  setErrorHandler(handler: (error: Error, request: unknown, reply: FauxqsReplyBuilder) => void): unknown;
  close(): Promise<void>;
}

interface FauxqsReplyBuilder {
  status(code: number): FauxqsReplyBuilder;
  header(name: string, value: string): FauxqsReplyBuilder;
  send(payload: unknown): FauxqsReplyBuilder;
}

/** Options of {@link startFauxqsServer}; every one has a default. */
export interface FauxqsServerOptions {
  /** Port of its own endpoint; default 0 (a free port). */
  readonly port?: number;
  /** Interface of its own endpoint; default `127.0.0.1` (never every interface). */
  readonly host?: string;
  /** Region of queues when a request carries none; default `us-east-1`. */
  readonly region?: string;
}

/**
 * Starts fauxqs in library mode. `buildApp` rather than `startFauxqs`: the latter always listens on 0.0.0.0,
 * while the local cloud keeps every listener on loopback, and the app object lets the edge dispatch into it.
 */
export const startFauxqsServer = async ({
  port = 0,
  host = '127.0.0.1',
  region = LOCAL_REGION,
}: FauxqsServerOptions = {}): Promise<FauxqsServer> => {
  const app: FauxqsApp = buildApp({ logger: false, defaultRegion: region });
  // fauxqs leaves parse failures and unexpected errors to Fastify's default (a non-AWS 500 body): answer them
  // the AWS way instead. fauxqs checks values but not JSON types, so a TypeError there means a member of the
  // wrong type (e.g. a number for QueueUrl): AWS answers that with a 400 SerializationException too.
  app.setErrorHandler((error, _request, reply) => {
    const status: unknown = (error as Error & { statusCode?: unknown }).statusCode;
    const malformed =
      error instanceof SyntaxError ||
      error instanceof TypeError ||
      (typeof status === 'number' && status < 500);
    reply
      .status(malformed ? 400 : 500)
      .header('content-type', 'application/x-amz-json-1.0')
      .send(
        malformed
          ? {
              __type: 'SerializationException',
              message:
                error instanceof TypeError
                  ? 'A member of the request has the wrong type'
                  : `The request body could not be parsed: ${error.message}`,
            }
          : { __type: 'InternalFailure', message: 'The local SQS emulator failed to process the request' },
      );
  });
  await app.listen({ port, host });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  return {
    endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
    port: actualPort,
    dispatch: (req, res) => app.routing(req, res),
    call: async ({ headers, body }) => {
      const reply = await app.inject({ method: 'POST', url: '/', headers, payload: body });
      return { status: reply.statusCode, headers: reply.headers, body: reply.payload };
    },
    stop: () => app.close(),
  };
};
