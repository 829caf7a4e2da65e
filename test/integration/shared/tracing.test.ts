import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../infra/paths';
import { type LocalHttpServer, startLocalHttpServer } from '../../support/http-server';

// Tracing as it runs on Lambda, against a fake X-Ray daemon: a UDP socket that receives the segment documents the
// X-Ray SDK sends. The handler runs in a process of its own, because the SDK decides Lambda mode at load time.

interface SegmentDocument {
  readonly name: string;
  readonly id: string;
  readonly parent_id?: string;
  readonly trace_id: string;
  readonly namespace?: string;
  readonly http?: { request?: { url?: string; method?: string }; response?: { status?: number } };
  readonly aws?: { operation?: string; table_name?: string };
  readonly annotations?: Record<string, unknown>;
}

const traceId = '1-6930a0b1-0123456789abcdef01234567';
const traceHeader = `Root=${traceId};Parent=53995c3f42cd8ad8;Sampled=1`;

let daemon: Socket;
let server: LocalHttpServer;
const documents: SegmentDocument[] = [];

beforeAll(async () => {
  daemon = createSocket('udp4');
  daemon.on('message', (message) => {
    // `{"format":"json","version":1}\n<segment>`
    const [, body = ''] = message.toString('utf8').split('\n');
    documents.push(JSON.parse(body) as SegmentDocument);
  });
  daemon.bind(0, '127.0.0.1');
  await once(daemon, 'listening');
  server = await startLocalHttpServer();
  server.respondWith((request) =>
    request.url === '/v1/charges'
      ? { status: 201, body: { chargeId: 'ch_1', status: 'succeeded' } }
      : { status: 200, body: {}, headers: { 'content-type': 'application/x-amz-json-1.0' } },
  );
});

afterAll(async () => {
  daemon?.close();
  await server?.close();
});

const runTracedInvocation = async (): Promise<{ result: string; traceHeaders: string[] }> => {
  const child = spawn(
    join(repoRoot, 'node_modules/.bin/tsx'),
    [join(repoRoot, 'test/integration/shared/support/traced-invocation.ts')],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        TEST_SERVER_URL: server.url,
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
        LAMBDA_TASK_ROOT: repoRoot,
        AWS_LAMBDA_FUNCTION_NAME: 'tracing-test',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        _HANDLER: 'index.handler',
        _X_AMZN_TRACE_ID: traceHeader,
        AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(daemon.address() as AddressInfo).port}`,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        POWERTOOLS_METRICS_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
      },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
};

describe('tracing through the shared middleware stack (fake X-Ray daemon)', () => {
  it('records the handler, the SDK call and the gateway fetch as subsegments, and puts the trace header on PutEvents', async () => {
    const { result, traceHeaders } = await runTracedInvocation();
    expect(result).toBe('done');

    await expect.poll(() => documents.length).toBeGreaterThanOrEqual(3);
    expect(new Set(documents.map((document) => document.trace_id))).toEqual(new Set([traceId]));
    const handler = documents.find((document) => document.name === '## index.handler');
    expect(handler?.annotations).toEqual({ ColdStart: true, Service: 'tracing-test' });
    // The invocation's subsegment hangs off the segment Lambda started (the Parent of _X_AMZN_TRACE_ID).
    expect(handler?.parent_id).toBe('53995c3f42cd8ad8');

    const dynamoDb = documents.find((document) => document.name === 'DynamoDB');
    expect(dynamoDb).toMatchObject({ namespace: 'aws', aws: { operation: 'GetItem', table_name: 'orders' } });
    expect(dynamoDb?.parent_id).toBe(handler?.id);

    const charge = documents.find((document) => document.http?.request?.url?.endsWith('/v1/charges'));
    expect(charge).toMatchObject({
      name: '127.0.0.1',
      namespace: 'remote',
      http: { request: { method: 'POST' }, response: { status: 201 } },
    });
    expect(charge?.parent_id).toBe(handler?.id);
    // The gateway request carried the trace header of its subsegment, so the gateway can continue the trace.
    const gatewayRequest = server.requests.find((request) => request.url === '/v1/charges');
    expect(gatewayRequest?.headers['x-amzn-trace-id']).toBe(`Root=${traceId};Parent=${charge?.id};Sampled=1`);

    expect(traceHeaders).toEqual([traceHeader]);
  });
});
