import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxyBackend } from '../../../packages/local-cloud/src/edge/backends';
import { type Edge, startEdge } from '../../../packages/local-cloud/src/edge/edge-server';
import {
  AwsServiceError,
  type JsonProtocolService,
} from '../../../packages/local-cloud/src/support/aws-protocol';
import { freePort } from '../../../packages/local-cloud/src/support/ports';

/** A small service of our own interface: echoes, fails on purpose, or throws unexpectedly. */
const echo: JsonProtocolService = {
  signingName: 'echo',
  targetPrefix: 'Echo_2026',
  handle: async ({ action, input, region }) => {
    if (action === 'Echo') return { status: 200, body: { input, region } };
    if (action === 'Fail') throw new AwsServiceError('ResourceNotFoundException', 'nothing here');
    if (action === 'Crash') throw new TypeError('a bug in the emulator');
    throw new AwsServiceError('UnknownOperationException', `Unknown action ${action}`);
  },
};

const logged: string[] = [];
let edge: Edge;
let deadUpstream: string;

beforeAll(async () => {
  deadUpstream = `http://127.0.0.1:${await freePort()}`;
  edge = await startEdge({
    port: 0,
    services: [echo],
    backends: [
      proxyBackend({ name: 'nothing', upstream: deadUpstream, targetPrefixes: ['Down_1'], signingNames: [] }),
    ],
    log: (message) => logged.push(message),
  });
});
afterAll(() => edge.stop());

const call = (target: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${edge.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, ...headers },
    body,
  });

describe('startEdge', () => {
  it('routes a JSON request to the service of its target, with the region of its signing scope', async () => {
    const response = await call('Echo_2026.Echo', '{"a":1}', {
      authorization:
        'AWS4-HMAC-SHA256 Credential=K/20261127/eu-west-3/echo/aws4_request, SignedHeaders=host, Signature=x',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({ input: { a: 1 }, region: 'eu-west-3' });
  });

  it('answers malformed JSON with a 400 SerializationException', async () => {
    const response = await call('Echo_2026.Echo', '{"a":');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'SerializationException' });
    expect((await call('Echo_2026.Echo', '[1,2]')).status).toBe(400);
  });

  it('answers unknown targets and actions with a 400 UnknownOperationException', async () => {
    const unknownTarget = await call('Nobody_2020.Anything', '{}');
    expect(unknownTarget.status).toBe(400);
    expect(await unknownTarget.json()).toMatchObject({ __type: 'UnknownOperationException' });
    const unknownAction = await call('Echo_2026.Nope', '{}');
    expect(unknownAction.status).toBe(400);
    expect(await unknownAction.json()).toEqual({
      __type: 'UnknownOperationException',
      message: 'Unknown action Nope',
    });
  });

  it('answers an unknown query action with an XML InvalidAction', async () => {
    const response = await fetch(`${edge.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=DescribeInstances&Version=2016-11-15',
    });
    expect(response.status).toBe(400);
    const xml = await response.text();
    expect(xml).toContain('<Code>InvalidAction</Code>');
    expect(xml).toContain('Action=DescribeInstances');
  });

  it("passes a service's AWS errors through and turns its bugs into a 500 InternalFailure", async () => {
    const failed = await call('Echo_2026.Fail', '{}');
    expect(failed.status).toBe(400);
    expect(failed.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(await failed.json()).toEqual({ __type: 'ResourceNotFoundException', message: 'nothing here' });
    const crashed = await call('Echo_2026.Crash', '{}');
    expect(crashed.status).toBe(500);
    expect(await crashed.json()).toMatchObject({ __type: 'InternalFailure' });
    expect(logged.some((line) => line.includes('a bug in the emulator'))).toBe(true);
    expect((await call('Echo_2026.Echo', '{}')).status).toBe(200);
  });

  it('answers 503 ServiceUnavailable when an upstream is down', async () => {
    const response = await call('Down_1.Anything', '{}');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ __type: 'ServiceUnavailable' });
  });

  it('reports its backends on the health endpoint, degraded when an upstream is down', async () => {
    const response = await fetch(`${edge.url}/_breakwater/health`);
    expect(response.status).toBe(503);
    const health = (await response.json()) as { backends: unknown[] };
    expect(health).toMatchObject({ status: 'degraded', edge: edge.url });
    expect(health.backends).toEqual(
      expect.arrayContaining([
        { name: 'echo', kind: 'in-process', healthy: true },
        { name: 'nothing', kind: 'proxy', upstream: deadUpstream, healthy: false },
      ]),
    );
  });

  it('refuses a second backend for a target prefix or signing name already routed', () => {
    expect(() => edge.registerService({ ...echo, signingName: 'other' })).toThrow(
      /target prefix 'Echo_2026'/,
    );
  });

  it('fails clearly when its port is taken', async () => {
    await expect(startEdge({ port: edge.port })).rejects.toThrow(/could not listen/);
  });
});
