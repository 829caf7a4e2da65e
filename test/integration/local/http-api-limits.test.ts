import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type HttpApiFront,
  startHttpApiFront,
} from '../../../packages/local-cloud/src/lambda/http-api-front';
import { HTTP_API_LIMITS } from '../../../packages/local-cloud/src/lambda/http-api-limits';
import type { InvocationResult } from '../../../packages/local-cloud/src/lambda/types';

/**
 * The HTTP API front holds API Gateway's and Lambda's limits
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html): 10240 bytes of request line and
 * headers, a 10 MB payload, Lambda's 6 MB invocation payload, and the integration timeout.
 */
let front: HttpApiFront;
const invoked: unknown[] = [];
const MB = 1024 * 1024;

beforeAll(async () => {
  const invoke = async (functionName: string, event: unknown): Promise<InvocationResult> => {
    invoked.push(event);
    if (functionName === 'slow') await new Promise((resolve) => setTimeout(resolve, 2_000));
    if (functionName === 'huge') return { requestId: 'r', ok: true, payload: 'x'.repeat(6 * MB + 1) };
    return { requestId: 'r', ok: true, payload: { statusCode: 200, body: 'ok' } };
  };
  front = await startHttpApiFront({
    api: {
      apiId: 'api',
      name: 'limits',
      port: 0,
      endpoint: '',
      stages: ['$default'],
      routes: [
        {
          routeKey: 'POST /echo',
          functionName: 'echo',
          payloadFormatVersion: '2.0',
          authorizationType: 'NONE',
          integrationTimeoutMs: 30_000,
        },
        {
          routeKey: 'GET /slow',
          functionName: 'slow',
          payloadFormatVersion: '2.0',
          authorizationType: 'NONE',
          integrationTimeoutMs: 200,
        },
        {
          routeKey: 'GET /huge',
          functionName: 'huge',
          payloadFormatVersion: '2.0',
          authorizationType: 'NONE',
          integrationTimeoutMs: 30_000,
        },
      ],
    },
    invoke,
    log: () => undefined,
    accountId: '000000000000',
  });
});
afterAll(async () => {
  await front?.stop();
});

/** One raw request (fetch would refuse some of these headers), answered with status and parsed body. */
const send = (
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
) =>
  new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const url = new URL(path, front.url);
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text) as unknown;
        } catch {
          // a plain-text body stays text
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    // The front may close the connection before a refused body is fully sent.
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
    );
    req.end(options.body);
  });

describe('HTTP API front limits', () => {
  it('serves a request within the limits', async () => {
    expect(await send('/echo', { method: 'POST', body: Buffer.from('{}') })).toEqual({
      status: 200,
      body: 'ok',
    });
  });

  it('answers 431 when the request line and headers pass 10240 bytes, without invoking', async () => {
    const before = invoked.length;
    const result = await send('/echo', {
      method: 'POST',
      headers: { 'x-big': 'a'.repeat(HTTP_API_LIMITS.maxRequestLineAndHeaderBytes) },
    });
    expect(result).toEqual({ status: 431, body: { message: 'Request Header Fields Too Large' } });
    expect(invoked).toHaveLength(before);
  });

  it("answers 413 for a body over Lambda's 6 MB and for one over the 10 MB payload quota", async () => {
    const before = invoked.length;
    const sixPlus = await send('/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(6 * MB + 1, 97),
    });
    expect(sixPlus).toEqual({ status: 413, body: { message: 'Request Entity Too Large' } });
    const tenPlus = await send('/echo', { method: 'POST', body: Buffer.alloc(10 * MB + 1, 97) });
    expect(tenPlus).toEqual({ status: 413, body: { message: 'Request Entity Too Large' } });
    expect(invoked).toHaveLength(before);
  });

  it('answers 503 when the integration outlasts its timeout', async () => {
    expect(await send('/slow')).toEqual({ status: 503, body: { message: 'Service Unavailable' } });
  });

  it("fails a response over Lambda's 6 MB as Lambda does (500)", async () => {
    expect(await send('/huge')).toEqual({ status: 500, body: { message: 'Internal Server Error' } });
  });
});
